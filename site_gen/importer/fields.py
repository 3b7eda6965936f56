"""Recognise single facts in a posting's lines: labelled fields, places, remote work, company, apply, dates."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..urls import strip_invisible

#: "Location:", "**Salary**:", "- Type: ..." labels and the field each one states.
LABELS = {
    "location": "location", "locations": "location", "job location": "location", "office": "location",
    "city": "location", "based in": "location", "standort": "location", "arbeitsort": "location", "ort": "location",
    "lieu": "location", "ubicación": "location", "where": "location",
    "remote": "remote", "remote work": "remote", "workplace": "remote", "work model": "remote",
    "work location": "location", "arbeitsmodell": "remote",
    "company": "company", "employer": "company", "organisation": "company", "organization": "company",
    "unternehmen": "company", "firma": "company", "entreprise": "company", "hiring company": "company",
    "type": "employment_type", "job type": "employment_type", "employment type": "employment_type",
    "employment": "employment_type", "contract": "employment_type", "contract type": "employment_type",
    "position type": "employment_type", "anstellungsart": "employment_type", "vertragsart": "employment_type",
    "type de contrat": "employment_type", "hours": "employment_type", "arbeitszeit": "employment_type",
    "salary": "salary", "salary range": "salary", "compensation": "salary", "pay": "salary", "rate": "salary",
    "day rate": "salary", "hourly rate": "salary", "pay range": "salary", "gehalt": "salary",
    "vergütung": "salary", "salaire": "salary", "rémunération": "salary", "ctc": "salary", "package": "salary",
    "budget": "salary", "base salary": "salary", "wynagrodzenie": "salary", "salario": "salary",
    "salário": "salary", "salaris": "salary", "sueldo": "salary",
    "job title": "title", "title": "title", "position": "title", "role": "title", "job": "title",
    "stellenbezeichnung": "title", "poste": "title", "puesto": "title",
    "apply": "apply", "how to apply": "apply", "to apply": "apply", "application": "apply",
    "apply at": "apply", "apply here": "apply", "bewerbung": "apply", "postuler": "apply",
    "posted": "date", "date posted": "date", "posted on": "date", "published": "date", "date": "date",
    "closing date": "valid_through", "deadline": "valid_through", "apply by": "valid_through",
    "application deadline": "valid_through", "valid through": "valid_through", "closes": "valid_through",
    "bewerbungsfrist": "valid_through",
    "timezone": "timezones", "time zone": "timezones", "timezones": "timezones", "time zones": "timezones",
    "skills": "tags", "tech stack": "tags", "stack": "tags", "technologies": "tags", "tags": "tags",
    "keywords": "tags", "tech": "tags",
    "website": "company_url", "company website": "company_url", "web": "company_url",
}
_LABEL_LINE = re.compile(r"^\s*(?:[-*+•]\s+)?([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ /]{1,24}?)\s*[:：]\s*(.+?)\s*$")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)")

REGIONS = {
    "worldwide": "Worldwide", "anywhere": "Worldwide", "anywhere in the world": "Worldwide", "global": "Worldwide",
    "globally": "Worldwide", "africa": "Africa", "asia": "Asia", "europe": "Europe", "european union": "EU",
    "eu": "EU", "eea": "EEA", "emea": "EMEA", "apac": "APAC", "latam": "LATAM", "latin america": "Latin America",
    "north america": "North America", "south america": "South America", "americas": "Americas",
    "oceania": "Oceania", "middle east": "Middle East", "mena": "MENA", "nordics": "Nordics", "dach": "DACH",
    "us": "US", "usa": "US", "u.s.": "US", "united states": "US", "uk": "UK", "united kingdom": "UK",
    "canada": "Canada", "mexico": "Mexico", "brazil": "Brazil", "argentina": "Argentina", "colombia": "Colombia",
    "chile": "Chile", "peru": "Peru", "germany": "Germany", "deutschland": "Germany", "austria": "Austria",
    "switzerland": "Switzerland", "france": "France", "spain": "Spain", "portugal": "Portugal", "italy": "Italy",
    "netherlands": "Netherlands", "belgium": "Belgium", "ireland": "Ireland", "poland": "Poland",
    "czechia": "Czechia", "czech republic": "Czechia", "romania": "Romania", "ukraine": "Ukraine",
    "sweden": "Sweden", "norway": "Norway", "denmark": "Denmark", "finland": "Finland", "estonia": "Estonia",
    "greece": "Greece", "turkey": "Turkey", "israel": "Israel", "india": "India", "pakistan": "Pakistan",
    "bangladesh": "Bangladesh", "philippines": "Philippines", "indonesia": "Indonesia", "vietnam": "Vietnam",
    "thailand": "Thailand", "malaysia": "Malaysia", "singapore": "Singapore", "japan": "Japan",
    "china": "China", "south korea": "South Korea", "australia": "Australia", "new zealand": "New Zealand",
    "south africa": "South Africa", "nigeria": "Nigeria", "kenya": "Kenya", "egypt": "Egypt", "ghana": "Ghana",
}
_REGION_RE = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(REGIONS, key=len, reverse=True))
                        + r")(?![\w])(?!\s*(?:time\s?zones?|timezones?|hours|business hours))", re.I)
_REMOTE_WORD = re.compile(r"\bremote(?:ly)?\b(?!['’]s)|\banywhere\b|\bworldwide\b|\bwork from home\b|\bhome[- ]?office\b|"
                          r"\bhomeoffice\b|\btélétravail\b|\bfernarbeit\b|\bwfh\b", re.I)
_HYBRID = re.compile(r"\bhybrid\b(?![- ]cloud)", re.I)
_ONSITE = re.compile(r"\bon[- ]?site\b|\bin[- ]office\b|\boffice[- ]based\b|\bvor ort\b|\bnot remote\b|\bno remote\b", re.I)
_BODY_REMOTE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:fully |100% )?remote\b(?!['’]s)(?![- ](?:compensation|team|teams|culture))|"
    r"\b(?:fully|100\s?%|completely|entirely|full)[- ]remote\b|"
    r"\bremote[- ](?:first|only|position|role|job|opportunity|contract|friendly)\b|"
    r"\bwork(?:ing)? (?:fully |100% )?remotely\b|\bremote(?:ly)? from anywhere\b", re.I)
_BODY_HYBRID = re.compile(r"\bhybrid[- ](?:role|work|working|model|position|setup|schedule|arrangement|remote)\b|"
                          r"\bhybrid\s*\(|\(hybrid\)", re.I)
_BODY_ONSITE = re.compile(r"\b(?:on-?site|in-office|office-based) (?:only|role|position|job)\b|\bnot (?:a )?remote\b|"
                          r"\bno remote\b|\b100\s?% on-?site\b", re.I)
TIMEZONE = re.compile(
    r"\b(?:UTC|GMT)\s?[+−-]\s?\d{1,2}(?::\d\d)?\s*(?:to|-|–|and)\s*(?:UTC|GMT)?\s?[+−-]\s?\d{1,2}(?::\d\d)?\b|"
    r"\b(?:[A-Z]{2,4}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s[Tt]ime\s?[Zz]ones?\b|"
    r"\b(?:[A-Z]{2,4}|UTC|GMT)\s?(?:[+−-]|±)\s?\d{1,2}\s?(?:hours|hrs|h)\b")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
MD_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
APPLY_WORDS = re.compile(r"\bapply\b|\bapplication\b|\bapplying\b|bewerb|postuler|candidat", re.I)
_MAIL_CONTEXT = re.compile(r"\bapply\b|\bsend\b|\be-?mail\b|\bcv\b|\bresum|\brésumé|\bapplication|\bbewerb|"
                           r"\bcontact\b|\breach out\b|\bcover letter", re.I)

EMPLOYMENT_WORDS = (
    ("full-time", r"\bfull[- ]?time\b|\bvollzeit\b|\btemps plein\b|\btiempo completo\b|\bFULL_TIME\b"),
    ("part-time", r"\bpart[- ]?time\b|\bteilzeit\b|\btemps partiel\b|\bmedia jornada\b|\bPART_TIME\b"),
    ("contract", r"\bcontract(?:or)?\b|\bfreelancer?\b|\bCONTRACTOR\b|\bb2b\b"),
    ("internship", r"\binternship\b|\bintern\b|\bpraktikum\b|\bwerkstudent\b|\bINTERN\b|\btrainee\b"),
    ("temporary", r"\btemporary\b|\btemp\b|\bbefristet\b|\bfixed[- ]term\b|\bTEMPORARY\b"),
)
_BODY_EMPLOYMENT = (
    ("full-time", r"\bfull[- ]time\b|\bvollzeit\b"),
    ("part-time", r"\bpart[- ]time\b|\bteilzeit\b"),
    ("contract", r"\bcontract (?:role|position|job|basis|engagement|assignment|work)\b|\b\d+[- ]months? contract\b|"
                 r"\bfreelance (?:role|position|project|basis)\b|\bas a (?:freelancer|contractor)\b"),
    ("internship", r"\binternship\b"),
    ("temporary", r"\btemporary (?:role|position|contract|job)\b|\bfixed[- ]term (?:role|position|contract)\b"),
)
_MONTHS = ("january february march april may june july august september october november december "
           "januar februar märz april mai juni juli august september oktober november dezember").split()


@lru_cache(maxsize=16384)
def plain(line: str) -> str:
    """Drop Markdown emphasis, heading marks and link targets from one line, for matching."""
    line = MD_LINK.sub(lambda m: m.group(1), line)
    line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
    return _EMPHASIS.sub("", line).replace("`", "").strip()


def labelled(lines: list[str]) -> dict[str, tuple[str, str]]:
    """Find ``Label: value`` lines; return field -> (value, source line) for the first of each field."""
    found: dict[str, tuple[str, str]] = {}
    for line in lines:
        m = _LABEL_LINE.match(plain(line))
        if not m:
            continue
        key = " ".join(m.group(1).lower().split())
        field = LABELS.get(key)
        if field and field not in found:
            found[field] = (m.group(2).strip(), line.strip())
    return found


def employment_from_value(value: str) -> str | None:
    """Map a stated type ("Full-time", "Vollzeit", "FULL_TIME", "Contract") to our vocabulary."""
    hits = [name for name, pattern in EMPLOYMENT_WORDS if re.search(pattern, value, re.I)]
    return hits[0] if len(hits) == 1 else None


def employment_in_body(lines: list[str]) -> tuple[list[str], str]:
    """List the employment types a description names in so many words, with the first line saying so."""
    names: list[str] = []
    evidence = ""
    for line in lines:
        alone = employment_from_value(line) if is_employment_line(line) else None  # a bare "Contract" line
        if alone and alone not in names:
            names.append(alone)
            evidence = evidence or line.strip()
        for name, pattern in _BODY_EMPLOYMENT:
            if re.search(pattern, line, re.I) and name not in names:
                names.append(name)
                evidence = evidence or line.strip()
    return names, evidence


def regions_in(text: str) -> list[str]:
    """Regions named in a remote statement ("Remote-Africa", "Remote (EU or UK)")."""
    out: list[str] = []
    for m in _REGION_RE.finditer(text):
        word = m.group(1)
        if word.lower() in ("us", "eu", "uk") and not word.isupper():
            continue  # "us" the pronoun
        region = REGIONS[word.lower()]
        if region not in out:
            out.append(region)
    return out


def remote_of(text: str) -> str | None:
    """Read the work mode a short statement gives: yes, hybrid, no, or None."""
    if _HYBRID.search(text):
        return "hybrid"
    if _REMOTE_WORD.search(text):
        return None if re.search(r"\bno(?:t)? remote\b", text, re.I) else "yes"
    if _ONSITE.search(text):
        return "no"
    return None


def remote_in_body(line: str) -> str | None:
    """Read a work mode from a description line, only from phrases that state it outright."""
    text = plain(line)
    if _BODY_ONSITE.search(text):
        return "no"
    if _BODY_HYBRID.search(text):
        return "hybrid"
    if _BODY_REMOTE.search(text):
        return "yes"
    return None


_SEGMENT = re.compile(r"\s*·\s*|\s+[-–—]\s+")
_REGION_ONLY = re.compile(r"(?i)\b(?:only|based|in|within|the)\b|[\s,()/&+]")
_STATE = re.compile(r"^[A-Z][\w.'’ -]+,\s*(?:[A-Z]{2}|[A-Z][\w.'’ -]+)$")
_MODE_WORDS = re.compile(r"(?i)\b(?:fully|100\s?%|only|first|friendly|remote(?:ly)?|hybrid|on[- ]?site|in[- ]office|"
                         r"anywhere|worldwide|wfh|based|in|within|from|the|or|and)\b|[\s,()/&+:%-]")
_LEGAL = re.compile(r"(?i)\b(?:inc|ltd|llc|gmbh|corp|corporation|ag|s\.?a|b\.?v|pty|plc|co|limited|sarl|srl|oy|ab|as|kg|"
                    r"se|nv|spa)\.?$")


def split_places(value: str) -> tuple[list[str], str | None, list[str]]:
    """Split a location statement into places, a work mode and remote regions.

    "Berlin, Germany · Engineering" -> Berlin, Germany; "Remote (EU)" -> remote yes, EU;
    "London or Remote" -> London and remote yes; "Lisbon, Portugal · Remote (EU)" -> all three;
    "Hybrid - Berlin" -> Berlin and hybrid.
    """
    value = plain(value)
    mode = remote_of(value)
    regions: list[str] = []
    places: list[str] = []
    for i, segment in enumerate(s for s in _SEGMENT.split(value) if s.strip()):
        stated = remote_of(segment)
        if i and not stated and mode == "yes" and regions_in(segment) and not _REGION_RE.sub("", _REGION_ONLY.sub("", segment)):
            regions.extend(r for r in regions_in(segment) if r not in regions)  # "Remote - US"
            continue
        found, where = _places_in(segment)
        regions.extend(r for r in where if r not in regions)
        if found and not stated and (employment_from_value(segment) or (i and places)):
            continue  # "Berlin · Engineering", "Berlin · Full-time": a department or a type, no place
        places.extend(found)
    return places, mode, regions


def _places_in(value: str) -> tuple[list[str], list[str]]:
    """Places and remote regions of one segment of a location statement."""
    regions: list[str] = []
    places: list[str] = []
    for part in re.split(r"\s*(?:;|\||\bor\b|\boder\b|/| & |\band\b)\s*", value):
        part = part.strip(" ,.-–()")
        if not part:
            continue
        only_region = regions_in(part) and not re.search(r"\w", _REGION_RE.sub("", _REGION_ONLY.sub("", part)))
        if _REMOTE_WORD.search(part) or (only_region and _REMOTE_WORD.search(value)):
            regions.extend(r for r in regions_in(part) if r not in regions)
            continue  # "Remote (EU or UK)": UK is a region of the remote work, no place
        if _HYBRID.search(part) and not re.search(r"\w", _HYBRID.sub("", re.sub(r"\(.*", "", part))):
            continue
        part = re.sub(r"\s*\((?:on-?site|hybrid|remote|office)[^)]*\)?\s*$", "", part, flags=re.I).strip(" ,")
        if _ONSITE.fullmatch(part) or re.fullmatch(r"(?i)tbd|n/?a|various|multiple|flexible", part):
            continue
        places.append(part)
    return places, regions


def looks_like_place(line: str) -> bool:
    """Tell a bare place line ("San Francisco, CA or Remote", "Toronto, Canada") from other short lines."""
    text = plain(line).strip()
    if len(text) > 60 or re.search(r"[.!?:;]$", text):
        return False
    first = re.split(r"\s+(?:or|/|·|\|)\s+|\s*·\s*|\s+[-–—]\s+", text)[0].strip()
    m = _STATE.match(first)
    return bool(m) and (bool(re.search(r",\s*[A-Z]{2}$", first)) or bool(regions_in(first.rsplit(",", 1)[1])))


def is_remote_line(line: str) -> bool:
    """Tell a bare work-mode statement ("Remote (US only)", "Hybrid") from a heading like "Remote work"."""
    text = plain(line).strip()
    if not remote_of(text) or len(text) > 60:
        return False
    return not re.search(r"\w", _MODE_WORDS.sub("", _REGION_RE.sub("", text)))


def is_employment_line(line: str) -> bool:
    """Tell a bare type statement ("Permanent, full time", "Contract") from a heading like "Full-time perks"."""
    text = plain(line).strip()
    if not employment_from_value(text) or len(text) > 60:
        return False
    rest = text
    for _name, pattern in EMPLOYMENT_WORDS:
        rest = re.sub(pattern, "", rest, flags=re.I)
    rest = re.sub(r"(?i)\b(?:permanent|position|role|job|employment|contract|basis|only|fixed|term|months?|\d+)\b", "", rest)
    return not re.search(r"\w", rest)


def is_company_line(line: str) -> bool:
    """A short line ending in a legal form ("Stripe-like Inc.", "Acme GmbH"): a company, clearly."""
    text = plain(line).strip()
    return 0 < len(text.split()) <= 6 and bool(_LEGAL.search(text)) and text[0].isupper()


def remote_regions_in(line: str) -> list[str]:
    """Regions a description line ties to remote work: "Remote within Europe", "remote (EU only)"."""
    text = plain(line)
    if _BODY_ONSITE.search(text):
        return []
    for m in _REMOTE_WHERE.finditer(text):
        found = regions_in(m.group(1))
        if found:
            return found
    return []


_REMOTE_WHERE = re.compile(r"\bremote(?:ly)?\b(?:\s+(?:only\s+)?(?:within|in|from|across|anywhere in)\s+(?:the\s+)?|"
                           r"\s*[(–—-]\s*)([^.;:()\n]{2,40})", re.I)


_TITLE_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg)\s*:|(?:job(?: posting| opening| offer| ad)?|hiring|we(?:'re| are) hiring|"
                           r"stellenangebot|now hiring|new job|vacancy|opening)\s*[:!-])\s*", re.I)
#: "Data Engineer (Remote, EU)", "Data Engineer — Remote 🌎": a work mode tacked on the title.
_REMOTE_TAIL = re.compile(r"\s*(?:\((remote\b[^)]*)\)|\s[-–—|·]\s*(remote\b[^-–—|]*))[\W_]*$", re.I)


def clean_title(title: str) -> str:
    """Drop "Fwd:", "Job posting:", "Hiring:" prefixes and emphasis from a title."""
    title = plain(strip_invisible(title))
    while _TITLE_PREFIX.match(title):
        title = _TITLE_PREFIX.sub("", title, count=1)
    return title.strip(" -–—|:")


def remote_tail(title: str) -> tuple[str, str | None]:
    """Split "Data Engineer (Remote, EU)" into the title and the remote statement."""
    m = _REMOTE_TAIL.search(title)
    if not m or not title[: m.start()].strip():
        return title, None
    return title[: m.start()].strip(" -–—|:"), re.sub(r"[\W_]+$", "", m.group(1) or m.group(2)).strip()


def timezone_in(text: str) -> str | None:
    m = TIMEZONE.search(plain(text))
    return m.group(0).strip() if m else None


def emails(text: str) -> list[str]:
    return [m.group(0) for m in EMAIL.finditer(text)]


def mail_context(line: str) -> bool:
    return bool(_MAIL_CONTEXT.search(line))


def parse_date(value: object) -> dt.date | None:
    """Read a date written as 2016-10-20, 20.10.2016, October 20, 2016 or 20 Oct 2016."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = re.search(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b", text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    words = re.findall(r"[A-Za-zä]+|\d+", text.lower())
    month = next((i % 12 + 1 for w in words for i, name in enumerate(_MONTHS) if len(w) >= 3 and name.startswith(w)), None)
    numbers = [int(w) for w in words if w.isdigit()]
    year = next((n for n in numbers if 1990 <= n <= 2100), None)
    day = next((n for n in numbers if 1 <= n <= 31), None)
    if month and year and day:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None
