"""The build cache: a cached rebuild gives exactly the bytes of a cold build."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, posting, run_build


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(content, out, *extra):
    result = run_build("--content", str(content), "--out", str(out), "--now", "2025-03-15", *extra)
    assert result.returncode == 0, result.stderr
    return result


def test_cached_rebuild_equals_cold_build(tmp_path):
    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    cache = tmp_path / "cache"
    out = tmp_path / "public"
    build(content, out, "--cache-dir", str(cache))
    assert "Nothing changed" in build(content, out, "--cache-dir", str(cache)).stdout

    # Edit one posting (title and tags), add one, change a setting: each time compare with a cold build.
    job = content / "jobs" / "go-berlin.md"
    job.write_text(job.read_text().replace("title: Go Engineer", "title: Senior Go Engineer").replace(
        "[golang, PYTHON]", "[golang, Rust]"))
    (content / "jobs" / "new-one.md").write_text(posting("Brand New Role", date="2025-03-14", tags=["Rust"]))
    rebuilt = build(content, out, "--cache-dir", str(cache))
    assert "reused from the cache" in rebuilt.stdout
    cold = tmp_path / "cold"
    build(content, cold, "--no-cache")
    assert tree(out) == tree(cold)
    assert b"Senior Go Engineer" in (out / "jobs" / "go-berlin" / "index.html").read_bytes()

    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("title: Fixture Jobs", "title: Renamed Board"))
    build(content, out, "--cache-dir", str(cache))
    cold2 = tmp_path / "cold2"
    build(content, cold2, "--no-cache")
    assert tree(out) == tree(cold2)
    assert b"Renamed Board" in (out / "jobs" / "elixir-dev" / "index.html").read_bytes()


def test_template_change_invalidates_pages(tmp_path):
    project = tmp_path / "site"
    shutil.copytree(FIXTURES / "site" / "content", project / "content")
    (project / "templates").mkdir()
    cache = tmp_path / "cache"
    out = project / "public"
    build(project / "content", out, "--cache-dir", str(cache))
    (project / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost?</h1>{% endblock %}')
    result = run_build("--content", "content", "--out", "public", "--now", "2025-03-15", "--cache-dir", str(cache),
                       cwd=project)
    assert result.returncode == 0, result.stderr
    assert b"Lost?" in (out / "404.html").read_bytes()


def test_one_edit_rerenders_only_the_pages_that_show_it(tmp_path):
    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    cache, out = tmp_path / "cache", tmp_path / "public"
    build(content, out, "--cache-dir", str(cache))
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    job = content / "jobs" / "intern.md"  # Data Intern: tags Python and SQL, not Elixir
    job.write_text(job.read_text().replace("Learn data with us.", "Learn data and statistics with us."))
    build(content, out, "--cache-dir", str(cache))
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    rewritten = {path for path in after if after[path] != inodes.get(path)}
    assert "jobs/intern/index.html" in rewritten
    # Pages that do not show the edited posting are the very same files (hard-linked, not rendered).
    for untouched in ("jobs/elixir-dev/index.html", "tags/elixir/index.html", "companies/acme/index.html"):
        assert untouched not in rewritten, untouched


def test_same_size_edit_is_seen_by_the_stat_cache(tmp_path):
    import os

    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    job = content / "jobs" / "elixir-dev.md"
    old = job.stat().st_mtime_ns - 10_000_000_000
    os.utime(job, ns=(old, old))  # an old file: its hash is recorded by modification time and size
    cache, out = tmp_path / "cache", tmp_path / "public"
    build(content, out, "--cache-dir", str(cache))
    assert "Nothing changed" in build(content, out, "--cache-dir", str(cache)).stdout
    job.write_text(job.read_text().replace("Elixir Developer", "Elixir Developpr"))  # same size, new mtime
    build(content, out, "--cache-dir", str(cache))
    assert b"Elixir Developpr" in (out / "jobs" / "elixir-dev" / "index.html").read_bytes()


class _Trap:
    """Unpickling this creates a file: proof that a pickle was loaded."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def test_a_cache_pickle_not_signed_by_this_user_is_never_loaded(tmp_path):
    import pickle

    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    cache, out, cold = tmp_path / "cache", tmp_path / "public", tmp_path / "cold"
    build(content, out, "--cache-dir", str(cache))
    stored = cache / "postings.pickle"
    signed = stored.read_bytes()
    assert len(signed) > 100
    job = content / "jobs" / "go-berlin.md"
    marker = tmp_path / "pwned"
    for n, blob in enumerate([
        signed[:60] + bytes([signed[60] ^ 1]) + signed[61:],  # one bit flipped
        signed[:-1] + bytes([signed[-1] ^ 1]),
        signed[:signed.index(b"\n") + 1] + bytes(32) + pickle.dumps({"x": _Trap(marker)}),  # unsigned trap
        signed[:signed.index(b"\n") + 1] + signed[signed.index(b"\n") + 1:][:32] + pickle.dumps({"x": _Trap(marker)}),
    ]):
        stored.write_bytes(blob)
        job.write_text(job.read_text().replace("title: ", f"title: Edit {n} ", 1))  # the build must look into the cache
        build(content, out, "--cache-dir", str(cache))
        build(content, cold, "--no-cache")
        assert not marker.exists()
        assert tree(out) == tree(cold)
    rewritten = stored.read_bytes()  # the build wrote a fresh, signed cache over the bad one
    assert rewritten.startswith(signed[:signed.index(b"\n") + 1]) and b"pwned" not in rewritten
    build(content, out, "--cache-dir", str(cache))
    assert not marker.exists()


def test_a_posting_cached_while_closed_is_searchable_when_an_earlier_date_opens_it(tmp_path):
    """Closed postings skip their search words when parsed; a cached one gets them when it is open again."""
    import json

    from search_helpers import lookup, summaries

    def index(out):
        return {p.relative_to(out).as_posix(): json.loads(p.read_text()) for p in (out / "search").rglob("*.json")}

    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    job = content / "jobs" / "elixir-dev.md"
    job.write_text(job.read_text() + "\nYou will maintain our zyxwordian pipelines.\n")
    cache = tmp_path / "cache"
    build(content, tmp_path / "late", "--cache-dir", str(cache), "--now", "2025-07-15")  # valid_through passed
    assert lookup(index(tmp_path / "late"), "zyxwordian") == [[], [], []]
    build(content, tmp_path / "early", "--cache-dir", str(cache), "--now", "2025-03-15")
    build(content, tmp_path / "cold", "--no-cache", "--now", "2025-03-15")
    files = index(tmp_path / "early")
    ids = [i for group in lookup(files, "zyxwordian") for i in group]
    assert [summaries(files)[i]["t"] for i in ids] == ["Elixir Developer"]
    assert tree(tmp_path / "early") == tree(tmp_path / "cold")


def test_a_posting_cached_while_open_is_closed_when_a_later_date_passes_its_deadline(tmp_path):
    """Parsing marks a posting closed as of that build's date; a cached copy is settled again for another date."""
    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    cache = tmp_path / "cache"
    build(content, tmp_path / "early", "--cache-dir", str(cache), "--now", "2025-03-15")
    page = "jobs/elixir-dev/index.html"
    assert "This position is closed" not in (tmp_path / "early" / page).read_text()
    build(content, tmp_path / "late", "--cache-dir", str(cache), "--now", "2025-07-15")  # valid_through passed
    build(content, tmp_path / "cold", "--no-cache", "--now", "2025-07-15")
    assert "This position is closed" in (tmp_path / "late" / page).read_text()
    assert tree(tmp_path / "late") == tree(tmp_path / "cold")


def test_a_first_build_records_each_files_stats_as_it_parses_it(tmp_path):
    """With an empty cache folder nothing is stat-ed before parsing; files.json still gets every settled file."""
    import hashlib
    import json
    import os

    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    jobs = sorted((content / "jobs").glob("*.md"))
    for job in jobs[1:]:
        old = job.stat().st_mtime_ns - 10_000_000_000
        os.utime(job, ns=(old, old))  # settled files
    os.utime(jobs[0])  # modified just now
    cache, out = tmp_path / "cache", tmp_path / "public"
    build(content, out, "--cache-dir", str(cache))
    recorded = json.loads((cache / "files.json").read_text())
    expected = {}
    for job in jobs[1:]:
        info = job.stat()
        expected[str(job)] = [info.st_mtime_ns, info.st_size, hashlib.sha256(job.read_bytes()).hexdigest()]
    assert recorded == expected
    assert str(jobs[0]) not in recorded  # modified within the racy window: hashed again next time
    assert "Nothing changed" in build(content, out, "--cache-dir", str(cache)).stdout


def test_a_file_name_that_is_not_utf8_is_kept_in_the_cache_and_the_next_build_changes_nothing(tmp_path):
    """Such a name reaches Python with a lone surrogate; the cache's JSON writes it escaped, not a traceback."""
    import os

    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    odd = os.path.join(os.fsencode(content / "jobs"), b"caf\xe9.md")
    with open(odd, "wb") as fh:
        fh.write(posting("Cafe Role", date="2025-03-10", tags=["Go"]).encode())
    for path in (content / "jobs").iterdir():
        os.utime(path, ns=(path.stat().st_mtime_ns - 10_000_000_000,) * 2)  # settled: recorded in files.json
    cache, out = tmp_path / "cache", tmp_path / "public"
    build(content, out, "--cache-dir", str(cache))
    assert "caf\\udce9.md" in (cache / "files.json").read_text(encoding="utf-8")
    assert "Nothing changed" in build(content, out, "--cache-dir", str(cache)).stdout
