"""Who can apply from where: remote regions, time-zone windows, the plain sentence and JSON-LD.

A posting's ``remote_regions`` name continents, countries (name or ISO code) or ``Worldwide``;
``timezones`` gives a UTC offset window. Both are parsed here so that listing pages, the posting
page's sentence and the structured data all read the same facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .geo import Place, apply_alias, fold, gazetteer

#: Region names that mean "no restriction".
WORLDWIDE_WORDS = frozenset({"worldwide", "anywhere", "global", "world", "everywhere", "anywhere in the world"})
#: Earliest and latest UTC offsets in use, in minutes.
_OFFSET_RANGE = (-12 * 60, 14 * 60)
_OFFSET = r"(?:UTC|GMT)\s*(?:(?P<s{n}>[+\-\u2212])\s*(?P<h{n}>\d{{1,2}})(?::?(?P<m{n}>\d{{2}}))?)?"
_WINDOW = re.compile(rf"^\s*{_OFFSET.format(n=1)}\s*(?P<second>(?:to|until|-|\u2013|\u2014|\.\.)\s*"
                     rf"{_OFFSET.format(n=2)}\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class TzWindow:
    """Time zones applicants must live in, as UTC offsets in minutes, west edge first."""

    west: int
    east: int

    @property
    def label(self) -> str:
        """Return e.g. "UTC-3 to UTC+3", or "UTC+1" for a single zone."""
        if self.west == self.east:
            return _offset_label(self.west)
        return f"{_offset_label(self.west)} to {_offset_label(self.east)}"

    def contains(self, offset_minutes: int) -> bool:
        return self.west <= offset_minutes <= self.east


@dataclass(frozen=True)
class Eligibility:
    """From where a remote posting accepts applicants."""

    worldwide: bool = False  #: the posting says Worldwide / Anywhere
    areas: tuple[Place, ...] = ()  #: continents (``Place(continent=...)``) and countries
    window: TzWindow | None = None
    unknown: tuple[str, ...] = ()  #: regions that name no continent or country: shown as written

    @property
    def restricted(self) -> bool:
        return bool(self.areas) and not self.worldwide


def _offset_label(minutes: int) -> str:
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> int:
    if sign is None:
        return 0
    value = int(hours) * 60 + int(minutes or 0)
    if int(minutes or 0) >= 60:
        raise ValueError(f"{hours}:{minutes} has more than 59 minutes")
    return -value if sign in "-\u2212" else value


def parse_timezones(text: str) -> TzWindow:
    """Parse "UTC-3 to UTC+3", "UTC+1" or "GMT-5 to GMT+2"; raise ValueError with the fix."""
    match = _WINDOW.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a time-zone window "
                         "(write one offset like UTC+1, or a range like UTC-3 to UTC+3; GMT works too)")
    west = _offset(*match.group("s1", "h1", "m1"))
    east = _offset(*match.group("s2", "h2", "m2")) if match.group("second") else west
    for value in (west, east):
        if not _OFFSET_RANGE[0] <= value <= _OFFSET_RANGE[1]:
            raise ValueError(f"{_offset_label(value)} in {text!r} does not exist (offsets run from UTC-12 to UTC+14)")
    if west > east:
        raise ValueError(f"{text!r} runs from east to west: write the western (lower) offset first, "
                         f"e.g. {_offset_label(east)} to {_offset_label(west)}")
    return TzWindow(west, east)


def parse_region(value: str, aliases: Mapping[str, str] | None = None) -> Place | str | None:
    """Parse one ``remote_regions`` entry: a continent or country ``Place``, "worldwide", or None."""
    text = apply_alias(str(value).strip(), aliases)
    text = re.sub(r"\s+only$", "", text.strip(), flags=re.IGNORECASE)
    if fold(text) in WORLDWIDE_WORDS:
        return "worldwide"
    gaz = gazetteer()
    if continent := gaz.continent(text):
        return Place(continent=continent)
    if code := gaz.country_code(text):
        return gaz.country_place(code)
    return None


def parse_regions(values: Iterable[str], aliases: Mapping[str, str] | None = None) -> tuple[Eligibility, list[str]]:
    """Parse every ``remote_regions`` entry; return the eligibility and one message per bad entry."""
    areas: list[Place] = []
    worldwide = False
    errors, unknown = [], []
    for value in values:
        region = parse_region(value, aliases)
        if region == "worldwide":
            worldwide = True
        elif isinstance(region, Place):
            if region not in areas:
                areas.append(region)
        else:
            unknown.append(str(value).strip())
            errors.append(f"{value!r} is not a continent, a country (name or ISO code) or Worldwide "
                          "(e.g. Europe, Germany, DE; or map it in location_aliases in content/site.yaml)")
    return Eligibility(worldwide=worldwide, areas=tuple(areas), unknown=tuple(unknown)), errors


def eligibility(remote_regions: Iterable[str], timezones: str | None,
                aliases: Mapping[str, str] | None = None) -> tuple[Eligibility, dict[str, list[str]]]:
    """Parse a posting's regions and window; return it and the problems keyed by field name."""
    found, region_errors = parse_regions(remote_regions, aliases)
    problems: dict[str, list[str]] = {}
    if region_errors:
        problems["remote_regions"] = region_errors
    window = None
    if timezones:
        try:
            window = parse_timezones(timezones)
        except ValueError as exc:
            problems["timezones"] = [str(exc)]
    return Eligibility(found.worldwide, found.areas, window, found.unknown), problems


def covers(elig: Eligibility, area: Place | str) -> bool:
    """Tell whether a remote posting belongs on the remote page of ``area``.

    ``area`` is "worldwide", a continent or a country. A Worldwide posting is on every page (people
    everywhere can apply); one open to Africa is on Africa's page and its countries' pages; one open
    to Kenya is on Kenya's page and Africa's (it is a remote job in Africa), never on Worldwide.
    """
    if area == "worldwide":
        return elig.worldwide
    if elig.worldwide:
        return True
    assert isinstance(area, Place)
    for allowed in elig.areas:
        if area.country_code:
            if allowed.country_code == area.country_code or (not allowed.country_code and allowed.continent == area.continent):
                return True
        elif allowed.continent == area.continent:
            return True
    return False


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _area_name(area: Place) -> str:
    return area.country or area.continent or ""


def who_can_apply(remote: str | None, places: list[str], elig: Eligibility, timezones: str | None = None) -> str:
    """Say plainly who can apply from where, e.g. "Fully remote: you can apply from Africa."

    ``places`` are the display names of the posting's locations; ``timezones`` is the posting's
    own text, shown as written when it is not a window we can read ("US Time Zones"). Nothing is
    claimed that the posting does not state: a remote posting without regions says so.
    """
    where = ("in " + places[0]) if len(places) == 1 else ("in one of: " + "; ".join(places)) if places else ""
    if remote == "yes":
        if elig.worldwide:
            sentence = "Fully remote: you can apply from anywhere in the world."
        elif elig.areas or elig.unknown:
            names = [_area_name(a) for a in elig.areas] + list(elig.unknown)
            sentence = f"Fully remote: you can apply from {_join(names, 'or')}."
        else:
            sentence = "Fully remote. The posting does not say from which countries you can apply."
        if elig.window:
            sentence += f" You need to live in a time zone from {elig.window.label}." if elig.window.west != elig.window.east \
                else f" You need to live in the {elig.window.label} time zone."
        elif timezones:
            sentence += f" Time zones: {timezones}."
        return sentence
    if remote == "hybrid":
        return f"Hybrid: partly remote, partly on site {where}." if where else \
            "Hybrid: partly remote, partly on site. The posting does not say where."
    if remote == "no":
        return f"On site {where}." if where else "On site."
    return f"Location: {'; '.join(places)}." if places else ""


def location_jsonld(remote: str | None, places: list[Place], elig: Eligibility) -> dict[str, Any]:
    """Return the JobPosting keys about place: jobLocation, jobLocationType, applicantLocationRequirements.

    ``TELECOMMUTE`` only for fully remote postings; one ``Country`` or ``AdministrativeArea``
    (continent) per eligible area; nothing for Worldwide, which has no restriction to state.
    """
    data: dict[str, Any] = {}
    addresses = [_address(p) for p in places if p.country_code]  # a continent is no postal address
    if addresses:
        data["jobLocation"] = [{"@type": "Place", "address": a} for a in addresses]
    if remote == "yes":
        data["jobLocationType"] = "TELECOMMUTE"
        if (elig.areas or elig.unknown) and not elig.worldwide:
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": a.country} if a.country else {"@type": "AdministrativeArea", "name": a.continent}
                for a in elig.areas
            ] + [{"@type": "AdministrativeArea", "name": name} for name in elig.unknown]  # as the posting states
    return data


def _address(place: Place) -> dict[str, str]:
    address = {"@type": "PostalAddress"}
    if place.city:
        address["addressLocality"] = place.city
    if place.region:
        address["addressRegion"] = place.region
    if place.country_code:
        address["addressCountry"] = place.country_code
    return address
