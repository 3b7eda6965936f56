"""Read the common shape of front matter without PyYAML's constructors, which run in Python.

Most postings' front matter is ``key: value`` lines, one level of block lists or mappings and
flow lists of plain words. ``load`` reads exactly that shape and answers ``None`` for anything
else (anchors, multi-line or escaped strings, comments, odd keys, tabs...), which then goes to
PyYAML: the result is always what PyYAML gives, because plain words are typed by PyYAML's own
resolver (``yes`` is true, ``2025-01-05`` stays text as load.py asks). It is ~5x faster than
PyYAML with the C scanner on such front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

#: Longer front matter goes to PyYAML and load.py's size, depth and node checks. Below this size
#: the fast path's result cannot break them (two levels, a few thousand values, numbers of at most
#: 38 digits), so those checks are skipped for it.
MAX_CHARS = 20_000
#: A field name the fast path accepts, and where its value starts.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?\Z")
#: A block-list item or a nested ``key: value`` line, indented.
_ITEM = re.compile(r"( *)- +(.*)\Z")
_NESTED = re.compile(r"( +)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?\Z")
#: Characters YAML's reader refuses or reads as line breaks (then PyYAML decides), and tabs: all but
#: \n, \x20-\x7e, \xa0-\u2027, \u202a-\ud7ff, \ue000-\ufefe, \uff00-\ufffd and above \uffff. Listed,
#: not negated: the negated class took ~3 ms to compile, before the parse starts (same set: tested).
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
#: Plain (unquoted) words that need no more than the resolver: no indicator first, no ": " or " #".
_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s](?:[^:#]|:(?! |\Z)|(?<! )#)*?\Z")
#: One item of a flow list: a quoted string without escapes, or plain text up to the next comma.
_FLOW_ITEM = re.compile(r""" *("[^"\\]*"|'[^']*'|[^,"'\[\]{}]*?) *(?:,|\Z)""")  # YAML spaces only: not \xa0
_FLOW_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +([^'\"]+)\Z")
_FLOW_SPECIAL = frozenset(":#!&*?|>%@`'\"")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
#: PyYAML's implicit resolvers by first character, the wildcard ones (none, today) appended to each.
_WILDCARD = tuple(yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {first: tuple(found) + _WILDCARD
             for first, found in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if first}
_UNSURE = object()
_BLOCK = object()
_FLOW = object()
_KEYS: dict[str, bool] = {}


def load(text: str) -> dict[str, Any] | None:
    """Return the mapping PyYAML would return for ``text``, or None when the fast path is unsure."""
    if len(text) > MAX_CHARS or not text.strip() or _UNUSUAL.search(text):
        return None
    lines = [line.rstrip(" ") for line in text.split("\n")]
    data: dict[str, Any] = {}
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        i += 1
        if not line:
            continue
        key, rest, value = _line(line)
        if key is None or key in data:
            return None
        if value is _FLOW:
            value = _value(rest)  # a new list or mapping for every posting: callers may keep or change it
        elif value is _BLOCK:
            start = i
            while i < count and (not lines[i] or lines[i][0] == " " or lines[i].startswith("- ")):
                i += 1
            value = _block(lines[start:i])
        if value is _UNSURE:
            return None
        data[key] = value
    return data


@lru_cache(maxsize=4096)  # remote, employment_type, tag and salary lines recur across postings
def _line(line: str) -> tuple[str | None, str | None, Any]:
    """A top-level line's key, the text after it and its scalar value; no key when unsure.

    The value is _BLOCK when it is on the lines below, _FLOW for ``[...]`` or ``{...}`` (read
    afresh by the caller: only immutable values are kept here).
    """
    match = _KEY.match(line)
    if match is None or not _text_key(match.group(1)):
        return None, None, _UNSURE
    key, rest = match.groups()
    if rest is None:
        return key, rest, _BLOCK
    return key, rest, _FLOW if rest[0] in "[{" else _value(rest)


def _block(lines: list[str]) -> Any:
    """Read the indented lines under a key: a list of scalars, a mapping of scalars, or null."""
    lines = [line for line in lines if line]
    if not lines:
        return None
    first = _ITEM.match(lines[0])
    if first is not None:
        indent = first.group(1)
        items = []
        for line in lines:
            match = _ITEM.match(line)
            if match is None or match.group(1) != indent:
                return _UNSURE
            items.append(_scalar(match.group(2)))
        return _UNSURE if _UNSURE in items else items
    return _mapping(_block_pairs(lines), _scalar)


def _value(text: str) -> Any:
    """A value on the key's own line: a scalar, or a flow list or mapping of scalars."""
    if text[0] not in "[{":
        return _scalar(text)
    close = "]" if text[0] == "[" else "}"
    if text[-1] != close or sum(text.count(c) for c in "[]{}") != 2:
        return _UNSURE
    inner = text[1:-1].strip(" ")  # YAML's white space is the space (tabs never get here), not \xa0
    if not inner:
        return [] if close == "]" else {}
    if inner.endswith(","):
        return _UNSURE
    if close == "]":
        items = []
        position = 0
        while position < len(inner):
            match = _FLOW_ITEM.match(inner, position)
            if match is None or match.end() == position:
                return _UNSURE
            items.append(_flow_scalar(match.group(1)))
            position = match.end()
        return _UNSURE if _UNSURE in items else items
    return _mapping(((m.group(1), m.group(2)) if (m := _FLOW_PAIR.match(part.strip(" "))) else None
                     for part in inner.split(",")), _flow_scalar)


def _block_pairs(lines: list[str]) -> Iterator[tuple[str, str] | None]:
    """The ``key: value`` pairs of indented lines (all at one indentation); None for a line that is not one."""
    indent = None
    for line in lines:
        match = _NESTED.match(line)
        if match is None or match.group(3) is None or match.group(1) != (indent := indent or match.group(1)):
            yield None
            return
        yield match.group(2), match.group(3)


def _mapping(pairs: Iterable[tuple[str, str] | None], read: Callable[[str], Any]) -> Any:
    """A mapping of text keys to scalars; unsure on a bad pair, a repeated or non-text key, or an unsure value."""
    mapping: dict[str, Any] = {}
    for pair in pairs:
        if pair is None or pair[0] in mapping or not _text_key(pair[0]):
            return _UNSURE
        value = mapping[pair[0]] = read(pair[1])
        if value is _UNSURE:
            return _UNSURE
    return mapping


def _flow_scalar(text: str) -> Any:
    """A scalar inside ``[...]`` or ``{...}``: quoted, or plain without characters that mean more there."""
    if not text or (text[0] not in "\"'" and any(c in text for c in _FLOW_SPECIAL)):
        return _UNSURE
    return _scalar(text)


def _resolve(text: str) -> str:
    """The tag PyYAML's resolver gives a plain, non-empty scalar (Resolver.resolve without its overhead)."""
    for tag, regexp in _IMPLICIT.get(text[0], _WILDCARD):
        if regexp.match(text):
            return tag
    return "tag:yaml.org,2002:str"


def _text_key(key: str) -> bool:
    """True when PyYAML reads ``key`` as text (``on``, ``yes`` or ``null`` as a key are not)."""
    known = _KEYS.get(key)
    if known is None:
        known = _KEYS[key] = _resolve(key) == "tag:yaml.org,2002:str"
    return known


@lru_cache(maxsize=4096)  # values are immutable: text, numbers, booleans, None
def _scalar(text: str) -> Any:
    """One scalar: a double- or single-quoted string without escapes, or a plain word typed by the resolver."""
    if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
        inner = text[1:-1]
        if text[0] in inner or "\\" in inner:
            return _UNSURE
        return inner
    if not _PLAIN.match(text):
        return _UNSURE
    tag = _resolve(text)
    if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":  # load.py keeps dates as text
        return text
    if tag == "tag:yaml.org,2002:bool":
        return SafeConstructor.bool_values[text.lower()]
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int" and _INT.match(text) and len(text) <= 39:
        return int(text)
    if tag == "tag:yaml.org,2002:float" and _FLOAT.match(text):
        return float(text)
    return _UNSURE
