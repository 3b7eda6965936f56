"""A one-line progress bar on the terminal, shown only for builds that take more than a second.

Nothing is drawn when standard error is not a terminal (CI logs, pipes, tests) or with
``--quiet``; the bar is erased before the summary line is printed.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

#: Seconds a build runs before the bar appears: short builds print only their summary line.
DELAY = 1.0
#: Seconds between redraws, so drawing never costs the build anything measurable.
INTERVAL = 0.1
WIDTH = 28


class Progress:
    """Draw ``Stage  [#####-----]  done/total`` on one terminal line, at most ten times a second."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, delay: float = DELAY):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.started = time.perf_counter()
        self.delay = delay
        self.label = ""
        self.total = 0
        self.done = 0
        self.drawn = False
        self._last = 0.0

    def stage(self, label: str, total: int) -> None:
        """Start counting a new stage of ``total`` steps."""
        self.label, self.total, self.done = label, max(total, 0), 0
        self._draw(force=self.drawn)

    def update(self, done: int) -> None:
        """Say how many steps of the current stage are done."""
        self.done = min(done, self.total) if self.total else done
        self._draw(force=self.done == self.total)  # the finished count is always shown

    def advance(self, steps: int = 1) -> None:
        self.update(self.done + steps)

    def close(self) -> None:
        """Erase the bar so the next line (warnings, the summary) starts clean."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def line(self, columns: int = 80) -> str:
        """The text of the bar for the current stage, in at most ``columns - 1`` characters."""
        if not self.total:
            return f"{self.label}..."[:columns - 1]
        counts = f" {self.done:,}/{self.total:,}  {time.perf_counter() - self.started:.1f}s"
        width = min(WIDTH, columns - 1 - 21 - len(counts))  # the bar narrows to fit a narrow terminal
        if width < 5:
            return (f"{self.label}{counts}")[:columns - 1]
        filled = width * self.done // self.total
        return f"{self.label:<18} [{'#' * filled}{'-' * (width - filled)}]{counts}"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.started < self.delay or (not force and now - self._last < INTERVAL):
            return
        self._last = now
        columns = shutil.get_terminal_size((80, 24)).columns  # a wrapped line could not be redrawn in place
        self.stream.write("\r\x1b[K" + self.line(columns))
        self.stream.flush()
        self.drawn = True


class Silent(Progress):
    """A progress bar that never draws (library use, tests, ``--quiet``)."""

    def __init__(self) -> None:
        super().__init__(enabled=False)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
