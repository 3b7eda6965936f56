"""Read one input file, whatever its format, into a title, structured hints and a Markdown body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import yaml

from . import fields as F
from . import repair

MAX_BYTES = 10_000_000
_MAGIC = {b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
          b"PK\x03\x04": "a ZIP archive (Word .docx files are ZIP archives too)", b"\xd0\xcf\x11\xe0": "an old Word/Office file",
          b"\x1f\x8b": "a gzip archive", b"\x7fELF": "a program"}
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|div|section|p|h[1-6]|ul|table)\b",
                         re.I | re.S)
_MAIL_HEADER = re.compile(r"^([A-Za-z][A-Za-z-]{1,30}):\s?(.*)$")
_MAIL_KEYS = {"from", "to", "subject", "date", "cc", "reply-to", "sender", "message-id", "content-type",
              "mime-version", "list-id"}
_MD_SIGNS = re.compile(r"^\s{0,3}#{1,6}\s|\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\n]+\)|^\s{0,3}```", re.M)
_H1 = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LINKED = re.compile(r"^\[(.+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)$")
_LABEL = re.compile(r"^\s*[A-ZÀ-Ý][\w /-]{0,24}:\s+\S")
_BULLET = re.compile(r"^\s*(?:[-*+•▪●◦·–]|\d+[.)])\s+")


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ten times faster


class ReadError(Exception):
    """An input that cannot be imported at all (unreadable, binary, empty)."""


@dataclass
class Document:
    """An input file after reading: what the later extraction works on."""

    path: Path
    kind: str  #: "front matter", "Markdown", "plain text", "e-mail", "HTML"
    body: str  #: the description as Markdown, title lines removed
    meta: dict[str, Any] = field(default_factory=dict)  #: structured fields (front matter, e-mail headers, JSON-LD)
    meta_label: str = "front matter"  #: where ``meta`` came from, for the report
    meta_evidence: dict[str, str] = field(default_factory=dict)  #: per-key evidence overriding ``meta_label``
    title: str | None = None
    title_evidence: str = ""
    title_link: str | None = None  #: the URL a linked H1 title points to
    header: list[str] = field(default_factory=list)  #: sub-headings between the title and the text
    header_company: bool = False  #: the first header line names the company ("### Remote" under the H1)
    file_date: dt.date | None = None  #: from a Jekyll-style YYYY-MM-DD-name file name
    notes: list[str] = field(default_factory=list)


def decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """Turn bytes into text, refusing binaries; say which encoding was guessed."""
    if not raw.strip():
        raise ReadError("empty file: nothing to import")
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise ReadError(f"binary file ({what}), not a text posting: save it as text, Markdown or HTML first")
    notes = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
        notes.append("decoded as UTF-16")
    elif b"\x00" in raw:
        raise ReadError("binary file (contains NUL bytes), not a text posting")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
                notes.append("not UTF-8: decoded as Windows-1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
                notes.append("not UTF-8: decoded as Latin-1")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 50):
        raise ReadError("binary file (mostly control characters), not a text posting")
    fixed = repair.fix_text(text)
    if fixed != text.replace("\r\n", "\n").replace("\r", "\n") and _mojibake_fixed(text, fixed):
        notes.append("repaired mis-encoded characters (e.g. 'â€”' -> '—')")
    if not fixed.strip():
        raise ReadError("empty file: only whitespace or invisible characters")
    return fixed, notes


def _mojibake_fixed(before: str, after: str) -> bool:
    return any(s in before for s in ("Ã", "â€", "ðŸ", "Â")) and not any(s in after for s in ("â€", "ðŸ"))


def read_source(path: Path) -> Document:
    """Read ``path`` and dispatch on its format (front matter, HTML, e-mail, Markdown or plain text)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReadError(f"file is larger than {MAX_BYTES // 1_000_000} MB: not a single posting")
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    text, notes = decode(path, raw)
    doc = _dispatch(path, text)
    doc.notes[:0] = notes
    stem_match = _FILE_DATE.match(path.stem)
    if stem_match:
        try:
            doc.file_date = dt.date(*map(int, stem_match.group(1, 2, 3)))
        except ValueError:
            pass
        if not doc.title and not doc.meta.get("title"):
            doc.title = stem_match.group(4).replace("-", " ").strip().capitalize()
            doc.title_evidence = f"file name {path.name}"
    return doc


def _dispatch(path: Path, text: str) -> Document:
    stripped = text.lstrip("\n")
    if stripped.startswith("---\n"):
        end = re.search(r"^(?:---|\.\.\.)\s*$", stripped[4:], re.M)
        if end:
            return _front_matter(path, stripped[4:4 + end.start()], stripped[4 + end.end():])
    if _HTML_START.match(text) or path.suffix.lower() in (".html", ".htm"):
        from .htmlpage import read_html
        return read_html(path, text)
    headers, rest = _mail_headers(text)
    if headers:
        doc = _markdown_or_text(path, rest, allow_title=False)
        doc.kind, doc.meta_label = "e-mail", "e-mail header"
        doc.meta = headers
        return doc
    return _markdown_or_text(path, text)


def _front_matter(path: Path, block: str, body: str) -> Document:
    notes = []
    try:
        meta = yaml.load(block, Loader=_LOADER) or {}
        if not isinstance(meta, dict):
            raise yaml.YAMLError("front matter is not a mapping")
    except yaml.YAMLError as exc:
        meta = _lenient_yaml(block)
        notes.append(f"front matter is not valid YAML ({str(exc).splitlines()[0]}): read its 'key: value' lines")
    if _HTML_START.match(body):
        from .htmlpage import html_to_markdown
        body = html_to_markdown(body)
    doc = _markdown_or_text(path, body, allow_title=not meta.get("title"), lenient=False)
    doc.kind, doc.meta, doc.meta_label = "front matter", {str(k): v for k, v in meta.items()}, "front matter"
    doc.notes.extend(notes)
    return doc


def _lenient_yaml(block: str) -> dict[str, Any]:
    """Read ``key: value`` lines of broken front matter, as strings."""
    meta: dict[str, Any] = {}
    for line in block.split("\n"):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if m and m.group(2):
            meta[m.group(1)] = m.group(2).strip("'\"[]")
    return meta


def _mail_headers(text: str) -> tuple[dict[str, str], str]:
    """Split RFC 822 style headers (From:, Subject:, Date:) off the top of an e-mail."""
    lines = text.lstrip("\n").split("\n")
    headers: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if "subject" in headers and len(headers) >= 2:
                if "date" in headers:
                    try:
                        headers["date"] = parsedate_to_datetime(headers["date"]).date().isoformat()
                    except (TypeError, ValueError):
                        pass
                headers["title"] = re.sub(r"^(?:(?:re|fwd?|aw|wg)\s*:\s*)+", "", headers.pop("subject"), flags=re.I)
                return headers, "\n".join(lines[i + 1:])
            break
        m = _MAIL_HEADER.match(line)
        if m and m.group(1).lower() in _MAIL_KEYS:
            headers[m.group(1).lower()] = m.group(2).strip()
        elif line[:1] in " \t" and headers:
            continue
        else:
            break
    return {}, text


def _markdown_or_text(path: Path, text: str, allow_title: bool = True, lenient: bool = True) -> Document:
    if _MD_SIGNS.search(text) or path.suffix.lower() in (".md", ".markdown"):
        return _markdown(path, text, allow_title, lenient=lenient)
    return _plain_text(path, text, allow_title)


def _first_line_title(line: str) -> str | None:
    """A first line that reads as a title: a heading, a bold line, or a short line without a full stop."""
    text = line.strip()
    m = re.match(r"^#{1,3}\s+(.+?)\s*#*$|^(?:\*\*|__)(.+)(?:\*\*|__)$", text)
    if m:
        return (m.group(1) or m.group(2)).strip()
    if len(text) <= 100 and not _BULLET.match(line) and not re.search(r"[.:;,!?]$", text) and not text.startswith(("#", ">", "|")):
        return text
    return None


def _markdown(path: Path, text: str, allow_title: bool, lenient: bool = False) -> Document:
    doc = Document(path, "Markdown", "")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if allow_title and first is not None:
        m = _H1.match(lines[first])
        setext = first + 1 < len(lines) and re.match(r"^\s{0,3}=+\s*$", lines[first + 1])
        if m or setext:
            raw = m.group(1) if m else lines[first].strip()
            doc.title_evidence = lines[first].strip()
            linked = _LINKED.match(raw.strip())
            if linked:
                raw, doc.title_link = linked.group(1), linked.group(2)
            doc.title = raw.strip()
            del lines[first:first + (2 if setext and not m else 1)]
            doc.header, lines = _header_block(lines, first)
            doc.header_company = bool(doc.header)
        elif lenient and _first_line_title(lines[first]):
            doc.title = _first_line_title(lines[first])
            doc.title_evidence = lines[first].strip()
            del lines[first]
    doc.body = repair.repair_markdown("\n".join(lines))
    return doc


def _header_block(lines: list[str], start: int) -> tuple[list[str], list[str]]:
    """Take the sub-headings right under the title that have no text of their own (company, place, tags)."""
    header: list[str] = []
    i = start
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        m = _HEADING.match(lines[i])
        if not m:
            break
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and not _HEADING.match(lines[j]):
            break  # a real section heading: it has text under it
        header.append(m.group(2).strip().strip("`").strip())
        i = j
    if not header:
        return [], lines
    return header, lines[:start] + lines[i:]


def _plain_text(path: Path, text: str, allow_title: bool) -> Document:
    doc = Document(path, "plain text", "")
    lines = [line.rstrip() for line in repair.unescape_entities(text).split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    parts = re.split(r"\s+\|\s+", lines[0].strip()) if lines else []
    if allow_title and len(parts) >= 3:
        # "Acme | Senior Engineer | Berlin or Remote (EU) | Full-time | €70k" (Hacker News "Who is hiring?")
        doc.title_evidence = lines.pop(0).strip()
        doc.title, doc.header, doc.header_company = parts[1], [parts[0]] + parts[2:], True
    elif allow_title and lines and len(lines[0].strip()) <= 150:
        doc.title = doc.title_evidence = lines.pop(0).strip()
    if not doc.header:
        doc.header, doc.header_company, lines = _fact_lines(lines)
    doc.body = repair.repair_markdown(text_to_markdown(lines))
    return doc


def _fact_lines(lines: list[str]) -> tuple[list[str], bool, list[str]]:
    """Take the company and place lines right under a plain-text title ("Stripe-like Inc.", "Austin, TX").

    A line names the company only if it ends in a legal form, or if it is a short name standing
    between the title and a place line: nothing else is read as a company.
    """
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    block = []
    for line in lines[start:start + 3]:
        if not line.strip():
            break
        block.append(line.strip())
    company = False
    facts: list[str] = []
    for i, line in enumerate(block):
        place = F.looks_like_place(line) or F.is_remote_line(line)
        if i == 0 and not place and (F.is_company_line(line) or (
                len(block) > 1 and _short_name(line) and (F.looks_like_place(block[1]) or F.is_remote_line(block[1])))):
            company = True
        elif not place:
            break
        facts.append(line)
    if not facts:
        return [], False, lines
    return facts, company, lines[:start] + lines[start + len(facts):]


_NOT_NAMES = {"about", "role", "job", "team", "overview", "description", "summary", "responsibilities", "requirements",
              "benefits", "location", "we", "our", "us", "you", "your", "the", "position", "hiring", "details", "apply",
              "salary", "remote", "hybrid", "office", "company", "contract", "full-time", "part-time"}


def _short_name(line: str) -> bool:
    """A line that can only be a name: up to four capitalised words, no sentence, no field."""
    words = line.split()
    if any(w.lower().strip(":") in _NOT_NAMES for w in words):
        return False  # "About Us", "The Role", "Job Description"
    return (0 < len(words) <= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
            and not re.search(r"[.!?:;,]$|https?://|@", line) and not F.is_employment_line(line))


def _is_wrapped(lines: list[str]) -> bool:
    """Tell whether a text was hard-wrapped (e-mail style), so its lines must be joined into paragraphs."""
    lengths = [len(line) for line in lines if line.strip()]
    long = [n for n in lengths if n >= 55]
    return bool(long) and max(lengths) <= 80 and len(long) >= max(3, len(lengths) // 3)


def _looks_like_heading(line: str, following: str | None) -> bool:
    text = line.strip()
    if not text or following is None or len(text) > 80 or _BULLET.match(line):
        return False
    if re.search(r"[.!?,;]$|[.!?] \S", text) or re.search(r"\w:\s+\S", text) or re.search(r"https?://|@", text):
        return False
    if F.is_employment_line(text) or F.is_remote_line(text) or F.looks_like_place(text) or F.is_company_line(text):
        return False  # "Permanent, full time", "Remote (US only)", "Acme Ltd": facts, not section titles
    if text.isupper() and any(ch.isalpha() for ch in text):
        return True
    return text[0].isupper() and len(text.split()) <= 14


def text_to_markdown(lines: list[str]) -> str:
    """Convert plain text to Markdown: bare short lines become headings, bullets become '-' lists."""
    wrapped = _is_wrapped(lines)
    blocks: list[str] = []
    para: list[str] = []
    in_list = False

    def flush() -> None:
        if para:
            blocks.append(" ".join(p.strip() for p in para) if wrapped else "\n\n".join(p.strip() for p in para))
            para.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        following = next((n for n in lines[i + 1:] if n.strip()), None)
        if _BULLET.match(line):
            flush()
            item = _BULLET.sub("", line).strip()
            numbered = re.match(r"^\s*(\d+)[.)]\s", line)
            entry = f"{numbered.group(1) + '.' if numbered else '-'} {item}"
            if in_list:
                blocks[-1] += "\n" + entry
            else:
                blocks.append(entry)
            in_list = True
            continue
        if in_list and wrapped and line.startswith((" ", "\t")) and lines[i - 1].strip():
            blocks[-1] += " " + line.strip()  # continuation of a wrapped list item
            continue
        in_list = False
        if wrapped and _LABEL.match(line):
            flush()
            blocks.append(line.strip())
            continue
        prev_blank = i == 0 or not lines[i - 1].strip() or not wrapped
        alone = not wrapped or (len(line.strip()) < 60 and (i + 1 == len(lines) or not lines[i + 1].strip()
                                                           or bool(_BULLET.match(lines[i + 1]))))
        if prev_blank and alone and (not wrapped or not para) and _looks_like_heading(line, following):
            flush()
            blocks.append("## " + line.strip().rstrip(":").strip())
            continue
        para.append(line)
    flush()
    return "\n\n".join(blocks)
