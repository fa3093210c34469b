"""The memory a process holds, and handing back what it has freed (Linux with glibc;
elsewhere nothing is measured and nothing is handed back)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable
from functools import cache

MIB = 1024 * 1024


def anonymous_bytes() -> int | None:
    """The process's resident memory that is not shared with files or other processes
    (its heap, in effect), or None where ``/proc`` does not tell."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            _size, resident, shared, *_ = statm.read().split()
    except (OSError, ValueError):
        return None
    return (int(resident) - int(shared)) * os.sysconf("SC_PAGE_SIZE")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc
        return None


def hand_back_freed_memory() -> None:
    """Return the heap's free pages to the system.

    glibc keeps what a process frees for its next allocations; a reader that
    just dropped a store's caches would otherwise hold their pages for good.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
