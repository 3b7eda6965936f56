"""The progress bar of long builds, and render processes that fail."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest

from conftest import ROOT, run_build
from site_gen import gather, pipeline, render_pool
from site_gen.config import load_config
from site_gen.errors import SiteGenError
from site_gen.progress import Progress


def config_for(out):
    return load_config(ROOT / "content", out_dir=str(out), now=dt.date(2026, 11, 22), project_dir=str(ROOT))


@pytest.mark.parametrize("parallel", [False, True])
def test_bar_counts_every_posting_and_page_then_is_erased(tmp_path, monkeypatch, parallel):
    threshold = 0 if parallel else 10**9
    monkeypatch.setattr(gather, "PARALLEL_MIN", threshold)
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_MIN", threshold)
    stream = io.StringIO()
    result = pipeline.build(config_for(tmp_path / "public"), report=lambda line: None,
                            progress=Progress(stream, enabled=True, delay=0))
    text = stream.getvalue()
    frames = [f for f in text.split("\r\x1b[K") if f]
    postings = len(result.site.pages)
    pages = sum(1 for o in result.outputs if o.path.endswith(".html"))
    assert any(f.startswith("Reading postings") and f"{postings}/{postings}" in f for f in frames)
    written = [int(m.group(1).replace(",", "")) for f in frames if (m := re.search(r"Writing pages .*\] ([\d,]+)/", f))]
    assert written and written == sorted(written)  # it only moves forward
    assert any(f"/{pages:,}" in f or f"/{pages}" in f for f in frames if f.startswith("Writing pages"))
    assert text.endswith("\r\x1b[K")  # erased before the summary line


def test_no_bar_for_a_short_build_or_a_pipe(tmp_path):
    stream = io.StringIO()
    pipeline.build(config_for(tmp_path / "public"), report=lambda line: None, progress=Progress(stream, delay=60))
    assert stream.getvalue() == ""  # not a terminal, and the build is short
    done = run_build("--content", str(ROOT / "content"), "--out", str(tmp_path / "cli"), "--now", "2026-11-22",
                     "--cache-dir", str(tmp_path / "cache"))
    assert done.returncode == 0
    assert "\x1b[K" not in done.stderr and "Reading postings" not in done.stderr
    assert done.stdout.startswith("Built ")  # the summary line


def test_a_failing_render_process_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_MIN", 0)
    out = tmp_path / "public"
    pipeline.build(config_for(out), report=lambda line: None)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    real = pipeline.resolve

    def broken(pending, cache):
        if pending.path.startswith("tags/"):
            raise OSError(28, "No space left on device (simulated)")
        return real(pending, cache)

    monkeypatch.setattr(pipeline, "resolve", broken)
    with pytest.raises(SiteGenError, match="cannot write the output folder: No space left"):
        pipeline.build(config_for(out), report=lambda line: None)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no staging folder left behind


def forked_only(monkeypatch, fail):
    """Make every forked render process run ``fail`` as soon as it starts; the build process works normally."""
    real, parent = render_pool._take_tasks, os.getpid()

    def take(*args, **kwargs):
        if os.getpid() != parent:
            fail()
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_MIN", 0)
    monkeypatch.setattr(render_pool, "_take_tasks", take)


def test_an_error_in_a_forked_render_process_reaches_the_build(tmp_path, monkeypatch):
    def fail():
        raise OSError(28, "No space left on device (simulated)")

    forked_only(monkeypatch, fail)
    with pytest.raises(SiteGenError, match="cannot write the output folder: No space left"):
        pipeline.build(config_for(tmp_path / "public"), report=lambda line: None)
    assert list(tmp_path.iterdir()) == []


def test_a_render_process_that_dies_fails_the_build_clearly(tmp_path, monkeypatch):
    forked_only(monkeypatch, lambda: os._exit(137))  # as the kernel's out-of-memory killer would end it
    with pytest.raises(SiteGenError, match="render process stopped unexpectedly"):
        pipeline.build(config_for(tmp_path / "public"), report=lambda line: None)
    assert list(tmp_path.iterdir()) == []


def test_bar_fits_narrow_terminals():
    """A line wider than the terminal wraps, and \\r can no longer redraw it in place."""
    bar = Progress(io.StringIO(), enabled=False)
    bar.stage("Writing pages", 22558)
    bar.update(11000)
    assert "11,000/22,558" in bar.line(120) and "[" in bar.line(120)
    for columns in (200, 80, 60, 45, 30, 12):
        assert len(bar.line(columns)) < columns
    assert "11,000/22,558" in bar.line(45)  # the bar gives way before the counts do



def test_render_processes_meet_among_posting_pages(tmp_path, monkeypatch):
    """The forked process takes runs from the front, the build process from the back after FINISH:
    listing pages come first so that they meet among posting pages, and no job card is rendered twice."""
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_MIN", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    seen = {}
    real = render_pool.run

    def spy(workers, pages, work, progress):
        seen["order"] = [p.path for p in pipeline._WORK[0]]
        return real(workers, pages, work, progress)

    monkeypatch.setattr(render_pool, "run", spy)
    result = pipeline.build(config_for(tmp_path / "public"), report=lambda line: None)
    order = seen["order"]
    postings = {p.url.strip("/") + "/index.html" for p in result.site.pages}
    pages = {o.path for o in result.outputs if o.path.endswith(".html") and not o.path.startswith("static/")}
    assert len(order) == len(set(order)) and set(order) <= pages and postings < set(order)
    assert set(order[-len(postings):]) == postings  # posting pages last
    assert (tmp_path / "public" / order[0]).is_file()
