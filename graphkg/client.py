"""Writes sent to a running graphkg server over HTTP, for ``graphkg add``, ``remove`` and
``restore`` when a server holds the store (or ``server`` names one)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from graphkg.errors import WriteRefused
from graphkg.submission import Submission
from graphkg.writer import Progress, WriteOutcome, WriteRequest

TIMEOUT_SECONDS = 600.0
"""A batch of many articles is validated and committed before the server answers."""


class ServerWrites:
    """The writes of a graphkg server, over HTTP with a write token: the same calls as a
    :class:`~graphkg.writer.Writer`, for commands run while a server holds the store."""

    def __init__(self, server: str, token: str | None) -> None:
        self.server = server.rstrip("/")
        self._token = token

    def _send(self, method: str, path: str, report_type: str, **arguments: Any) -> WriteOutcome:
        url = self.server + path
        if not self._token:
            raise WriteRefused(
                f"the graphkg server at {self.server}/ takes writes with a write token: set "
                "GRAPHKG_TOKEN or the token_file setting"
            )
        headers = {"Authorization": f"Bearer {self._token}", "Accept": report_type}
        try:
            response = httpx.request(
                method, url, headers=headers, timeout=TIMEOUT_SECONDS, **arguments
            )
        except httpx.HTTPError as error:
            raise WriteRefused(f"cannot reach the graphkg server at {url}: {error}") from None
        status, media_type = response.status_code, response.headers.get("Content-Type", "")
        if status >= 400 and status != 422:
            return WriteOutcome.failed(status, f"{url} answered {response.text.strip()}")
        return WriteOutcome(status, response.content, media_type.split(";")[0])

    def submit(
        self, submission: Submission, request: WriteRequest, progress: Progress | None = None
    ) -> WriteOutcome:
        """POST the files to ``/facts``; the server writes as the token's name and scope."""
        parts = [
            ("facts" if name in submission.fact_files else "file", (name, data))
            for name, data in submission.files
        ]
        flags = {"dry_run": str(request.dry_run).lower(), "strict": str(request.strict).lower()}
        return self._send("POST", "/facts", request.report_type, files=parts, params=flags)

    def add_paths(
        self, paths: list[Path], request: WriteRequest, progress: Progress | None = None
    ) -> WriteOutcome:
        """:meth:`submit` of fact files on this machine, with the texts they name; the
        answer names them by their paths here."""
        submission = Submission.from_paths(paths)
        outcome = self.submit(submission, request)
        body = outcome.body
        for name, shown in submission.shown:
            body = body.replace(name.encode(), json.dumps(shown)[1:-1].encode())
        return dataclasses.replace(outcome, body=body)

    def remove(self, article_id: str, request: WriteRequest) -> WriteOutcome:
        path = f"/facts/{quote(article_id, safe='')}"
        flags = {"strict": str(request.strict).lower()}
        return self._send("DELETE", path, "application/json", params=flags)

    def restore(self, article_id: str, version: int, request: WriteRequest) -> WriteOutcome:
        path = f"/history/{quote(article_id, safe='')}/{version}/restore"
        return self._send("POST", path, request.report_type)

    def close(self) -> None:
        pass
