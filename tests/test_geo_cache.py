"""The gazetteer's tables are built once per machine, saved signed in the user cache folder, and
loaded by later processes; a tampered, unsigned or unwritable cache never changes a lookup."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import geo, geo_index
from site_gen.cache import _MAGIC

ROOT = Path(__file__).resolve().parent.parent

#: A child process: resolve a few names and print the places; "no-build" makes building the tables fail.
CHILD = """
import dataclasses, json, sys
from site_gen import geo, geo_index
if sys.argv[1] == "no-build":
    def refuse(*args):
        raise SystemExit("built the tables instead of loading them")
    geo_index.build_index = refuse
gazetteer = geo.Gazetteer()
names = ["Cologne", "Köln, Germany", "Zurich", "Portland, Oregon, USA", "New York", "Bombay", "London, Ontario"]
print(json.dumps({name: [dataclasses.asdict(p) if p else None, why]
                  for name in names for p, why in [gazetteer.resolve(name)]}, sort_keys=True))
"""


def child(cache_home: Path, mode: str = "build") -> dict:
    """Run CHILD in a fresh process whose user cache folder is ``cache_home``; return what it resolved."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    result = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def saved_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "site-gen").glob("gazetteer-*.pickle"))


def check_places(found: dict) -> None:
    """The answers every gazetteer must give, however its tables were obtained."""
    assert found["Cologne"][0]["city"] == "Köln" and found["Cologne"][0]["country_code"] == "DE"
    assert found["Köln, Germany"][0] == found["Cologne"][0]
    assert found["Zurich"][0]["city"] == "Zürich"
    assert found["Portland, Oregon, USA"][0]["region"] == "Oregon"
    assert found["New York"][0]["city"] == "New York City"
    assert found["Bombay"][0]["city"] == "Mumbai"  # an alternate name
    assert found["London, Ontario"][0] is None and "Ontario" in found["London, Ontario"][1]


def test_second_process_loads_the_saved_tables(tmp_path):
    first = child(tmp_path)
    check_places(first)
    assert len(saved_files(tmp_path)) == 1
    assert child(tmp_path, "no-build") == first  # loaded: building would have failed


def test_tampered_file_is_ignored_rebuilt_and_replaced(tmp_path):
    expected = child(tmp_path)
    [saved] = saved_files(tmp_path)
    blob = bytearray(saved.read_bytes())
    blob[-100] ^= 0xFF
    saved.write_bytes(bytes(blob))
    assert child(tmp_path) == expected
    assert saved.read_bytes() != bytes(blob)  # rewritten
    assert child(tmp_path, "no-build") == expected  # and the new file verifies


def test_truncated_file_is_rebuilt(tmp_path):
    expected = child(tmp_path)
    [saved] = saved_files(tmp_path)
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    assert child(tmp_path) == expected
    assert child(tmp_path, "no-build") == expected


def test_unsigned_pickle_is_never_unpickled(tmp_path):
    expected = child(tmp_path)
    [saved] = saved_files(tmp_path)
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    saved.write_bytes(_MAGIC + bytes(32) + pickle.dumps(Payload()))  # someone else's (or no) signature
    assert child(tmp_path) == expected
    assert not marker.exists()


def test_unwritable_cache_folder_still_builds(tmp_path):
    expected = child(tmp_path / "writable")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    assert child(blocker) == expected
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder should be"


def test_stale_files_of_other_versions_are_pruned_when_saving(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "site-gen"
    folder.mkdir()
    old, recent = folder / "gazetteer-old.pickle", folder / "gazetteer-recent.pickle"
    old.write_bytes(b"x")
    recent.write_bytes(b"x")
    month_ago = time.time() - geo_index.STALE_SECONDS - 60
    os.utime(old, (month_ago, month_ago))
    geo.Gazetteer(cache_dir=folder)
    assert not old.exists() and recent.exists()
    assert len(saved_files(tmp_path)) == 2


def test_loaded_tables_are_small_and_invisible_to_the_garbage_collector(tmp_path):
    """A loaded gazetteer must not bring back ~90 MB of dicts and tuples for every collection to walk."""
    child(tmp_path)
    probe = """
import gc, tracemalloc
from site_gen import geo
gc.collect()
before = len(gc.get_objects())
tracemalloc.start()
gazetteer = geo.Gazetteer()
size = tracemalloc.get_traced_memory()[0]
gc.collect()
print(len(gc.get_objects()) - before, size)
"""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    tracked, size = map(int, result.stdout.split())
    assert tracked < 2000
    assert size < 16 * 1024 * 1024


#: Any text, with characters whose UTF-8 forms are 1 to 4 bytes long (lone surrogates included) made frequent.
ANY_TEXT = st.text(st.one_of(st.characters(blacklist_categories=()),
                             st.sampled_from(["a", "b", "é", "\uffff", "\ud800", "\udfff", "\U0001f600"])), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(ANY_TEXT, st.lists(st.integers(0, 40000), min_size=1, max_size=4).map(tuple), max_size=40),
       st.lists(ANY_TEXT, max_size=10))
def test_packed_index_answers_like_the_dict_it_packs(table, others):
    """Keys of any script (accents, astral characters, lone surrogates) are found; others miss."""
    packed = geo_index.PackedIndex.pack(table)
    assert len(packed) == len(table)
    for key, cities in table.items():
        assert packed.get(key) == cities
    for key in others:
        assert packed.get(key, ("miss",)) == table.get(key, ("miss",))
