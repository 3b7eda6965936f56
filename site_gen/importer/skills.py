"""The skill vocabulary: which words of a posting become tags, and how they are spelled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

#: What may separate two skills of one list: "C++, C, Go", "Erlang/Elixir", "Elixir and/or OTP".
_SEPARATOR = re.compile(r"^(?:[\s,/&;|+·()]|\band\b|\bor\b|\bund\b|\boder\b|\bet\b|\bas well as\b)*$", re.I)
#: A skill must stand alone: not inside a longer word, "C" not the start of "C++", "node" not of "node.js".
_LEFT = r"(?<![\w+#.@-])"
_RIGHT = {True: r"(?![\w+#]|\.\w)", False: r"(?![\w+#]|\.\w|-\w)"}  # "React-based" yes, "go-to" no


@dataclass(frozen=True)
class Match:
    """One mention of a skill in a text."""

    name: str  #: canonical tag
    start: int
    end: int
    strict: bool  #: a `listed` form: only counts beside another skill


class Vocabulary:
    """Skill names and aliases, compiled into three regular expressions."""

    def __init__(self, entries: dict[str, dict[str, list[str]]]):
        self.entries = entries
        loose: dict[str, str] = {}
        cased: dict[str, str] = {}
        listed: dict[str, str] = {}
        for name, spec in entries.items():
            if not spec["cased"] and not spec["listed"]:
                loose[_key(name.lower())] = name
            for alias in spec["aliases"]:
                loose[_key(alias.lower())] = name
            for form in spec["cased"]:
                cased[_key(form)] = name
            for form in spec["listed"]:
                listed[_key(form)] = name
        self._lookup = {"loose": loose, "cased": cased, "listed": listed}
        self._patterns = {kind: _alternation(table, kind) for kind, table in self._lookup.items()}

    def canonical(self, word: str) -> str | None:
        """Return the tag for a word the posting gave as a tag, or None if it is not a known skill."""
        key = _key(word.strip())
        low = key.lower()
        if word.strip().lower() in self.entries:
            return word.strip().lower()
        return self._lookup["loose"].get(low) or self._lookup["cased"].get(key) or self._lookup["listed"].get(key)

    def find(self, text: str) -> list[Match]:
        """List every accepted skill mention in ``text``, in order of position."""
        found: list[Match] = []
        for kind, pattern in self._patterns.items():
            if pattern is None:
                continue
            table = self._lookup[kind]
            for m in pattern.finditer(text):
                key = _key(m.group(1).lower() if kind == "loose" else m.group(1))
                found.append(Match(table[key], m.start(1), m.end(1), kind == "listed"))
        found = _drop_overlaps(found)
        return _accept_listed(text, found)

    def tags(self, text: str) -> list[tuple[str, str]]:
        """Return ``(tag, evidence line)`` for each skill named in ``text``, first mention first."""
        seen: dict[str, str] = {}
        for m in self.find(text):
            if m.name not in seen:
                seen[m.name] = _line_at(text, m.start)
        return list(seen.items())


def _key(form: str) -> str:
    """Spaces and hyphens are interchangeable inside a skill name ("react native", "react-native")."""
    return re.sub(r"[\s-]+", " ", form)


def _alternation(table: dict[str, str], kind: str) -> re.Pattern[str] | None:
    """Compile the forms into one trie-shaped pattern: fast on long texts, longest form first."""
    if not table:
        return None
    trie: dict = {}
    for form in table:
        node = trie
        for ch in form:
            node = node.setdefault(" " if ch in " -" else ch, {})
        node[""] = {}
    body = _trie_pattern(trie)
    return re.compile(f"{_LEFT}({body}){_RIGHT[kind != 'listed']}", re.I if kind == "loose" else 0)


def _trie_pattern(node: dict) -> str:
    end = "" in node
    branches = [(r"[\s-]+" if ch == " " else re.escape(ch)) + _trie_pattern(child)
                for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{inner})?" if end else inner


def _drop_overlaps(found: list[Match]) -> list[Match]:
    """Keep the longest mention where two overlap ("ruby on rails" beats "ruby")."""
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _accept_listed(text: str, found: list[Match]) -> list[Match]:
    """Accept an ambiguous form ("Go", "C") only beside an accepted skill or alone on a list line."""
    accepted = [not m.strict or _alone_on_line(text, m) or _set_apart(text, m) for m in found]
    changed = True
    while changed:
        changed = False
        for i, m in enumerate(found):
            if accepted[i]:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(found) and accepted[j]:
                    lo, hi = (found[j].end, m.start) if j < i else (m.end, found[j].start)
                    if "\n" not in text[lo:hi] and _SEPARATOR.match(text[lo:hi]):
                        accepted[i] = changed = True
                        break
    return [m for m, ok in zip(found, accepted) if ok]


def _alone_on_line(text: str, m: Match) -> bool:
    start = text.rfind("\n", 0, m.start) + 1
    end = text.find("\n", m.end)
    line = text[start:end if end >= 0 else len(text)]
    return re.sub(r"^\s*(?:[-*+•]|\d+[.)])?\s*", "", line).strip(" .;,") == text[m.start:m.end]


def _set_apart(text: str, m: Match) -> bool:
    """A form alone in parentheses or emphasis names the skill: "Backend Developer (Go)", "*Go*"."""
    before, after = text[max(0, m.start - 2):m.start], text[m.end:m.end + 2]
    if before.endswith("(") and after.startswith(")"):
        return True
    mark = re.match(r"\*\*|__|\*|_", after)
    return bool(mark) and before.endswith(mark.group(0)) and (m.start - len(mark.group(0)) == 0 or
                                                            not text[m.start - len(mark.group(0)) - 1].isalnum())


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)].strip()


def _normalise(raw: Any, source: str) -> dict[str, dict[str, list[str]]] | None:
    """Turn one entry's YAML value into ``{aliases, cased, listed}`` (None removes the skill)."""
    if raw is False:
        return None
    if raw is None:
        raw = []
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        raw = {"aliases": raw}
    if not isinstance(raw, dict) or set(raw) - {"aliases", "cased", "listed"}:
        raise ValueError(f"{source}: each skill needs a list of aliases or {{aliases, cased, listed}}")
    return {k: [str(v) for v in (raw.get(k) or [])] for k in ("aliases", "cased", "listed")}


def load_vocabulary(extra: Path | None = None) -> Vocabulary:
    """Read the built-in vocabulary, then let a project's ``skills.yaml`` add, extend or remove skills."""
    text = resources.files("site_gen").joinpath("data/skills.yaml").read_text(encoding="utf-8")
    entries: dict[str, dict[str, list[str]]] = {}
    sources = [("site_gen/data/skills.yaml", text)]
    if extra is not None and extra.is_file():
        sources.append((extra.as_posix(), extra.read_text(encoding="utf-8-sig")))
    for source, content in sources:
        try:
            data = yaml.safe_load(content) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{source}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError(f"{source}: must map skill names to aliases")
        for name, raw in data.items():
            name = str(name).strip().lower()
            spec = _normalise(raw, source)
            if spec is None:
                entries.pop(name, None)
            elif name in entries:
                for key, values in spec.items():
                    entries[name][key] = sorted(set(entries[name][key]) | set(values))
            else:
                entries[name] = spec
    return Vocabulary(entries)
