"""Writes sent to a running graphkg server over HTTP, for ``graphkg add`` and ``remove``
when a server holds the store (or ``server`` names one).

A YAML fact file goes with the article text it names (``file:``); each file
goes under a folder of its own in the request (``1/facts.yaml``,
``1/article.txt``), so several articles' texts may share a name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from graphkg.errors import GraphkgError
from graphkg.rdfinput import YAML_SUFFIXES

TIMEOUT_SECONDS = 600.0
"""A batch of many articles is validated and committed before the server answers."""


class ServerRefused(GraphkgError):
    """The server answered a write with an error; the message is its account."""


@dataclass(frozen=True)
class ServerAnswer:
    status: int
    body: dict[str, Any]


def _named_text(path: Path) -> Path | None:
    """The article text a YAML fact file names, if it names one that exists."""
    if path.suffix not in YAML_SUFFIXES:
        return None
    try:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the server reports what is wrong with it
    article = parsed.get("article") if isinstance(parsed, dict) else None
    name = article.get("file") if isinstance(article, dict) else None
    text = path.parent / name if isinstance(name, str) else None
    return text if text is not None and text.is_file() else None


def _parts(paths: list[Path]) -> list[tuple[str, tuple[str, bytes]]]:
    parts = []
    for index, path in enumerate(paths, start=1):
        parts.append(("facts", (f"{index}/{path.name}", path.read_bytes())))
        text = _named_text(path)
        if text is not None:
            name = text.relative_to(path.parent).as_posix()
            parts.append(("file", (f"{index}/{name}", text.read_bytes())))
    return parts


def _request(method: str, url: str, token: str | None, **arguments: Any) -> httpx.Response:
    if not token:
        raise ServerRefused(
            f"the graphkg server at {url} takes writes with a write token: set GRAPHKG_TOKEN "
            "or the token_file setting"
        )
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    try:
        return httpx.request(method, url, headers=headers, timeout=TIMEOUT_SECONDS, **arguments)
    except httpx.HTTPError as error:
        raise ServerRefused(f"cannot reach the graphkg server at {url}: {error}") from None


def _answer(url: str, response: httpx.Response) -> ServerAnswer:
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = {"error": response.text.strip()}
    if response.status_code >= 400 and response.status_code != 422:
        raise ServerRefused(
            f"the graphkg server at {url} answered {response.status_code}: "
            + str(body.get("error", body))
        )
    return ServerAnswer(response.status_code, body)


def submit_files(server: str, token: str | None, paths: list[Path]) -> ServerAnswer:
    """POST the fact files (with their texts) to ``server``'s ``/facts``."""
    url = server.rstrip("/") + "/facts"
    return _answer(url, _request("POST", url, token, files=_parts(paths)))


def remove_article(server: str, token: str | None, article_id: str) -> ServerAnswer:
    url = f"{server.rstrip('/')}/facts/{article_id}"
    return _answer(url, _request("DELETE", url, token))
