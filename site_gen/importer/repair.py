"""Repair the damage postings pick up on their way: mojibake, entities, invisible characters, tracking junk."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import ftfy
from ftfy.badness import is_bad

#: ftfy fixes double-encoded UTF-8 ("â€”" -> "—", "ðŸŒŽ" -> "🌎"); keep curly quotes and
#: full-width characters, which are the author's, not damage.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False,
                             unescape_html=False, explain=False)
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u3000]")
#: Entities that stay escaped: un-escaping them would turn text into markup.
_KEEP_ESCAPED = re.compile(r"&(?:lt|gt|#0*60|#0*62|#x0*3[ce]);", re.I)
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
#: LinkedIn's job-tracking hashtags (#LI-DNP, #LI-Remote, #LI-JS1) carry nothing for a reader.
_LI_TAG = re.compile(r"(?<![\w&])#LI-[A-Za-z0-9]+\b")
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|gclid|fbclid|mc_cid|mc_eid|_hsenc|_hsmi|trk|trackingId|refId)$", re.I)
_MD_LINK = re.compile(r"(\[[^\]\n]*\]\()([^)\n]+)(\))")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"']+")
_C1 = re.compile("[\x80-\x9f\ud800-\udfff]")
_STAR_BULLET = re.compile(r"^ {0,3}[*+•] ")
_NUMBERED = re.compile(r"^ {1,3}(\d+[.)]) ")
_NESTED_BULLET = re.compile(r"^( {4,})[*+•] ")
_BOLD_HEADING = re.compile(r"^(#{1,6})\s+(?:\*\*|__)(.+?)(?:\*\*|__)\s*#*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def fix_text(text: str) -> str:
    """Repair encoding damage and invisible characters; normalise line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text  # mojibake, odd spaces and invisible characters are all non-ASCII
    if is_bad(text) or _C1.search(text):
        text = ftfy.fix_text(text, config=_FTFY)
    text = _ZERO_WIDTH.sub("", text)
    return _SPACES.sub(" ", text)


def unescape_entities(text: str) -> str:
    """Turn stray HTML entities (``&amp;``, ``&nbsp;``, ``&#8217;``) into characters, twice for ``&amp;amp;``."""
    def one(m: re.Match[str]) -> str:
        if _KEEP_ESCAPED.fullmatch(m.group(0)):
            return m.group(0)
        return html.unescape(m.group(0))

    for _ in range(2):
        text = _ENTITY.sub(one, text)
    return _SPACES.sub(" ", text)


def clean_url(url: str) -> str:
    """Drop tracking parameters (utm_*, gclid...) from a URL and encode spaces; keep everything else."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.query and parts.scheme in ("http", "https"):
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
        if len(kept) != len(parse_qsl(parts.query, keep_blank_values=True)):
            parts = parts._replace(query=urlencode(kept))
    url = urlunsplit(parts)
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


#: "CLICK TO APPLY" left behind when a button's link was lost: it stays only while it links somewhere.
_APPLY_BOILERPLATE = re.compile(r"^[\W_]*(?:click\s+(?:here\s+)?to\s+apply|apply\s+(?:now|here|today|online)|"
                                r"jetzt\s+bewerben|postuler)[\W_]*$", re.I)


def drop_tracking_tags(text: str) -> str:
    """Remove #LI-xxx hashtags, link-less "Click to apply" lines, and the lines they leave empty."""
    out = []
    for line in text.split("\n"):
        if (_APPLY_BOILERPLATE.match(line) and not re.search(r"\]\(|http|@|^\s*#|:\W*$", line)):
            continue
        if _LI_TAG.search(line):
            line = _LI_TAG.sub("", line).rstrip()
            if not line.strip():
                continue
        out.append(line)
    return "\n".join(out)


def clean_links(markdown: str) -> str:
    """Strip tracking parameters from Markdown link targets and bare URLs; encode spaces in targets."""
    def md(m: re.Match[str]) -> str:
        target = m.group(2).strip()
        title = ""
        tm = re.match(r'^(\S+)(\s+"[^"]*")$', target)
        if tm and not target.startswith("mailto:"):
            target, title = tm.group(1), tm.group(2)
        return m.group(1) + clean_url(target) + title + m.group(3)

    markdown = _MD_LINK.sub(md, markdown)
    return _BARE_URL.sub(lambda m: clean_url(m.group(0)) if "utm_" in m.group(0) or "clid=" in m.group(0)
                         else m.group(0), markdown)


def tidy_markdown(markdown: str) -> str:
    """Normalise Markdown layout: '-' bullets, no stray indentation or bold headings, single blank lines."""
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line.rstrip())
            continue
        if in_fence:
            out.append(line)
            continue
        line = line.rstrip()
        if line[:1] in (" ", "*", "+", "•"):
            line = _STAR_BULLET.sub("- ", line)
            line = _NUMBERED.sub(r"\1 ", line)
            line = _NESTED_BULLET.sub(r"\1- ", line)
        if line.startswith("#"):
            heading = _BOLD_HEADING.match(line)
            if heading and "**" not in heading.group(2):
                line = f"{heading.group(1)} {heading.group(2).strip()}"
            else:
                line = _HEADING.sub(r"\1 \2", line)
        if not line.strip():
            line = ""
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def repair_markdown(markdown: str) -> str:
    """Apply every repair a Markdown description needs, in order."""
    markdown = unescape_entities(markdown)
    markdown = drop_tracking_tags(markdown)
    markdown = clean_links(markdown)
    return tidy_markdown(markdown)
