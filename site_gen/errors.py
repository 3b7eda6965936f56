"""The project's exception types: everything the CLI prints instead of a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class SiteGenError(Exception):
    """A problem the user can fix; the CLI prints it and exits 1."""


@dataclass(frozen=True)
class Problem:
    """One content problem: which file, which field, what is wrong, how to fix it."""

    path: str
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}: " if self.field else f"{self.path}: "
        return where + self.message + (f" ({self.hint})" if self.hint else "")


class ContentError(SiteGenError):
    """One or more content problems, reported together (the build exits 1)."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
