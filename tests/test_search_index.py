"""The search index builder: tokenising, packing, sharding and what goes into each file."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given, strategies as st

from search_helpers import as_files, filter_ids, lookup, make_posting, summaries
from site_gen import search_index
from site_gen.search_codec import decode_ids, decode_numbers, encode_ids, tokenise
from site_gen.search_index import build_search_index, shard_file, split_shards


def board():
    """Five postings covering every field the index reads, given oldest first on purpose."""
    return [
        make_posting("old-closed", "Python Veteran", date="2025-01-01", closed=True, tags=("python",)),
        make_posting("kotlin-text", "Mobile Developer", company="Appy", date="2025-02-01",
                     body_html="<p>We also use <strong>Kotlin</strong> &amp; Swift.</p>",
                     locations=("London, UK",), remote="no", employment_type="part-time",
                     salary=(3000, 4000, "GBP", "month")),
        make_posting("zurich", "Data Engineer", company="Zürcher Bank", date="2025-02-10",
                     locations=("Zürich, Switzerland",), tags=("SQL",), employment_type="full-time",
                     salary=(90000, None, "CHF", "year")),
        make_posting("kotlin-title", "Kotlin Engineer", company="Droid", date="2025-03-01",
                     locations=("Berlin, Germany",), remote="hybrid", tags=("Kotlin", "C++")),
        make_posting("python-remote", "Python Engineer", company="Snake Co", date="2025-03-12",
                     remote="yes", employment_type="contract", salary=(50, 70, "USD", "hour"),
                     tags=("python", "Go"), remote_regions=("Africa",),
                     body_html="<p>Remote <em>Python</em> work. <code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>",
                     summary="Remote Python work. <script>alert(1)</script>"),
    ]


@pytest.fixture(scope="module")
def files():
    return as_files(build_search_index(board(), None))


def test_tokenise_ignores_case_and_accents_and_keeps_language_symbols():
    assert tokenise("Zürich ZÜRICH zurich") == ["zurich"] * 3
    assert tokenise("Senior C++/C# dev, .NET & Node.js") == ["senior", "cpp", "csharp", "dev", "dotnet", "node", "js"]
    assert tokenise("São Paulo — ﬁnance_team") == ["sao", "paulo", "finance", "team"]


def reference_tokenise(text):
    """The rule search.js mirrors, written plainly: NFKD, lower case, no marks, symbols, letter runs."""
    import re
    import unicodedata

    text = "".join(c for c in unicodedata.normalize("NFKD", text).lower() if not unicodedata.category(c).startswith("M"))
    for symbol, word in (("c++", " cpp "), ("c#", " csharp "), ("f#", " fsharp "), (".net", " dotnet ")):
        text = text.replace(symbol, word)
    return re.findall(r"[^\W_]+", text)


PROSE = "ab Zé’‘“”—–•·«»„‚‐−\u00a0\u2009\u202f…_-.,c++#net\u0301İΣσ日本語\t\n1x²\u3000\u200b\U0001F600٣ＣＮﬁ"


@given(st.text(alphabet=PROSE, max_size=40) | st.text(max_size=40))
def test_tokenise_fast_paths_give_the_plain_rule(text):
    assert tokenise(text) == reference_tokenise(text)


@given(st.lists(st.integers(min_value=0, max_value=5000), max_size=300))
def test_id_lists_survive_packing(ids):
    assert decode_ids(encode_ids(ids)) == sorted(set(ids))
    ordered = sorted(set(ids))  # what the inverted index hands over: packed as it is, the same text
    assert encode_ids(ordered, ascending=True) == encode_ids(ids)


def test_dense_lists_pack_as_bitsets_and_sparse_ones_as_gaps():
    dense, sparse = encode_ids(range(0, 600, 2)), encode_ids([5, 4000, 9000])
    assert dense.startswith(".") and len(dense) < 120
    assert not sparse.startswith(".") and len(sparse) <= 9


def test_only_open_postings_get_ids_newest_first(files):
    records = summaries(files)
    assert [r["u"] for r in records] == ["/jobs/python-remote/", "/jobs/kotlin-title/", "/jobs/zurich/",
                                         "/jobs/kotlin-text/"]
    assert files["search/manifest.json"]["n"] == 4
    assert lookup(files, "veteran") == [[], [], []]


def test_summary_records_hold_display_fields_as_plain_text(files):
    python, _, zurich, kotlin = summaries(files)
    assert python == {"u": "/jobs/python-remote/", "t": "Python Engineer", "c": "Snake Co", "d": "2025-03-12",
                      "r": "yes", "e": "Contract", "g": ["python", "Go"], "s": "USD 50 – 70 an hour",
                      "x": "Remote Python work. <script>alert(1)</script>"}
    assert zurich["l"] == ["Zürich, Switzerland"] and zurich["s"] == "from CHF 90,000 a year"
    assert "<" not in json.dumps(kotlin)


def test_summary_text_is_cut_at_a_word_boundary():
    long = make_posting("long", summary="word " * 100)
    (record,) = summaries(as_files(build_search_index([long], None)))
    assert len(record["x"]) <= search_index.SUMMARY_CHARS + 1 and record["x"].endswith("word…")


def test_words_are_filed_under_their_best_field(files):
    assert lookup(files, "kotlin") == [[1], [], [3]]  # title/tag of id 1, description of id 3
    assert lookup(files, "zurich") == [[], [2], []]  # company and location
    assert lookup(files, "africa") == [[], [0], []]  # remote regions count as a place
    assert lookup(files, "cpp") == [[1], [], []]
    assert lookup(files, "strong") == [[], [], []]  # markup is not text


def test_alias_spellings_from_site_settings_find_the_canonical_tag_and_place():
    settings = SimpleNamespace(tag_aliases={"golang": "Go", "k8s": "Kubernetes"},
                               location_aliases={"ZRH": "Zürich, Switzerland"})
    files = as_files(build_search_index(board(), settings))
    assert lookup(files, "golang") == [[0], [], []]
    assert lookup(files, "k8s") == [[], [], []]  # no posting has the tag
    assert lookup(files, "zrh") == [[], [2], []]


def test_every_word_lives_in_the_shard_its_longest_prefix_names():
    entries = {w: ["A"] for w in ["re", "react", "reactive", "redis", "rust", "r", "ruby", "zürich", "日本"]}
    shards = split_shards(entries, budget=20)
    assert sorted(w for shard in shards.values() for w in shard) == sorted(entries)
    for key, shard in shards.items():
        for word in shard:
            longest = max((k for k in shards if word.startswith(k)), key=len)
            assert longest == key
    assert shards["re"] == {"re": ["A"]} and any(len(k) > 2 and k.startswith("re") for k in shards)


def test_small_shards_stay_at_two_letters():
    shards = split_shards({"python": ["A"], "pytest": ["B"], "go": ["C"]})
    assert shards == {"py": {"python": ["A"], "pytest": ["B"]}, "go": {"go": ["C"]}}


def test_shard_files_have_safe_names(files):
    assert shard_file("py") == "py" and shard_file("zü") == "_7ac3bc"
    keys = files["search/manifest.json"]["shards"].split(" ")
    assert keys == sorted(keys) and all(f"search/t/{shard_file(k)}.json" in files for k in keys)


def test_filters_list_the_postings_of_each_value(files):
    assert filter_ids(files, "remote") == {"yes": [0], "hybrid": [1], "no": [3]}
    assert filter_ids(files, "type") == {"full-time": [2], "part-time": [3], "contract": [0]}
    assert filter_ids(files, "tag")["python"] == [0] and filter_ids(files, "tag")["cpp"] == [1]
    assert filter_ids(files, "currency") == {"usd": [0], "chf": [2], "gbp": [3]}


def test_location_filter_follows_the_place_hierarchy_with_remote_first(files):
    values = files["search/f/location.json"]
    assert [(v[0], v[1], v[3:]) for v in values] == [  # value, label, depth when nested
        ("remote", "Remote", []), ("europe", "Europe", []), ("germany", "Germany", [1]),
        ("germany/berlin", "Berlin, Germany", [2]), ("switzerland", "Switzerland", [1]),
        ("switzerland/zurich", "Zürich, Switzerland", [2]),
        ("united-kingdom", "United Kingdom", [1]), ("united-kingdom/london", "London, United Kingdom", [2])]
    ids = filter_ids(files, "location")
    assert ids["europe"] == [1, 2, 3] and ids["germany"] == ids["germany/berlin"] == [1]
    assert ids["remote"] == [0]  # the fully remote posting, not the hybrid one


def test_one_city_written_two_ways_is_one_value_and_unknown_places_keep_their_name():
    postings = [make_posting("a", date="2025-03-02", locations=("Berlin",)),
                make_posting("b", date="2025-03-01", locations=("Berlin, Germany", "Atlantis Base 7"))]
    files = as_files(build_search_index(postings))
    ids = filter_ids(files, "location")
    assert ids == {"europe": [0, 1], "germany": [0, 1], "germany/berlin": [0, 1], "atlantis-base-7": [1]}
    assert files["search/f/location.json"][-1] == ["atlantis-base-7", "Atlantis Base 7", encode_ids([1])]


def test_remote_from_uses_the_remote_pages_rule():
    postings = [make_posting("world", date="2025-03-03", remote="yes", remote_regions=("Worldwide",)),
                make_posting("africa", date="2025-03-02", remote="yes", remote_regions=("Africa",)),
                make_posting("kenya", date="2025-03-01", remote="yes", remote_regions=("KE",)),
                make_posting("office", date="2025-02-01", remote="no", remote_regions=("Africa",))]
    files = as_files(build_search_index(postings))
    assert [(v[0], v[3:]) for v in files["search/f/remote_from.json"]] == [("worldwide", []), ("africa", []), ("kenya", [1])]
    assert filter_ids(files, "remote_from") == {"worldwide": [0], "africa": [0, 1, 2], "kenya": [0, 1, 2]}
    assert "remote_from" in [f[0] for f in files["search/manifest.json"]["filters"] if not f[2]]  # lazy


def test_countries_and_continents_find_the_postings_in_them(files):
    assert lookup(files, "germany")[1] == [1] and lookup(files, "berlin")[1] == [1]
    assert lookup(files, "europe")[1] == [1, 2, 3]
    assert lookup(files, "africa")[1] == [0]  # open to applicants in Africa


def test_manifest_says_which_filters_load_lazily(files):
    manifest = files["search/manifest.json"]
    assert [f[0] for f in manifest["filters"] if not f[2]] == ["location", "remote_from", "tag"]
    assert {f[0]: f[3] for f in manifest["filters"]} == {
        "remote": 3, "type": 3, "location": 8, "remote_from": 1, "tag": 5, "currency": 3}
    assert {f"search/f/{f[0]}.json" for f in manifest["filters"]} <= set(files)


def test_salaries_are_annual_maximums_by_id(files):
    annual = decode_numbers(files["search/salary.json"]["annual_max_plus_one"])
    # hourly and monthly pay made yearly; a range counts by its top, a lone minimum by itself
    assert annual == [70 * 2080 + 1, 0, 90000 + 1, 4000 * 12 + 1]


def test_the_sites_geography_gives_the_same_index():
    from site_gen.locations import build_geography
    postings = search_index.open_postings(board())
    assert build_search_index(board(), None, geo=build_geography(postings, {})) == build_search_index(board(), None)


def test_output_is_deterministic_and_independent_of_input_order():
    postings = board()
    first = build_search_index(postings, None)
    second = build_search_index(list(reversed(postings)), None)
    assert first == second
    assert all(o.path.startswith("search/") for o in first)


def test_empty_board_still_builds_a_valid_index():
    files = as_files(build_search_index([], None))
    assert files["search/manifest.json"]["n"] == 0 and files["search/manifest.json"]["shards"] == ""


def test_memo_kept_between_rebuilds_gives_the_same_index():
    import dataclasses

    postings = board()
    memo: dict = {}
    first = build_search_index(postings, None, memo)
    assert first == build_search_index(postings, None)
    edited = [*postings[:-1], dataclasses.replace(postings[-1], title="Quantum Gardener", digest="changed")]
    again = build_search_index(edited, None, memo)
    assert again == build_search_index(edited, None)
    assert any(lookup(as_files(again), "quantum")) and not any(lookup(as_files(first), "quantum"))


def set_based_invert(postings, aliases=None):
    """The inverted index as sets say it: each word under the best group it is in, once per posting."""
    words: dict[str, list[list[int]]] = {}
    for pid, posting in enumerate(postings):
        title, place, text = search_index.field_words(posting, aliases)
        for group, found in enumerate((set(title), set(place) - set(title), set(text) - set(title) - set(place))):
            for word in found:
                words.setdefault(word, [[], [], []])[group].append(pid)
    return words


_WORDS = st.sampled_from(["python", "go", "berlin", "acme", "remote", "data", "c++", "zürich", "kotlin", "x"])


@given(st.lists(st.tuples(st.lists(_WORDS, max_size=4), st.lists(_WORDS, max_size=3), st.lists(_WORDS, max_size=12)),
                min_size=1, max_size=8))
def test_each_word_is_filed_once_per_posting_under_its_best_field(rows):
    """Title/tag words, then place words, then description words: the same lists as set arithmetic gives."""
    postings = [make_posting(f"p{i}", " ".join(title) or "Job", company="Acme", date=f"2025-03-{i + 1:02d}",
                             tags=tuple(title), locations=tuple(place),
                             body_html="<p>" + " ".join(text) + "</p>",
                             words=search_index.description_words("<p>" + " ".join(text) + "</p>"))
                for i, (title, place, text) in enumerate(rows)]
    assert search_index.invert(postings) == set_based_invert(postings)
