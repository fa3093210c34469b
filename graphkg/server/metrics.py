"""Request counters and latency histograms, summed over the server's HTTP processes.

Each HTTP process counts what it answers. With several processes, each also
writes its counts to a file in a directory they share, every second, and
``/metrics`` (answered by any one of them) adds up the files, so the totals
are those of the whole server, at most a second old.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SHARE_INTERVAL_SECONDS = 1.0

Counts = dict[str, Any]
"""A JSON-ready snapshot: ``requests`` [[endpoint, status, n]], ``latency``
{endpoint: [bucket counts..., sum, count]}, ``counters`` {name: n}."""

COUNTERS = {
    "query_timeouts": ("counter", "Queries stopped at their time limit."),
    "query_worker_restarts": ("counter", "Query workers killed and replaced."),
    "response_cache_hits": ("counter", "Responses served from the cache."),
    "response_cache_misses": ("counter", "GETs the cache could not answer."),
    "response_cache_bytes": ("gauge", "Bytes the response cache holds on disk."),
    "response_cache_entries": ("gauge", "Responses held by the cache."),
}
"""Counts kept elsewhere in a process (the query pool, the cache), reported with these.
The HTTP processes add up their counters; their gauges measure what they share."""


def share_directory(server_pid: int) -> Path:
    """What the HTTP processes of the server ``server_pid`` share: their counts, and
    their response cache (in ``responses/``)."""
    return Path(tempfile.gettempdir()) / f"graphkg-serve-{server_pid}"


class Metrics:
    """The counts of this process, and of its sibling processes once sharing started."""

    def __init__(self, counters: Callable[[], dict[str, int]] = dict) -> None:
        self._counters = counters
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str], int] = defaultdict(int)
        self._latency: dict[str, list[float]] = defaultdict(
            lambda: [0] * (len(LATENCY_BUCKETS) + 2)
        )
        self._share: Path | None = None

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(endpoint, str(status))] += 1
            latency = self._latency[endpoint]
            for index, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    latency[index] += 1
            latency[-2] += seconds
            latency[-1] += 1

    def snapshot(self) -> Counts:
        """This process's counts."""
        with self._lock:
            return {
                "requests": [[e, s, n] for (e, s), n in self._requests.items()],
                "latency": {e: list(values) for e, values in self._latency.items()},
                "counters": self._counters(),
            }

    def start_sharing(self, directory: Path) -> None:
        """Write this process's counts to ``directory`` every second, and read its siblings'."""
        directory.mkdir(mode=0o700, exist_ok=True)
        self._share = directory / f"{os.getpid()}.json"
        self._write_share()
        threading.Thread(target=self._share_forever, daemon=True).start()

    def _share_forever(self) -> None:
        while True:
            time.sleep(SHARE_INTERVAL_SECONDS)
            self._write_share()

    def _write_share(self) -> None:
        assert self._share is not None
        partial = self._share.with_suffix(".part")
        partial.write_text(json.dumps(self.snapshot()), encoding="utf-8")
        os.replace(partial, self._share)

    def totals(self) -> Counts:
        """The counts of the whole server: this process's, and its siblings' last shared."""
        own = self.snapshot()
        if self._share is None:
            return own
        others = []
        for path in self._share.parent.glob("*.json"):
            if path != self._share:
                try:
                    others.append(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError):  # a sibling replacing its file right now
                    continue
        return merge([own, *others])


def merge(snapshots: Iterable[Counts]) -> Counts:
    requests: dict[tuple[str, str], int] = defaultdict(int)
    latency: dict[str, list[float]] = {}
    counters: dict[str, int] = defaultdict(int)
    for snapshot in snapshots:
        for endpoint, status, count in snapshot["requests"]:
            requests[(endpoint, status)] += count
        for endpoint, values in snapshot["latency"].items():
            held = latency.setdefault(endpoint, [0] * len(values))
            latency[endpoint] = [a + b for a, b in zip(held, values, strict=True)]
        for name, value in snapshot["counters"].items():
            shared = COUNTERS.get(name, ("counter",))[0] == "gauge"
            counters[name] = max(counters[name], value) if shared else counters[name] + value
    return {
        "requests": [[e, s, n] for (e, s), n in requests.items()],
        "latency": latency,
        "counters": dict(counters),
    }


def render(counts: Counts, *, triples: int, store_bytes: int | None) -> str:
    """Counts in the Prometheus text format (0.0.4); ``store_bytes`` is None for a remote
    store, whose size on disk is its own."""
    requests = sorted((e, s, n) for e, s, n in counts["requests"])
    lines = [
        "# HELP graphkg_requests_total HTTP requests by endpoint and status.",
        "# TYPE graphkg_requests_total counter",
        *(f'graphkg_requests_total{{endpoint="{e}",status="{s}"}} {n}' for e, s, n in requests),
        "# HELP graphkg_errors_total HTTP responses with status 500 or above, by endpoint.",
        "# TYPE graphkg_errors_total counter",
    ]
    errors: dict[str, int] = defaultdict(int)
    for endpoint, status, count in requests:
        if int(status) >= 500:
            errors[endpoint] += count
    lines += [f'graphkg_errors_total{{endpoint="{e}"}} {n}' for e, n in sorted(errors.items())]
    lines += [
        "# HELP graphkg_request_seconds Request latency by endpoint.",
        "# TYPE graphkg_request_seconds histogram",
    ]
    for endpoint, values in sorted(counts["latency"].items()):
        for bound, count in zip(LATENCY_BUCKETS, values[: len(LATENCY_BUCKETS)], strict=True):
            labels = f'endpoint="{endpoint}",le="{bound}"'
            lines.append(f"graphkg_request_seconds_bucket{{{labels}}} {count}")
        seconds, total = values[-2], values[-1]
        lines += [
            f'graphkg_request_seconds_bucket{{endpoint="{endpoint}",le="+Inf"}} {total}',
            f'graphkg_request_seconds_sum{{endpoint="{endpoint}"}} {seconds:.6f}',
            f'graphkg_request_seconds_count{{endpoint="{endpoint}"}} {total}',
        ]
    for name, value in sorted(counts["counters"].items()):
        kind, help_text = COUNTERS[name]
        metric = f"graphkg_{name}_total" if kind == "counter" else f"graphkg_{name}"
        lines += [f"# HELP {metric} {help_text}", f"# TYPE {metric} {kind}", f"{metric} {value}"]
    lines += [
        "# HELP graphkg_store_triples Triples in the store.",
        "# TYPE graphkg_store_triples gauge",
        f"graphkg_store_triples {triples}",
    ]
    if store_bytes is not None:
        lines += [
            "# HELP graphkg_store_bytes Size of the store on disk, hard-linked files counted once.",
            "# TYPE graphkg_store_bytes gauge",
            f"graphkg_store_bytes {store_bytes}",
        ]
    return "\n".join(lines) + "\n"
