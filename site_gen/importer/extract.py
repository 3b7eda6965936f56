"""Turn a read document into canonical front matter, keeping the evidence for every field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import EMPLOYMENT_TYPES
from . import fields as F
from .company import clean_name, company_in_text
from .readers import Document
from .repair import clean_url
from .salary import Pay, find_pay
from .skills import Vocabulary

#: Key order of a canonical posting (the schema's order).
ORDER = ("title", "company", "date", "company_url", "location", "remote", "remote_regions", "timezones",
         "employment_type", "salary", "tags", "valid_through", "apply", "draft", "redirect_from")
#: Fields the report lists as "not found" when the posting does not state them.
REPORTED = ("company", "location", "remote", "employment_type", "salary", "apply", "tags")
#: Other spellings of our keys in other sites' front matter.
META_KEYS = {
    "title": ("title", "job_title", "jobtitle", "position", "role", "name"),
    "company": ("company", "company_name", "employer", "organization", "organisation", "hiring_organization",
                "hiringOrganization"),
    "date": ("date", "date_posted", "datePosted", "posted", "posted_at", "published", "published_at", "created"),
    "company_url": ("company_url", "company_website", "website", "homepage"),
    "location": ("location", "locations", "job_location", "city", "office"),
    "remote": ("remote", "is_remote", "remote_ok", "workplace", "workplace_type"),
    "remote_regions": ("remote_regions", "regions", "remote_region"),
    "timezones": ("timezones", "timezone", "time_zone", "time_zones"),
    "employment_type": ("employment_type", "employmentType", "job_type", "type", "contract_type"),
    "salary": ("salary", "salary_range", "compensation", "pay"),
    "tags": ("tags", "skills", "keywords", "tech", "stack"),
    "valid_through": ("valid_through", "validThrough", "expires", "closing_date", "deadline"),
    "apply": ("apply", "apply_url", "apply_link", "application_url", "link", "apply_email", "email", "how_to_apply"),
    "draft": ("draft",),
    "redirect_from": ("redirect_from",),
}
_KNOWN_META = {k for keys in META_KEYS.values() for k in keys} | {"categories", "category"}
@dataclass
class Finding:
    """One field the importer filled, and the line of the input that says so."""

    field: str
    value: Any
    evidence: str


@dataclass
class Extraction:
    """Everything learnt from one input: canonical front matter, body, evidence, gaps."""

    meta: dict[str, Any]
    body: str
    found: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_TITLE_AT = re.compile(r"^(.{3,}?)\s+(?:at|@|bei|chez)\s+([A-Z][\w&.'’ -]{1,40}?)\s*(?:\(.*\))?$")


class NoTitle(Exception):
    """The input names no job title, so it cannot become a posting."""


def _from_meta(meta: dict[str, Any], label: str,
               evidence: dict[str, str] | None = None) -> tuple[dict[str, tuple[Any, str]], list[str]]:
    """Map foreign front-matter keys to ours; return field -> (value, evidence) and the keys left out."""
    out: dict[str, tuple[Any, str]] = {}
    for name, keys in META_KEYS.items():
        for key in keys:
            value = meta.get(key)
            if value not in (None, "", [], {}):
                if name == "company" and isinstance(value, dict):
                    value = value.get("name")
                if value not in (None, ""):
                    out[name] = (value, (evidence or {}).get(key) or f"{label} `{key}: {_short(value)}`")
                    break
    ignored = sorted(k for k in meta if k not in _KNOWN_META and k not in ("from", "to", "cc", "reply-to"))
    return out, ignored


def _short(value: Any, width: int = 90) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def extract(doc: Document, vocab: Vocabulary, today: dt.date) -> Extraction:
    """Fill every canonical field the document states; leave the rest out and say so."""
    meta, ignored = _from_meta(doc.meta, doc.meta_label, doc.meta_evidence)
    lines = doc.body.split("\n")
    out = Extraction({}, doc.body, notes=list(doc.notes))
    if ignored:
        out.notes.append(f"ignored {doc.meta_label} keys: {', '.join(ignored)}")
    header = [F.plain(h) for h in doc.header]
    labels = F.labelled(header + lines)
    put = _Putter(out)

    title, evidence = (meta["title"] if "title" in meta else (doc.title, doc.title_evidence))
    if "title" in labels and "title" not in meta and doc.kind in ("plain text", "Markdown") and not doc.title_link:
        if not title or F.labelled([str(title)]) or not doc.title_evidence.lstrip().startswith("#"):
            title, evidence = labels["title"]  # "Position: Accountant" beats a first line like "ACME — Careers"
    if not title or not F.clean_title(str(title)):
        raise NoTitle("no job title found: give the posting a first line, an `# H1` or a `title:` key")
    title = F.clean_title(str(title))
    explicit = "title" in meta and doc.kind != "e-mail"  # a front-matter or JSON-LD title is taken as given
    full, (title, remote_tail) = title, ((title, None) if explicit else F.remote_tail(title))
    at = None if explicit else _TITLE_AT.match(title)  # "Data Analyst at Northwind Traders"
    put("title", at.group(1).strip() if at else title, evidence)

    _company(put, meta, header if doc.header_company else [], labels, at, lines, doc)
    _date(put, out, meta, labels, doc, today)
    if "company_url" in meta:
        put("company_url", str(meta["company_url"][0]).strip(), meta["company_url"][1])
    named = doc.header_company and header and out.meta.get("company") == clean_name(header[0])
    positional = header[1:] if named else header  # the sub-heading that named the company is no place
    stated = [(remote_tail, f"title: {full}")] if remote_tail else []  # "Data Engineer (Remote, EU)"
    _place(put, meta, positional, labels, lines, stated)
    _employment(put, out, meta, labels, title, header + lines)
    _salary(put, out, meta, labels, header, lines)
    _tags(put, doc, meta, labels, vocab, title)
    if "valid_through" in meta or "valid_through" in labels:
        value, ev = meta.get("valid_through") or labels["valid_through"]
        when = F.parse_date(value)
        if when:
            put("valid_through", when, ev)
    _apply(put, meta, labels, lines, doc)
    if "draft" in meta and meta["draft"][0] is True:
        put("draft", True, meta["draft"][1])
    if "redirect_from" in meta:
        value = meta["redirect_from"][0]
        put("redirect_from", [str(v) for v in (value if isinstance(value, list) else [value])], meta["redirect_from"][1])
    out.meta = {k: out.meta[k] for k in ORDER if k in out.meta}
    out.missing = [k for k in REPORTED if k not in out.meta]
    return out


class _Putter:
    """Record a field once, with its evidence; later sources never override earlier ones."""

    def __init__(self, out: Extraction):
        self.out = out

    def __call__(self, name: str, value: Any, evidence: str) -> None:
        if name in self.out.meta or value in (None, "", []):
            return
        self.out.meta[name] = value
        self.out.found.append(Finding(name, value, _short(evidence, 110)))

    def has(self, name: str) -> bool:
        return name in self.out.meta


def _company(put: _Putter, meta: dict, header: list[str], labels: dict, at: re.Match | None,
             lines: list[str], doc: Document) -> None:
    if "company" in meta:
        put("company", clean_name(str(meta["company"][0])), meta["company"][1])
    if header:
        first = header[0]
        alone_place = len(header) == 1 and (F.remote_of(first) or "," in first or F.regions_in(first))
        if len(first) <= 60 and not F.labelled([first]) and not alone_place:
            put("company", clean_name(first), f"next to the title: {doc.header[0]}")
    if "company" in labels:
        put("company", clean_name(labels["company"][0]), labels["company"][1])
    if at:
        put("company", at.group(2).strip(), f"title: {at.group(0)}")
    if not put.has("company"):
        found = company_in_text(lines, doc.body)
        if found:
            put("company", *found)


def _date(put: _Putter, out: Extraction, meta: dict, labels: dict, doc: Document, today: dt.date) -> None:
    candidates = []
    if "date" in meta:
        candidates.append(meta["date"])
    if doc.file_date:
        candidates.append((doc.file_date, f"file name {doc.path.name}"))
    if "date" in labels:
        candidates.append(labels["date"])
    for value, evidence in candidates:
        when = F.parse_date(value)
        if when:
            put("date", when, evidence)
            return
    put("date", today, f"not stated: the import day (--today {today.isoformat()})")
    out.notes.append(f"date: the posting gives none; used the import day {today.isoformat()}")


def _place(put: _Putter, meta: dict, header: list[str], labels: dict, lines: list[str],
           stated: list[tuple[str, str]]) -> None:
    """Location, remote, remote regions and time zones, from the most explicit source down."""
    sources: list[tuple[str, str]] = []
    if "remote" in meta:
        value, evidence = meta["remote"]
        mode = ("yes" if value else "no") if isinstance(value, bool) else _remote_value(str(value))
        put("remote", mode, evidence)
    if "location" in meta:
        value, evidence = meta["location"]
        if isinstance(value, list):
            put("location", [F.plain(str(v)) for v in value], evidence)
        sources.append((", ".join(map(str, value)) if isinstance(value, list) else str(value), evidence))
    if "remote_regions" in meta:
        value = meta["remote_regions"][0]
        put("remote_regions", [str(v) for v in (value if isinstance(value, list) else [value])], meta["remote_regions"][1])
    sources += stated
    sources += [(h, h) for h in header if F.remote_of(h) or F.regions_in(h) or "📍" in h or "🌎" in h
                or F.looks_like_place(h)]
    sources += [labels[k] for k in ("location", "remote") if k in labels]
    for text, evidence in sources:
        places, mode, regions = F.split_places(text)
        if places:
            put("location", places[0] if len(places) == 1 else places, evidence)
        if mode:
            put("remote", mode, evidence)
        if mode == "yes" and regions:
            put("remote_regions", regions, evidence)
    if not put.has("remote"):
        for line in lines:
            mode = F.remote_in_body(line)
            regions = F.remote_regions_in(line) if mode in (None, "yes") else []
            if mode or regions:  # "Remote within Europe", "remote (EU only)", "Remote in the US"
                put("remote", mode or "yes", line)
                put("remote_regions", regions, line)
                break
    if put.has("remote") and put.out.meta["remote"] == "yes" and not put.has("remote_regions"):
        for line in lines:  # "San Francisco, CA or Remote" above, "Remote (US only)" below
            regions = F.remote_regions_in(line)
            if regions:
                put("remote_regions", regions, line)
                break
    if "timezones" in meta:
        put("timezones", str(meta["timezones"][0]), meta["timezones"][1])
    if "timezones" in labels:
        put("timezones", labels["timezones"][0], labels["timezones"][1])
    for line in header + lines:
        zone = F.timezone_in(line)
        if zone:
            put("timezones", zone, line)


def _remote_value(text: str) -> str | None:
    """Read a front-matter remote value: yes/no/hybrid, true/false, TELECOMMUTE, "Remote (EU)"."""
    low = text.strip().lower()
    if low in ("yes", "true", "y", "1", "remote", "telecommute", "fully remote"):
        return "yes"
    if low in ("no", "false", "n", "0", "onsite", "on-site", "office", "in-office"):
        return "no"
    return F.remote_of(text)


def _employment(put: _Putter, out: Extraction, meta: dict, labels: dict, title: str, lines: list[str]) -> None:
    for source in (meta.get("employment_type"), labels.get("employment_type")):
        if source:
            value, evidence = source
            values = value if isinstance(value, list) else [value]
            kinds = {F.employment_from_value(str(v)) for v in values} - {None}
            if len(kinds) == 1:
                put("employment_type", kinds.pop(), evidence)
                return
            out.notes.append(f"employment type: {_short(value)!r} is not one of {', '.join(EMPLOYMENT_TYPES)}; left out")
    if re.search(r"\bintern(?:ship)?\b|\bpraktikant|\bwerkstudent", title, re.I):
        put("employment_type", "internship", f"title: {title}")
        return
    if re.search(r"\(\s*(?:contract|freelance)\s*\)|\bcontractor\b", title, re.I):
        put("employment_type", "contract", f"title: {title}")
        return
    kinds, evidence = F.employment_in_body(lines)
    if len(kinds) == 1:
        put("employment_type", kinds[0], evidence)
    elif len(kinds) > 1:
        out.notes.append(f"employment type: the text names several ({', '.join(kinds)}); left out")


def _salary(put: _Putter, out: Extraction, meta: dict, labels: dict, header: list[str], lines: list[str]) -> None:
    pay: Pay | None = None
    if "salary" in meta:
        value, evidence = meta["salary"]
        if isinstance(value, dict) and value.get("currency") and (value.get("min") or value.get("max")):
            period = str(value.get("period") or "year").lower()
            period = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
                      "annual": "year"}.get(period, period)
            put("salary", {k: value[k] for k in ("min", "max") if value.get(k) is not None}
                | {"currency": str(value["currency"]).upper(), "period": period}, evidence)
            return
        pay = find_pay(str(value), labelled=True)
    elif "salary" in labels:
        value, evidence = labels["salary"]
        pay = find_pay(value, labelled=True)
        if pay is None:
            out.notes.append(f"salary: {value!r} states no amount; left out")
    for line in header if pay is None else []:  # facts beside the title are fields, like "Salary:" lines
        pay = find_pay(line, labelled=True)
        if pay:
            evidence = line
            break
    if pay is None:
        for line in lines:
            pay = find_pay(F.plain(line))
            if pay:
                evidence = line
                break
    if pay:
        put("salary", pay.as_dict(), evidence)
        if not pay.period_stated:
            out.notes.append("salary: no period stated; read as per year from the size of the amounts")


def _tags(put: _Putter, doc: Document, meta: dict, labels: dict, vocab: Vocabulary, title: str) -> None:
    tags: list[str] = []
    evidence = []
    stated = meta.get("tags")
    if stated:
        values = stated[0] if isinstance(stated[0], list) else re.split(r"\s*,\s*", str(stated[0]))
        tags += [vocab.canonical(str(v)) or F.plain(str(v)).lower() for v in values if str(v).strip()]
        evidence.append(stated[1])
    for key in ("categories", "category"):
        values = doc.meta.get(key)
        for v in values if isinstance(values, list) else re.split(r"[,\s]+", str(values or "")):
            if v and vocab.canonical(str(v)):
                tags.append(vocab.canonical(str(v)))
                if not any(e.startswith(f"{doc.meta_label} `{key}:") for e in evidence):
                    evidence.append(f"{doc.meta_label} `{key}: {_short(values, 60)}`")
    named = [labels["tags"][0]] if "tags" in labels else []
    text = "\n".join([title] + named + doc.header + [_skill_text(doc.body)])
    found = vocab.tags(text)
    for tag, line in found:
        if tag not in tags:
            tags.append(tag)
    if found:
        evidence.append(f"{len(found)} skills named, first: {found[0][1]}")
    put("tags", list(dict.fromkeys(tags)), "; ".join(evidence))


def _skill_text(body: str) -> str:
    """The description without link targets, addresses and URLs, so "github.com/x" names no skill."""
    body = F.MD_LINK.sub(lambda m: m.group(1), body)
    body = re.sub(r"<[^>\s]+>|https?://\S+|www\.\S+", " ", body)
    return F.EMAIL.sub(" ", body)


def _apply(put: _Putter, meta: dict, labels: dict, lines: list[str], doc: Document) -> None:
    if "apply" in meta:
        put("apply", _apply_value(str(meta["apply"][0])), meta["apply"][1])
    if "apply" in labels:
        put("apply", _apply_value(labels["apply"][0]), labels["apply"][1])
    for line in lines:
        for m in F.MD_LINK.finditer(line):
            if F.APPLY_WORDS.search(m.group(1)) and m.group(2).startswith(("http", "mailto:")):
                put("apply", _apply_value(m.group(2)), line)
    for line in lines:
        if F.APPLY_WORDS.search(F.plain(line)):
            for url in re.findall(r"(?<![(<\[])https?://[^\s<>)\]]+", line):
                put("apply", _apply_value(url), line)
    in_apply_section = False
    for line in lines:
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*)$|^\s*\*\*(.+)\*\*\s*:?\s*$", line)
        if heading:
            in_apply_section = bool(F.APPLY_WORDS.search(heading.group(1) or heading.group(2) or ""))
            continue
        links = [m.group(2) for m in F.MD_LINK.finditer(line)]
        if in_apply_section:  # under "How to apply": its first link or address
            targets = [t for t in links if t.startswith(("http", "mailto:"))] + F.emails(line)
        elif F.mail_context(line):  # "send your CV to jobs@...": an address only
            targets = [t for t in links if t.startswith("mailto:")] + F.emails(line)
        else:
            targets = []
        if targets:
            put("apply", _apply_value(targets[0]), line)
    if doc.title_link:
        put("apply", _apply_value(doc.title_link), f"link of the title: {doc.title_evidence}")
    for line in doc.header:
        if re.match(r"^\s*(?:https?://|mailto:|[\w.+-]+@)", line):
            put("apply", _apply_value(line), line)


def _apply_value(value: str) -> str | None:
    """An http(s) URL, or an e-mail address as a plain ``mailto:`` URL."""
    value = value.strip().strip("<>")
    url = re.search(r"https?://[^\s<>)\]]+", value)
    if url and not value.lower().startswith("mailto:"):
        return clean_url(url.group(0).rstrip(".,;"))
    mails = F.emails(value.split("?")[0])
    return f"mailto:{mails[0]}" if mails else None
