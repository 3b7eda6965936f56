"""The parse stage's shortcuts (os-level reads, string paths, skipped passes) answer what the general code answers."""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path

from hypothesis import given, strategies as st

from tokenise_reference import general_tokenise
from site_gen import fastyaml, load, search_codec, urls, validate
from site_gen.errors import Problem


def pathlib_read_bytes(path: Path, max_bytes: int, shown: str) -> bytes | Problem:
    """The reader before it used os calls: pathlib stat, then a buffered read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Problem(shown, "", "is not a regular file; not read")
        if info.st_size > max_bytes:
            return load.too_big(shown, max_bytes, info.st_size)
        with open(path, "rb") as fh:
            raw = fh.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += fh.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        return Problem(shown, "", f"cannot read file: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return load.too_big(shown, max_bytes)
    return raw


def test_reading_a_file_gives_its_bytes_or_the_same_problem(tmp_path):
    (tmp_path / "ok.md").write_bytes(b"---\ntitle: x\n---\n" + "é".encode() * 5000)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "big.md").write_bytes(b"x" * 101)
    (tmp_path / "limit.md").write_bytes(b"x" * 100)
    (tmp_path / "folder.md").mkdir()
    os.mkfifo(tmp_path / "pipe.md")
    for name in ("ok.md", "empty.md", "big.md", "limit.md", "folder.md", "pipe.md", "missing.md"):
        path = tmp_path / name
        limit = 100 if name in ("big.md", "limit.md") else 1_000_000
        assert load._read_bytes(path, limit, name) == pathlib_read_bytes(path, limit, name), name


def test_a_file_that_grows_after_stat_is_read_on_up_to_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "growing.md"
    path.write_bytes(b"y" * 50)
    real_stat = os.stat

    def stale_stat(name, *args, **kwargs):  # what stat said before the file grew from 10 bytes to 50
        info = real_stat(name, *args, **kwargs)
        return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))

    monkeypatch.setattr(os, "stat", stale_stat)
    assert load._read_bytes(path, 100, "growing.md") == b"y" * 50
    problem = load._read_bytes(path, 20, "growing.md")
    assert isinstance(problem, Problem) and problem.message == "file is over the limit of 20 bytes"


def test_short_reads_still_give_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "slow.md"
    data = bytes(range(256)) * 40
    path.write_bytes(data)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 7)))  # a pipe-like file system
    assert load._read_bytes(path, 1_000_000, "slow.md") == data


def general_decode(raw: bytes, shown: str) -> tuple[str | None, Problem | None]:
    """The decoder before its shortcuts: copy-stripping, the utf-8-sig codec and every pass always run."""
    for bom, name in load._UTF16_32_BOMS:
        if raw.startswith(bom):
            return None, Problem(shown, "", f"is {name} text, not UTF-8", "re-save the file as UTF-8")
    if not raw.strip():
        return None, Problem(shown, "", "file is empty", "write a posting with front matter, or delete the file")
    if b"\x00" in raw:
        return None, Problem(shown, "", "contains NUL bytes: a binary file (or UTF-16 text), not a UTF-8 posting",
                             "postings are UTF-8 text files")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, load._undecodable(raw, shown)  # the message itself is checked in test_hostile.py
    return load._CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")), None


def general_split(text: str, shown: str) -> tuple[str, str, int] | Problem:
    """Front-matter splitting by slicing, as it was written first."""
    stripped = text.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if not load._FENCE.fullmatch(first):
        return Problem(shown, "", "no front matter found",
                       "start the file with a `---` line, the YAML fields, then another `---` line")
    end = load._FENCE.search(rest)
    if end is None:
        return Problem(shown, "front matter", "is not closed", "end the YAML fields with a `---` line")
    first_line = len(text) - len(stripped)
    return rest[: end.start()], rest[end.end():].lstrip("\n").rstrip(), first_line + 2


_RAW_PIECES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00", b"\r", b"\n", b"\r\n",
               b" ", b"\t", b"\x0b", b"\x0c", b"\x01", b"\x1f", b"\x7f", b"---", b"x", "é".encode(), "—".encode(),
               b"\xe9", b"\x81", b"\xc3", b"\x80", b"\xf0\x9f\x98", "\u2028".encode(), b"\x85"]


@given(st.lists(st.sampled_from(_RAW_PIECES), max_size=14).map(b"".join))
def test_decoding_matches_the_general_decoder(raw):
    assert load.decode(raw, "jobs/x.md") == general_decode(raw, "jobs/x.md")


_TEXT_PIECES = ["---", "--- ", "---\t", "----", "-- -", "\n", "\r", " ", "\t", "x", "é", "a: b",
                "\u2028", "\x1c", "\x85", "\u00a0", "\u3000"]


@given(st.lists(st.sampled_from(["\n", "\n\n", " \n"]), max_size=2).map("".join),
       st.lists(st.sampled_from(_TEXT_PIECES), max_size=6).map("".join),
       st.lists(st.sampled_from(_TEXT_PIECES), max_size=6).map("".join),
       st.lists(st.sampled_from(_TEXT_PIECES), max_size=6).map("".join))
def test_front_matter_splitting_matches_slicing(blank, head, front, body):
    for text in (blank + head, blank + head + "\n" + front, blank + "---\n" + front + "\n---" + body,
                 blank + "---\n" + front + "\n---\n" + body):
        assert load.split_front_matter(text, "jobs/x.md") == general_split(text, "jobs/x.md")


@given(st.lists(st.sampled_from(["a", "b", ".", "..", "x.md", "jobs", "a b", "é"]), max_size=4),
       st.lists(st.sampled_from(["a", "b", ".", "..", "jobs", "ab"]), max_size=3), st.booleans())
def test_display_paths_match_pathlib(parts, base_parts, absolute):
    root = "/" if absolute else ""
    path, base = Path(root + "/".join(parts)), Path(root + "/".join(base_parts))
    try:
        expected = path.relative_to(base).as_posix()
    except ValueError:
        expected = load.display_path(path)
    assert load.display_path(path, base) == expected


@given(st.lists(st.sampled_from(["c++", "C++", "c#", "C#", "f#", "F#", ".net", ".NET", "c", "f", "+", "#", ".", "net",
                                 " ", "x", "é", "—", "…", "\u03a3", "ﬁ", "C+", "+#"]), max_size=12).map("".join))
def test_tokenise_matches_the_plain_symbol_test(text):
    assert search_codec.tokenise(text) == general_tokenise(text)


def general_text_list(check, meta: dict, key: str, split_commas: bool = False) -> tuple[str, ...]:
    """text_list as written first: every entry through _is_scalar and str()."""
    items = check.entries(meta, key, split_commas)
    out, seen = [], set()
    for item in items:
        if not validate._is_scalar(item):
            check.fail(key, f"each entry must be text, not {validate._kind(item)}")
            continue
        cleaned = urls.strip_invisible(str(item))
        if len(cleaned) > validate.MAX_TEXT:
            check.fail(key, f"an entry is {len(cleaned)} characters long; the limit is {validate.MAX_TEXT}")
        elif cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            out.append(cleaned)
    return tuple(out)


_ENTRIES = st.one_of(st.sampled_from(["Go", "go", "GO ", " Rust", "a\u200bb", "", " ", "x" * 301, "Straße", "STRASSE",
                                      True, None, 1984, 2.5, float("nan"), float("inf"), [], {}, ["x"]]),
                     st.text(max_size=5))


@given(st.one_of(_ENTRIES, st.lists(_ENTRIES, max_size=8)), st.booleans(), st.booleans())
def test_text_lists_and_aliases_match_the_general_code(value, split_commas, with_aliases):
    fast = validate._Checker("jobs/x.md", [])
    general = validate._Checker("jobs/x.md", [])
    names = fast.text_list({"tags": value}, "tags", split_commas)
    assert names == general_text_list(general, {"tags": value}, "tags", split_commas)
    assert fast.problems == general.problems
    aliases = {"golang": "Go", "strasse": "Rust"} if with_aliases else {}
    expected, seen = [], set()
    for name in names:
        target = aliases.get(name.casefold(), name)
        if target.casefold() not in seen:
            seen.add(target.casefold())
            expected.append(target)
    assert validate._aliased(names, aliases) == tuple(expected)


def test_front_matter_values_are_never_shared_between_postings():
    """The fast YAML path remembers recurring lines: its lists and mappings must still be new each time."""
    text = "title: x\ntags: [a, b]\nremote: yes\nsalary: {min: 1, max: 2}\nlocation:\n  - Berlin\nextra:\n  k: v\n"
    first = fastyaml.load(text)
    assert first == {"title": "x", "tags": ["a", "b"], "remote": True, "salary": {"min": 1, "max": 2},
                     "location": ["Berlin"], "extra": {"k": "v"}}
    first["tags"].append("c")
    first["salary"]["min"] = 5
    first["location"].clear()
    first["extra"]["k"] = "changed"
    assert fastyaml.load(text) == {"title": "x", "tags": ["a", "b"], "remote": True, "salary": {"min": 1, "max": 2},
                                   "location": ["Berlin"], "extra": {"k": "v"}}


def os_walk_find_postings(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The posting finder before it used os.scandir: os.walk, pathlib tests and a display path per file."""
    base, jobs, root = content_dir.parent, content_dir / "jobs", content_dir.resolve()
    found, problems = [], []
    for dirpath, dirnames, filenames in os.walk(jobs, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink() and not name.startswith("."):
                problems.append(Problem(load.display_path(here / name, base), "", "is a symbolic link to a folder; not followed",
                                        "move the postings into content/jobs/ instead of linking them"))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = here / name
            problem = load._symlink_problem(path, root, load.display_path(path, base))
            if problem is None and not path.is_file():
                problem = Problem(load.display_path(path, base), "", "is not a regular file; not read")
            if problem:
                problems.append(problem)
            else:
                found.append(path)
    return found, problems


def test_the_folder_walk_finds_the_same_postings_and_problems_in_the_same_order(tmp_path):
    content = tmp_path / "content"
    for name in ("jobs/b.md", "jobs/a.md", "jobs/notes.txt", "jobs/.hidden.md", "jobs/z/deep/x.md", "jobs/z/c.md",
                 "jobs/m/b.md", "jobs/.git/y.md", "jobs/m/README", "shared/inside.md", "jobs/B.md", "jobs/Z.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("---\ntitle: x\n---\n")
    (content / "jobs/folder.md").mkdir()
    (content / "jobs/linked").symlink_to(content / "shared")
    (content / "jobs/.linked").symlink_to(content / "shared")
    (content / "jobs/m/inside.md").symlink_to(content / "shared/inside.md")
    (content / "jobs/m/outside.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text("x")
    (content / "jobs/z/dangling.md").symlink_to(content / "missing.md")
    (content / "jobs/loop.md").symlink_to(content / "jobs/loop.md")
    os.mkfifo(content / "jobs/m/pipe.md")
    found, problems = load.find_postings(content)
    assert (found, problems) == os_walk_find_postings(content)
    assert [p.relative_to(content).as_posix() for p in found] == [
        "jobs/B.md", "jobs/Z.md", "jobs/a.md", "jobs/b.md", "jobs/m/b.md", "jobs/m/inside.md", "jobs/z/c.md", "jobs/z/deep/x.md"]
    assert len(problems) == 5  # linked folder, outside link, pipe, dangling link, looping link


@given(st.text(alphabet="/.\\\x00ab-é", max_size=14))
def test_output_paths_are_normal_or_refused(url):
    """``output_path`` answers what normpath answers for the URL's file, or refuses a path that escapes."""
    path = url.lstrip("/")
    path += "index.html" if not path or path.endswith("/") else ""
    norm = posixpath.normpath(path)
    try:
        got = urls.output_path(url)
    except ValueError:
        assert norm in (".", "..") or norm.startswith("../") or "\\" in path or "\x00" in path
    else:
        assert got == norm


def test_prefetch_asks_the_kernel_for_regular_files_only_and_never_fails(tmp_path, monkeypatch):
    """Files are queued for reading before they are parsed; FIFOs, folders, devices and missing files are not opened."""
    (tmp_path / "a.md").write_bytes(b"---\ntitle: a\n---\n")
    (tmp_path / "b.md").write_bytes(b"x" * 10_000)
    (tmp_path / "folder.md").mkdir()
    os.mkfifo(tmp_path / "pipe.md")  # opening it for reading without O_NONBLOCK would wait for a writer
    (tmp_path / "device.md").symlink_to(os.devnull)
    (tmp_path / "link.md").symlink_to(tmp_path / "a.md")
    names = ["a.md", "b.md", "folder.md", "pipe.md", "device.md", "link.md", "missing.md"]
    opened, advised = [], []
    real_open, real_advise = os.open, os.posix_fadvise

    def spy_open(name, flags, *args):
        opened.append(Path(name).name)
        return real_open(name, flags, *args)

    def spy_advise(fd, offset, length, advice):
        advised.append(advice)
        return real_advise(fd, offset, length, advice)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "posix_fadvise", spy_advise)
    seen = load.prefetch([tmp_path / n for n in names])
    assert opened == ["a.md", "b.md", "link.md"]
    records = {tmp_path / n: os.stat(tmp_path / n) for n in ("a.md", "b.md", "link.md")}
    assert seen == {path: (info.st_mtime_ns, info.st_size) for path, info in records.items()}  # the cache's record
    assert advised == [os.POSIX_FADV_WILLNEED] * 3
    # The files read the same afterwards, and the odd ones still get their problems from the reader.
    assert load._read_bytes(tmp_path / "b.md", 1_000_000, "b.md") == b"x" * 10_000
    assert isinstance(load._read_bytes(tmp_path / "pipe.md", 1_000_000, "pipe.md"), Problem)


def test_prefetch_is_skipped_where_the_system_has_no_fadvise(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_bytes(b"x")
    monkeypatch.delattr(os, "posix_fadvise")
    load.prefetch([tmp_path / "a.md"])  # no error, nothing to do
    assert load._read_bytes(tmp_path / "a.md", 10, "a.md") == b"x"


def test_every_file_is_prefetched_before_it_is_parsed(tmp_path, monkeypatch):
    """The serial parse and each parallel chunk queue their files for reading before the first is read."""
    from site_gen import gather
    from site_gen.config import load_config

    content = tmp_path / "content"
    (content / "jobs").mkdir(parents=True)
    paths = []
    for i in range(3):
        path = content / "jobs" / f"job-{i}.md"
        path.write_text(f"---\ntitle: Job {i}\ncompany: Acme\ndate: 2025-01-0{i + 1}\n---\nText.\n")
        paths.append(path)
    config = load_config(content)
    events = []
    monkeypatch.setattr(load, "prefetch", lambda given: (events.append(("prefetch", [p.name for p in given])), {})[1])
    real_read = load.read_source
    monkeypatch.setattr(load, "read_source", lambda path, *a: (events.append(("read", path.name)), real_read(path, *a))[1])
    names = [p.name for p in paths]
    parsed = gather._parse_all(paths, config)
    assert [p.posting.title for p in parsed] == ["Job 0", "Job 1", "Job 2"]
    assert events == [("prefetch", names)] + [("read", n) for n in names]
    events.clear()
    gather._parse_many(paths[1:], config)
    assert events == [("prefetch", names[1:])] + [("read", n) for n in names[1:]]


@given(st.integers(0, 5000), st.integers(2, 8))
def test_parse_chunks_cover_every_file_once_in_order_and_end_small(count, workers):
    from site_gen.gather import _chunked

    chunks = _chunked(list(range(count)), workers)
    assert [n for chunk in chunks for n in chunk] == list(range(count))
    assert all(chunks)
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True)  # big ones first, smaller ones last
    if count >= 1000:
        assert max(sizes[-workers:]) <= max(1, sizes[0] // 4)
