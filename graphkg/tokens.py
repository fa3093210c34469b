"""Write tokens: who may change the graph through the server, and how much.

A token is ``name:secret:scope``. Its name is what the history records; its
secret is what a client sends as ``Authorization: Bearer``; its scope is
``steward`` (articles and the entities they declare) or ``admin`` (also
shared entities and any data graph). Tokens come from ``GRAPHKG_WRITE_TOKENS``
or the ``write_tokens_file`` setting, never from a settings file.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from graphkg.errors import SettingsError
from graphkg.settings import Settings

STEWARD = "steward"
ADMIN = "admin"
SCOPES = (STEWARD, ADMIN)
MIN_SECRET_CHARS = 16
"""Shorter secrets are refused: they could be guessed."""


@dataclass(frozen=True)
class WriteToken:
    name: str
    digest: bytes
    """The secret's SHA-256: compared in constant time, and never kept in clear."""
    scope: str

    def allows(self, scope: str) -> bool:
        return self.scope == ADMIN or scope == STEWARD


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def _parse(entry: str, origin: str) -> WriteToken:
    """One ``name:secret:scope``; the message names the token, never its secret."""
    name, _, rest = entry.strip().partition(":")
    secret, _, scope = rest.rpartition(":")
    where = f"write token {name!r} in {origin}" if name else f"a write token in {origin}"
    if not name or not secret or not scope:
        raise SettingsError(f"{where} is not `name:secret:scope`")
    if scope not in SCOPES:
        raise SettingsError(f"{where} has scope {scope!r}; use one of {', '.join(SCOPES)}")
    if len(secret) < MIN_SECRET_CHARS:
        raise SettingsError(
            f"{where} has a secret of {len(secret)} characters; use at least "
            f"{MIN_SECRET_CHARS}, e.g. from Python's `secrets.token_urlsafe()`"
        )
    return WriteToken(name, _digest(secret), scope)


def write_tokens(settings: Settings) -> list[WriteToken]:
    """The server's write tokens, from the settings and the tokens file (empty: no writes)."""
    entries = [(entry, "GRAPHKG_WRITE_TOKENS") for entry in settings.write_tokens]
    if settings.write_tokens_file is not None:
        origin = str(settings.write_tokens_file)
        entries += [(line, origin) for line in _read_secret_file(settings.write_tokens_file)]
    tokens = [_parse(entry, origin) for entry, origin in entries]
    names = [token.name for token in tokens]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise SettingsError(f"write tokens named twice: {', '.join(repeated)}; names must differ")
    return tokens


def token_for(tokens: list[WriteToken], secret: str) -> WriteToken | None:
    """The token whose secret this is; every token is compared, so the time taken
    says nothing about which one, or how much of one, matched."""
    digest = _digest(secret)
    found = None
    for token in tokens:
        if hmac.compare_digest(token.digest, digest):
            found = token
    return found


def client_token(settings: Settings) -> str | None:
    """The write token a command sends to a server: ``GRAPHKG_TOKEN`` or ``token_file``."""
    if settings.token:
        return settings.token
    if settings.token_file is not None:
        lines = _read_secret_file(settings.token_file)
        return lines[0] if lines else None
    return None


def _read_secret_file(path: Path) -> list[str]:
    """The non-blank lines of a secrets file that are not comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror}") from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
