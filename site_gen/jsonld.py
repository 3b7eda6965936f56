"""schema.org JobPosting data for Google for Jobs, built only from what a posting states.

Google's job-posting guidelines: required ``title``, ``description``, ``datePosted``,
``hiringOrganization`` and a place of work (``jobLocation``) unless the job is fully remote
(``jobLocationType: TELECOMMUTE`` with ``applicantLocationRequirements``). A closed posting
gets no JobPosting at all: removing the markup is one of the ways Google's docs give to
take an expired job out of the jobs experience.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import pycountry

from markupsafe import Markup

from .config import SiteConfig
from .jsontext import json_text, orjson_bytes
from .errors import Problem
from .model import Posting, Salary

#: Names people write that ISO 3166 does not list under that spelling.
_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "usa": "US", "u.s.": "US",
    "u.s.a.": "US", "united states of america": "US", "america": "US", "russia": "RU",
    "turkey": "TR", "ivory coast": "CI", "holland": "NL", "the netherlands": "NL",
    "czech republic": "CZ", "south korea": "KR", "korea": "KR", "uae": "AE", "vietnam": "VN",
}
#: US state codes: "San Francisco, CA" is California, not Canada.
_US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
#: Location strings that name no place of work.
_NOT_A_PLACE = frozenset({"remote", "anywhere", "worldwide", "global", "world", "earth", "online"})
#: Regions that mean "from any country": Google has no value for that, so none is emitted.
_WORLDWIDE = frozenset({"worldwide", "anywhere", "global", "world", "earth", "everywhere"})
_UNIT_TEXT = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}


@lru_cache(maxsize=4096)
def country(text: str) -> tuple[str, str] | None:
    """Return ``(ISO alpha-2 code, display name)`` for a country name or code, else None."""
    key = " ".join(text.split()).strip(". ").lower()
    if not key:
        return None
    code = _COUNTRY_ALIASES.get(key)
    try:
        found = pycountry.countries.get(alpha_2=code) if code else pycountry.countries.lookup(key)
    except LookupError:
        return None
    if found is None:
        return None
    return found.alpha_2, getattr(found, "common_name", None) or found.name


def postal_address(location: str) -> dict[str, str] | None:
    """Split a display location such as "Berlin, Germany" into a schema.org PostalAddress.

    Only what the string states is used: the last comma part is the country when it names
    one, the first is the town, a middle part the region. Returns None for non-places
    such as "Remote".
    """
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts or (len(parts) == 1 and parts[0].lower() in _NOT_A_PLACE):
        return None
    address = {"@type": "PostalAddress"}
    last = parts[-1]
    is_state = len(parts) > 1 and last.upper() in _US_STATES and len(last) == 2
    found = None if is_state else country(last)
    if found and (len(parts) > 1 or len(last) > 3 or last.lower() in _COUNTRY_ALIASES):
        address["addressCountry"] = found[0]
        parts = parts[:-1]
    if parts:
        address["addressLocality"] = parts[0]
    if len(parts) > 1:
        address["addressRegion"] = parts[-1]
    return address


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def base_salary(salary: Salary) -> dict[str, Any]:
    """Describe a pay range as a MonetaryAmount; a missing bound stays missing."""
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": _UNIT_TEXT[salary.period]}
    if salary.min is not None and salary.min == salary.max:
        value["value"] = _number(salary.min)
    else:
        if salary.min is not None:
            value["minValue"] = _number(salary.min)
        if salary.max is not None:
            value["maxValue"] = _number(salary.max)
    return {"@type": "MonetaryAmount", "currency": salary.currency, "value": value}


def applicant_locations(regions: tuple[str, ...]) -> list[dict[str, str]]:
    """Turn remote regions into Country / AdministrativeArea entries; Worldwide adds none."""
    areas = []
    for region in regions:
        if region.strip().lower() in _WORLDWIDE:
            continue
        found = country(region)
        if found:
            areas.append({"@type": "Country", "name": found[1]})
        else:
            areas.append({"@type": "AdministrativeArea", "name": region.strip()})
    unique = {json.dumps(a, sort_keys=True): a for a in areas}
    return list(unique.values())


def hiring_organization(posting: Posting, logo: str | None = None) -> dict[str, str]:
    """Name the employer, with its site and logo when known."""
    org = {"@type": "Organization", "name": posting.company}
    if posting.company_url:
        org["sameAs"] = posting.company_url
    if logo:
        org["logo"] = logo
    return org


def job_posting(posting: Posting, config: SiteConfig, logo: str | None = None, place: dict[str, Any] | None = None
                ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Build the JobPosting for one posting page, and warnings about what Google will miss.

    ``logo`` is an absolute URL of the company's logo, when the board knows one. ``place`` holds
    the place keys as resolved by the gazetteer (``locations.Geography.jsonld``); without it the
    location strings are split as written. Returns
    ``(None, [])`` for a closed posting. Each warning prints as
    ``content/jobs/x.md: JSON-LD: what Google misses (how to fix it)``.
    """
    if posting.closed:
        return None, []
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "datePosted": posting.date.isoformat(),
        "hiringOrganization": hiring_organization(posting, logo),
        "identifier": {"@type": "PropertyValue", "name": posting.company, "value": posting.slug},
        "url": config.absolute(posting.url),
    }
    described = _described(posting.html_utf8)
    if described:
        data["description"] = posting.body_html
    if posting.apply:
        # Google: whether the page's URL "enables direct application". The board's page links out
        # to the employer's form or mailbox, so applying is never direct here.
        data["directApply"] = False
    if posting.valid_through:
        data["validThrough"] = posting.valid_through.isoformat() + "T23:59:59"
    if posting.schema_employment_type:
        data["employmentType"] = posting.schema_employment_type
    if posting.salary:
        data["baseSalary"] = base_salary(posting.salary)
    places, remote, areas = _where(posting, place)
    if places:
        data["jobLocation"] = [{"@type": "Place", "address": a} for a in places]
        if len(places) == 1:
            data["jobLocation"] = data["jobLocation"][0]
    if remote:
        data["jobLocationType"] = "TELECOMMUTE"
        if areas:
            data["applicantLocationRequirements"] = areas[0] if len(areas) == 1 else areas
    return data, _problems(posting, described, places, remote, areas)


def job_posting_warnings(posting: Posting, place: dict[str, Any] | None = None) -> list[Problem]:
    """The warnings of ``job_posting``, without building the JobPosting (the build reports them once)."""
    if posting.closed:
        return []
    return _problems(posting, _described(posting.html_utf8), *_where(posting, place))


def _described(raw: bytes) -> bool:
    """Whether a description (its HTML as UTF-8) holds more than white space, as ``str.strip`` would judge.

    Most start with "<": an ASCII first character that ``str.isspace`` rejects decides it without
    decoding ~5 KB (``bytes.isspace`` is not the test: it passes over \x1c-\x1f, which str calls space).
    """
    return bool(raw) and ((raw[0] < 0x80 and not chr(raw[0]).isspace()) or not raw.decode("utf-8").isspace())


def _where(posting: Posting, resolved: dict[str, Any] | None) -> tuple[list[dict[str, str]], bool, list]:
    """The posting's addresses, whether it is fully remote, and the areas remote applicants may live in."""
    if resolved is not None:  # issue 9: "Berlin" gets its country; continents become AdministrativeArea
        places = [p["address"] for p in resolved.get("jobLocation", [])]
        remote = resolved.get("jobLocationType") == "TELECOMMUTE"
        return places, remote, resolved.get("applicantLocationRequirements", []) if remote else []
    remote = posting.remote == "yes"
    return ([a for a in map(postal_address, posting.locations) if a], remote,
            applicant_locations(posting.remote_regions) if remote else [])


def _problems(posting: Posting, described: bool, places: list[dict[str, str]], remote: bool, areas: list
              ) -> list[Problem]:
    """What Google for Jobs will miss in a posting's JobPosting, each with how to fix it."""
    warn = []
    if not described:
        warn.append(("the description is empty: Google requires one",
                     "write the job description below the front matter"))
    for place in places:
        if "addressCountry" not in place:
            warn.append((f"no country in location {_place_text(place)!r}: Google recommends addressCountry",
                         'write the location as "Town, Country"'))
    if remote and not areas and not places:
        warn.append(("remote with no country in remote_regions: Google lists a fully remote job only with "
                     "at least one country applicants may live in", "add remote_regions: [Country, ...]"))
    elif not remote and not places:
        warn.append(("no jobLocation and not remote: Google requires a place of work or remote eligibility",
                     "add location: or remote: yes"))
    return [Problem(posting.source, "JSON-LD", message, hint) for message, hint in warn]


def _place_text(address: dict[str, str]) -> str:
    return ", ".join(address[k] for k in ("addressLocality", "addressRegion") if k in address)


#: Characters that could end or confuse an HTML <script> block, and JS line terminators.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
#: The same in UTF-8: each pattern is a whole character there too (UTF-8 never starts one inside another).
_SCRIPT_ESCAPES_UTF8 = tuple((char.encode(), escape.encode()) for char, escape in _SCRIPT_ESCAPES)
#: Whether UTF-8 holds a JS line terminator: one scan, where ``in`` with each three-byte pattern takes
#: ~4 us a 6 KB description that has dashes or quotes (every one starts with the same two bytes).
_LINE_TERMINATOR_UTF8 = re.compile(rb"\xe2\x80[\xa8\xa9]").search  # U+2028, U+2029 in UTF-8


def script_json(data: Any) -> str:
    """Serialise data as JSON that cannot break out of a ``<script>`` element: ``jsontext.canonical_json`` with the characters above escaped."""
    raw = orjson_bytes(data)
    if raw is not None:
        rare = _LINE_TERMINATOR_UTF8(raw) is not None
        for char, escape in _SCRIPT_ESCAPES_UTF8:
            if (rare or len(char) == 1) and char in raw:
                raw = raw.replace(char, escape)
        return raw.decode("utf-8")
    text = json_text(data)
    for char, escape in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def script_tag(data: Any) -> Markup:
    """Return a complete ``<script type="application/ld+json">`` block, safe for templates."""
    return Markup('<script type="application/ld+json">' + script_json(data) + "</script>")


def posting_script(posting: Posting, config: SiteConfig, logo: str | None = None) -> Markup:
    """Return the JSON-LD block for a posting page, or empty markup for a closed posting."""
    data, _ = job_posting(posting, config, logo)
    return script_tag(data) if data else Markup("")
