"""Named steps of the write path, where fault-injection tests kill a real process.

A test sets ``GRAPHKG_KILL_AT`` to one of :data:`WRITE_STEPS` and runs a real
graphkg command; when the write reaches that step, the process sends itself
SIGKILL, as a power cut or the OOM killer would. Nothing else reads the
variable, and it is not a setting, so no configuration can enable it.
"""

from __future__ import annotations

import os
import signal

from graphkg.settings import KILL_AT_VARIABLE

WRITE_STEPS = (
    "intent-recorded",  # the store knows a write is under way; nothing changed yet
    "cleared",  # a build has emptied the primary store
    "committed",  # the primary store holds the change; readers do not see it yet
    "checkpoint-copied",  # the new checkpoint exists, its twins do not
    "copies-written",  # the checkpoint and its copies exist; CURRENT still names the old one
    "indexed",  # the search index holds the new checkpoint's rows; CURRENT names the old one
    "published",  # CURRENT names the new checkpoint; the write is done
)
"""The steps, in the order a write passes them (``cleared`` only in a build)."""


def step_reached(step: str) -> None:
    """Mark a step of the write path; the process dies here if a test asked for it."""
    if os.environ.get(KILL_AT_VARIABLE) == step:
        os.kill(os.getpid(), signal.SIGKILL)
