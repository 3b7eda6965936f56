"""JSON text that is the same every time: sorted keys, no spaces, UTF-8 as it is (orjson where it agrees with json)."""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a declared dependency; json writes the same text, only slower
    orjson = None

#: Values orjson writes exactly as ``json.dumps(ensure_ascii=False)`` does (floats differ: "1e16", not "1e+16").
_SAME_IN_ORJSON = frozenset({str, int, bool, type(None)})


def orjson_bytes(data: Any) -> bytes | None:
    """``json_text(data)`` as UTF-8, written by orjson; None where orjson would write other text or none.

    orjson makes the same bytes as ``json`` (tests compare them) in a fifth of the time; data it
    would write differently (floats, other types) or cannot write (huge ints, lone surrogates) is
    left to ``json``.
    """
    if orjson is not None and _orjson_safe(data):
        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # an int beyond 64 bits, a lone surrogate
            return None
    return None


def canonical_json(data: Any) -> str:
    """``json_text(data)``, written by orjson where it gives the same text."""
    raw = orjson_bytes(data)
    return raw.decode("utf-8") if raw is not None else json_text(data)


def canonical_json_bytes(data: Any) -> bytes:
    """``json_text(data)`` as UTF-8, written by orjson where it gives the same text.

    Text UTF-8 cannot hold (a lone surrogate: Python's name for a byte of a file name that is not
    UTF-8) is written as ``\\u`` escapes instead, which read back as the same value.
    """
    raw = orjson_bytes(data)
    if raw is not None:
        return raw
    try:
        return json_text(data).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")


def json_text(data: Any) -> str:
    """JSON with sorted keys, no spaces and characters as they are: the same text every time."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _orjson_safe(value: Any) -> bool:
    """Whether ``value`` holds only dicts with str keys, lists, tuples, str, int, bool and None."""
    kind = type(value)
    if kind in _SAME_IN_ORJSON:
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (type(item) in _SAME_IN_ORJSON or _orjson_safe(item)):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            if not (type(item) in _SAME_IN_ORJSON or _orjson_safe(item)):
                return False
        return True
    return False
