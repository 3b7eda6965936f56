"""Helpers for the hostile-input tests: build in-process, split messages, find foreign scripts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from site_gen import cli

NOW = "2025-03-15"
#: The one front matter every hostile test starts from.
HEAD = "---\ntitle: A Job\ncompany: Acme\ndate: 2025-03-01\n"


@dataclass
class Run:
    """What one build printed and returned."""

    code: int
    errors: list[str]
    warnings: list[str]
    stdout: str
    stderr: str


def build(capsys, content: Path, out: Path, *extra: str) -> Run:
    """Run the command line in-process (fast) and sort what it printed into errors and warnings."""
    capsys.readouterr()
    code = cli.main(["build", "--content", str(content), "--out", str(out), "--now", NOW, *extra])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    return Run(code,
               [line.removeprefix("error: ") for line in lines if line.startswith("error: ")],
               [line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")],
               captured.out, captured.err)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, keyed by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def foreign_markup(html: str) -> list[str]:
    """List what in a built page could run code we did not write: scripts, handlers, script URLs.

    Our own scripts are ``<script src="/static/...">`` and ``<script type="application/ld+json">``
    whose text is valid JSON.
    """
    found = []
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
        src = script.get("src")
        if src is not None and src.startswith("/static/") and not script.string:
            continue
        if script.get("type") == "application/ld+json" and src is None:
            try:
                json.loads(script.string or "")
                continue
            except ValueError:
                pass
        found.append(f"script: {str(script)[:120]}")
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"handler {name} on <{tag.name}>")
            text = " ".join(value) if isinstance(value, list) else str(value)
            squashed = "".join(text.split()).lower()
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc") and (
                    squashed.startswith(("javascript:", "vbscript:", "data:")) or name.lower() == "srcdoc"):
                found.append(f"{name}={text[:60]!r} on <{tag.name}>")
        if tag.name in ("iframe", "object", "embed", "frame", "frameset", "base", "svg", "math", "style"):
            found.append(f"<{tag.name}>")
        if tag.name == "form" and tag.get("action") != "/search/":  # our only form is the search box
            found.append(f"<form action={tag.get('action')!r}>")
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            found.append("meta refresh")
    return found
