"""Settings: one frozen table, built once from defaults < file < environment < flags.

Every setting is declared in :data:`SETTINGS` with its default and help text.
Unknown names and values that do not convert are rejected at start-up with a
message naming the setting and where it came from.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from graphkg.errors import SettingsError

ENV_PREFIX = "GRAPHKG_"
CONFIG_VARIABLE = "GRAPHKG_CONFIG"
QUERY_POOL_VARIABLE = "GRAPHKG_QUERY_POOL"
"""Not a setting: where ``graphkg serve`` tells its HTTP processes to send queries."""
WRITE_SERVICE_VARIABLE = "GRAPHKG_WRITE_SERVICE"
"""Not a setting: where ``graphkg serve`` tells its HTTP processes to send writes."""
KILL_AT_VARIABLE = "GRAPHKG_KILL_AT"
"""Not a setting: a write-path step at which the process kills itself (fault-injection
tests only; see :mod:`graphkg.faults`)."""
STORE_CREDENTIALS_VARIABLE = "GRAPHKG_STORE_CREDENTIALS"
"""Not a setting (so never in a settings file): a remote store's credentials."""
NOT_SETTINGS = (
    CONFIG_VARIABLE,
    QUERY_POOL_VARIABLE,
    WRITE_SERVICE_VARIABLE,
    KILL_AT_VARIABLE,
    STORE_CREDENTIALS_VARIABLE,
)


@dataclass(frozen=True)
class InputLimits:
    """Caps on what one submitted fact file may hold, so hostile input cannot blow up.

    Built from :class:`Settings` (see :attr:`Settings.input_limits`); the
    defaults are the settings' defaults, for callers that have no settings.
    """

    max_fact_file_bytes: int = 2 * 1024 * 1024
    max_article_chars: int = 1_000_000
    max_literal_chars: int = 10_000
    max_yaml_aliases: int = 100
    max_yaml_nodes: int = 200_000
    max_facts_per_file: int = 2_000


DEFAULT_LIMITS = InputLimits()


@dataclass(frozen=True)
class Settings:
    """Configuration of graphkg; see ``docs/settings.md`` for each field."""

    base: str = "https://w3id.org/graphkg/"
    store: Path | str = Path("data/store")
    store_query_url: str = ""
    store_update_url: str = ""
    store_graph_url: str = ""
    store_credentials_file: Path | None = None
    seeds: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = field(default_factory=lambda: max(2, os.cpu_count() or 1))
    http_processes: int = 1
    validation_processes: int = field(default_factory=lambda: os.cpu_count() or 1)
    query_timeout: float = 30.0
    result_cap: int = 10_000
    max_request_bytes: int = 1_048_576
    max_query_nesting: int = 64
    union_default_graph: bool = True
    show_article_text: bool = True
    service_allowlist: tuple[str, ...] = ()
    response_cache_bytes: int = 64 * 1024 * 1024
    remote_cache_seconds: float = 60.0
    reader_cache_mib: int = 16
    max_query_variables: int = 1_000
    max_header_bytes: int = 16_384
    max_fact_file_bytes: int = InputLimits.max_fact_file_bytes
    max_article_chars: int = InputLimits.max_article_chars
    max_literal_chars: int = InputLimits.max_literal_chars
    max_yaml_aliases: int = InputLimits.max_yaml_aliases
    max_yaml_nodes: int = InputLimits.max_yaml_nodes
    max_facts_per_file: int = InputLimits.max_facts_per_file
    history: Path | None = None
    write_tokens: tuple[str, ...] = ()
    write_tokens_file: Path | None = None
    token: str = ""
    token_file: Path | None = None
    server: str = ""
    validation_timeout: float = 30.0
    max_validations: int = 2

    def __post_init__(self) -> None:
        if not self.base.startswith(("http://", "https://")) or not self.base.endswith(("/", "#")):
            raise SettingsError(f"base {self.base!r} must be an http(s) IRI ending in '/' or '#'")
        for name in POSITIVE_SETTINGS:
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive, not {getattr(self, name)}")
        if self.query_timeout <= 0:
            raise SettingsError("query_timeout must be positive")
        if self.validation_timeout <= 0:
            raise SettingsError("validation_timeout must be positive")
        if self.server and not self.server.startswith(("http://", "https://")):
            raise SettingsError(f"server {self.server!r} must be an http(s) URL")
        if self.remote_cache_seconds <= 0:
            raise SettingsError("remote_cache_seconds must be positive")
        if self.response_cache_bytes < 0:
            raise SettingsError("response_cache_bytes must be 0 (off) or positive")
        if self.max_yaml_aliases < 0:
            raise SettingsError("max_yaml_aliases must be 0 (no aliases) or positive")

    def resolved(self) -> Settings:
        """These settings with the store directory made absolute (a store URL stays)."""
        if isinstance(self.store, Path):
            return dataclasses.replace(self, store=self.store.resolve())
        return self

    @property
    def input_limits(self) -> InputLimits:
        """The caps on a fact file, for the readers and mappers of fact files."""
        return InputLimits(**{f.name: getattr(self, f.name) for f in fields(InputLimits)})

    def as_environment(self) -> dict[str, str]:
        """These settings as ``GRAPHKG_*`` variables, for a process that loads its own."""
        environment = {}
        for setting in fields(self):
            value = getattr(self, setting.name)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, tuple):
                value = ",".join(value)
            environment[ENV_PREFIX + setting.name.upper()] = str(value)
        return environment


POSITIVE_SETTINGS = (
    "port",
    "workers",
    "http_processes",
    "validation_processes",
    "result_cap",
    "max_request_bytes",
    "max_query_nesting",
    "max_query_variables",
    "reader_cache_mib",
    "max_header_bytes",
    "max_fact_file_bytes",
    "max_article_chars",
    "max_literal_chars",
    "max_yaml_nodes",
    "max_facts_per_file",
    "max_validations",
)

SECRET_SETTINGS = ("write_tokens", "token")
"""Settings that are secrets: from the environment only, never from a settings file."""

SETTINGS_HELP: dict[str, str] = {
    "base": "Base IRI under which entity, fact and graph IRIs are minted.",
    "store": "Directory of the on-disk Oxigraph store, or the http(s) URL of a SPARQL 1.1 "
    "store to run on (Oxigraph server's /query, /update and /store paths unless set below).",
    "store_query_url": "A remote store's SPARQL query endpoint, when not {store}/query.",
    "store_update_url": "A remote store's SPARQL update endpoint, when not {store}/update.",
    "store_graph_url": "A remote store's Graph Store Protocol endpoint, when not {store}/store.",
    "store_credentials_file": "A file holding the remote store's credentials, "
    "`basic USER:PASSWORD` or `bearer TOKEN` (or set GRAPHKG_STORE_CREDENTIALS); never in the "
    "repository.",
    "seeds": "Directory of seed articles (default: the seeds shipped with graphkg).",
    "host": "Address the server listens on.",
    "port": "Port the server listens on.",
    "workers": "Query worker processes, shared by all HTTP processes (one per core, at least 2).",
    "http_processes": "HTTP processes of the server (one per core uses every core).",
    "validation_processes": "Processes that validate the articles of a build or a batch "
    "(one per core); used from 64 articles on.",
    "query_timeout": "Longest a query may run, in seconds; requests may lower it.",
    "result_cap": "Most result rows returned; more are cut and flagged as partial.",
    "max_request_bytes": "Largest request body accepted, in bytes (larger: 413).",
    "max_query_nesting": "Deepest nesting of { } groups accepted in a query.",
    "union_default_graph": "Query the union of the data graphs as the default graph.",
    "show_article_text": "Serve the articles' full texts (pages, SPARQL, graph store, dumps); "
    "off for public deployments: only the quoted evidence is served.",
    "service_allowlist": "IRI prefixes that SPARQL SERVICE may call (comma-separated).",
    "response_cache_bytes": "Disk space for whole responses, shared by the HTTP processes and "
    "kept until the data changes (0: off).",
    "remote_cache_seconds": "On a remote store, the longest an answer is cached and its ETag "
    "holds: writes made behind graphkg's back show within this time.",
    "reader_cache_mib": "How much the server's processes may grow from reading the embedded "
    "store (its engine's block caches) before they reopen it to hand the memory back, in MiB.",
    "max_query_variables": "Most distinct variables a query may name (more: 400, before any "
    "engine sees it).",
    "max_header_bytes": "Largest request head (request line and headers) the HTTP server "
    "accepts, in bytes.",
    "max_fact_file_bytes": "Largest fact file accepted (YAML, Turtle or JSON-LD), in bytes.",
    "max_article_chars": "Longest article text accepted, in characters.",
    "max_literal_chars": "Longest ordinary value (a title, a name, a quote) accepted in a fact "
    "file, in characters; article texts have max_article_chars.",
    "max_yaml_aliases": "Most YAML aliases (*name) a fact file may use.",
    "max_yaml_nodes": "Most YAML keys and values a fact file may hold, its aliases expanded.",
    "max_facts_per_file": "Most entities and facts one fact file may declare.",
    "history": "Directory of the history of changes (default: the embedded store's directory; "
    "for a remote store, a folder per store URL in the user's data folder).",
    "write_tokens": "The server's write tokens, `name:token:scope` (scope `steward` or `admin`), "
    "comma-separated; a secret, so from GRAPHKG_WRITE_TOKENS only. Writes are off without any.",
    "write_tokens_file": "A file of write tokens, one `name:token:scope` per line; never in the "
    "repository.",
    "token": "The write token that `graphkg add`, `remove` and `restore` send to a server; a "
    "secret, so from GRAPHKG_TOKEN only.",
    "token_file": "A file holding the write token that `graphkg add`, `remove` and `restore` "
    "send to a server.",
    "server": "URL of a running graphkg server that `graphkg add` and `remove` send their "
    "writes to (found by itself when the server holds the embedded store).",
    "validation_timeout": "Longest one POST /validate may run, in seconds.",
    "max_validations": "Most POST /validate requests evaluated at once by one HTTP process "
    "(more: 503).",
}


def store_location(text: str) -> Path | str:
    """A store's location as given: the URL of a remote store, or a directory."""
    return text if text.startswith(("http://", "https://")) else Path(text)


def _convert(name: str, raw: Any, origin: str) -> Any:
    field_type = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if field_type == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError("expected true or false")
        if field_type == "int":
            return int(raw)
        if field_type == "float":
            return float(raw)
        if field_type in ("Path", "Path | None"):
            return Path(raw)
        if field_type == "Path | str":
            return store_location(str(raw))
        if field_type == "tuple[str, ...]":
            items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
            return tuple(item.strip() for item in items if item.strip())
        return str(raw)
    except ValueError as error:
        raise SettingsError(f"setting {name} from {origin}: {raw!r} is invalid ({error})") from None


def _check_names(values: Mapping[str, Any], origin: str) -> None:
    known = {f.name for f in fields(Settings)}
    for name in values:
        if name not in known:
            raise SettingsError(
                f"unknown setting {name!r} in {origin}; known settings: {', '.join(sorted(known))}"
            )


def load_settings(
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings: defaults < TOML file < ``GRAPHKG_*`` variables < overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_file = config_file or (
        Path(environ[CONFIG_VARIABLE]) if environ.get(CONFIG_VARIABLE) else None
    )
    if config_file is not None:
        try:
            from_file = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SettingsError(f"cannot read settings file {config_file}: {error}") from None
        _check_names(from_file, str(config_file))
        for name in SECRET_SETTINGS:
            if name in from_file:
                raise SettingsError(
                    f"{name} in {config_file}: a secret is never kept in a settings file; "
                    f"set {ENV_PREFIX}{name.upper()} or use {name}_file"
                )
        values.update({k: _convert(k, v, str(config_file)) for k, v in from_file.items()})
    from_env = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and key not in NOT_SETTINGS
    }
    _check_names(from_env, "the environment (GRAPHKG_*)")
    values.update({k: _convert(k, v, f"{ENV_PREFIX}{k.upper()}") for k, v in from_env.items()})
    for name, value in (overrides or {}).items():
        if value is not None:
            _check_names({name: value}, "the command line")
            values[name] = _convert(name, value, "the command line")
    return dataclasses.replace(Settings(), **values)
