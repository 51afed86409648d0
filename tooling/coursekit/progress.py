"""Progress for long-running commands: a live line on a terminal, silence in pipes, logs and --quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Report steps of a long task on one updating line of stderr, only when a person is watching."""

    def __init__(self, label: str, total: int | None = None, *, quiet: bool = False, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.label, self.total, self.done = label, total, 0
        self.started = time.monotonic()

    def step(self, what: str = "") -> None:
        """Mark one step done (`what` names it)."""
        self.done += 1
        if self.enabled:
            count = f"{self.done}/{self.total}" if self.total else str(self.done)
            self.stream.write(f"\r\033[K{self.label}: {count} {what}"[:120])
            self.stream.flush()

    def finish(self, message: str = "") -> None:
        """End the live line, leaving a one-line summary with the time taken."""
        if self.enabled:
            seconds = time.monotonic() - self.started
            self.stream.write(f"\r\033[K{self.label}: {message or 'done'} ({seconds:.1f} s)\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind, *_rest) -> None:
        self.finish("failed" if kind else "")
