"""The signals that stop a command (Ctrl-C, `kill`, a closed terminal), and handling them for a while.

Shared by the `course` command, which turns `kill` and hang-up into the clean-up path of Ctrl-C, and by the
writes of several files, which hold every stop until their renames are done.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator, Sequence

STOPS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def handled(stops: Sequence[int], handler: Callable[[int, object], None]) -> Iterator[None]:
    """Let `handler` take these signals for the block, then give them back to the handlers they had.

    Only the main thread receives signals, so elsewhere nothing changes. A stop the command was started to
    ignore (`nohup`, a background job) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {stop: signal.signal(stop, handler) for stop in stops if signal.getsignal(stop) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for stop, previous in before.items():
            signal.signal(stop, signal.SIG_DFL if previous is None else previous)
