"""The pipeline on every core gives exactly the bytes of a single-process build."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import ROOT
from site_gen import gather, pipeline
from site_gen.cache import BuildCache
from site_gen.config import load_config


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(tmp_path, name, parallel: bool, monkeypatch, cache=None):
    threshold = 0 if parallel else 10**9
    monkeypatch.setattr(gather, "PARALLEL_MIN", threshold)
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_MIN", threshold)
    config = load_config(ROOT / "content", out_dir=str(tmp_path / name), now=dt.date(2026, 11, 22),
                         project_dir=str(ROOT))
    result = pipeline.build(config, report=lambda line: None, cache=cache)
    return tmp_path / name, result


@pytest.mark.parametrize("cores", [2, 3])
def test_parallel_build_equals_serial_build(tmp_path, monkeypatch, cores):
    """Every page is made once whether the parent and one or two forked processes share the tasks."""
    serial, _ = build(tmp_path, "serial", False, monkeypatch)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: cores)
    parallel, result = build(tmp_path, "parallel", True, monkeypatch)
    assert tree(serial) == tree(parallel)
    assert result.rendered == len(result.outputs)


def test_parallel_cached_rebuild_reuses_everything(tmp_path, monkeypatch):
    out, _ = build(tmp_path, "public", True, monkeypatch, cache=BuildCache.open(tmp_path / "cache", tmp_path / "public"))
    before = tree(out)
    cache = BuildCache.open(tmp_path / "cache", tmp_path / "public")
    assert len(cache.postings) == 5  # written by a forked process while the build process planned the pages
    cache.site_key = ""  # force the page-by-page path instead of "nothing changed"
    _, result = build(tmp_path, "public", True, monkeypatch, cache=cache)
    assert tree(out) == before
    pages = [o for o in result.outputs if o.path.endswith(".html")]
    assert pages and result.rendered < len(result.outputs) - len(pages) + 1


def test_when_the_forked_cache_writer_fails_the_postings_are_saved_anyway_without_a_traceback(
        tmp_path, monkeypatch, capfd):
    parent = os.getpid()
    real_save = BuildCache.save_postings

    def save_postings(self, postings):
        if os.getpid() != parent:
            (tmp_path / "tried-aside").touch()
            raise OSError(28, "No space left on device")
        real_save(self, postings)

    monkeypatch.setattr(BuildCache, "save_postings", save_postings)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    build(tmp_path, "public", True, monkeypatch, cache=BuildCache.open(tmp_path / "cache", tmp_path / "public"))
    assert (tmp_path / "tried-aside").exists()  # a forked process tried first, while the pages were planned
    assert len(BuildCache.open(tmp_path / "cache", tmp_path / "public").postings) == 5
    assert "Traceback" not in capfd.readouterr().err


def test_start_up_leaves_the_render_stack_until_the_parse_has_begun():
    """Forked parse processes start before Jinja2, Babel, pycountry and the index builder are imported
    (the build process imports them meanwhile)."""
    import subprocess
    import sys

    later = ('jinja2', 'babel', 'pycountry', 'orjson', 'site_gen.render', 'site_gen.search_index', 'site_gen.geo',
             'site_gen.enrich')
    code = ("import sys, site_gen.cli, site_gen.pipeline, site_gen.gather; "
            f"print(sorted(m for m in {later!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_parallel_build_prepares_rendering_while_it_parses(tmp_path, monkeypatch):
    calls = []
    real = pipeline._prepare_render
    monkeypatch.setattr(pipeline, "_prepare_render", lambda: (calls.append(os.getpid()), real()))
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    build(tmp_path, "public", True, monkeypatch)
    assert calls == [os.getpid()]


def test_a_parallel_parse_reports_ignored_files_as_a_serial_one_does(tmp_path, monkeypatch):
    """Files in content/ that are not postings are looked for while forked processes parse: still reported, once."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "jobs" / "notes.txt").write_text("not a posting", encoding="utf-8")
    (content / "stray-posting.md").write_text("---\ntitle: Lost\n---\nBody", encoding="utf-8")
    monkeypatch.setattr(gather.os, "cpu_count", lambda: 2)
    walks = []
    real_find_ignored = gather.load.find_ignored
    monkeypatch.setattr(gather.load, "find_ignored", lambda folder: (walks.append(folder), real_find_ignored(folder))[1])
    seen = []
    for threshold in (10**9, 0):  # serial, then the build process and a forked one
        monkeypatch.setattr(gather, "PARALLEL_MIN", threshold)
        config = load_config(content, now=dt.date(2026, 11, 22), project_dir=str(ROOT))
        walks.clear()
        postings, problems, warnings, _ = gather.load_postings(config)
        assert len(postings) == 5 and not problems
        assert walks == [content]  # content/ is walked for them once, on either path
        seen.append(sorted((w.path, w.message) for w in warnings if w.message.startswith("ignored")))
    assert seen[0] == seen[1]
    assert [path for path, _ in seen[1]] == ["content/jobs/notes.txt", "content/stray-posting.md"]
