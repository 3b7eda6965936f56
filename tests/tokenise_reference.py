"""The search tokeniser's rules written plainly (search.js mirrors them): tests compare ``tokenise`` with it."""

from __future__ import annotations

from site_gen import search_codec


def general_tokenise(text: str) -> list[str]:
    """The tokeniser with a plain ``in`` test per symbol (search.js mirrors these rules)."""
    if not text.isascii() and "\u03a3" not in text:
        for mark in search_codec._PROSE_PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
    text = search_codec.normalise(text)
    for symbol, word in search_codec.SYMBOLS:
        if symbol in text:
            text = text.replace(symbol, word)
    spaced = text.encode("utf-8", "surrogatepass").translate(search_codec._ASCII_SPACES).decode("utf-8", "surrogatepass")
    return spaced.split() if spaced.isascii() else search_codec._NON_ASCII_NON_WORD.sub(" ", spaced).split()
