"""Write canonical postings as text, and tell the user what each import found and what it could not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from .extract import Extraction


def _dump(value: Any, **style: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False, **style)
    # Only YAML's own line breaks and spaces: str.strip() would also eat a value's no-break space.
    return text.removesuffix("\n").removesuffix("\n...").strip(" \n")


def _flow(value: Any) -> str:
    """One value on one line: plain where YAML allows, quoted where it reads back differently otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _dump(value)
    try:
        same = yaml.safe_load(f"k: {text}") == {"k": value}
    except yaml.YAMLError:  # e.g. a value a plain scalar cannot start with
        same = False
    return text if same else _dump(value, default_style='"')


def posting_text(meta: dict[str, Any], body: str) -> str:
    """Render front matter (schema key order, one line per key) and the Markdown body."""
    lines = ["---"]
    for key, value in meta.items():
        if key == "remote":
            lines.append(f"remote: {value}")  # yes / no / hybrid, as the schema writes them
        else:
            lines.append(f"{key}: {_flow(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value.isoformat() if isinstance(value, dt.date) else value)


def describe(source: str, target: str, kind: str, result: Extraction, status: str) -> str:
    """A readable block for one input: where it goes, each field with its evidence, the gaps."""
    out = [f"{source} ({kind}) -> {target}: {status}"]
    for found in result.found:
        value = _show(found.value)
        value = value if len(value) <= 70 else value[:69] + "…"
        out.append(f"  {found.field:<16}{value}")
        out.append(f"  {'':<16}  from: {found.evidence}")
    if result.missing:
        out.append(f"  not found: {', '.join(result.missing)} (left out)")
    for note in result.notes:
        out.append(f"  note: {note}")
    return "\n".join(out)
