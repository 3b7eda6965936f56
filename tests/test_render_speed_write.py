"""The output writer's fast paths: the same files and the same refusals as the plain code."""

from __future__ import annotations

import os
import posixpath
import string

import pytest
from hypothesis import given, settings, strategies as st

from site_gen.errors import SiteGenError
from site_gen.model import Output
from site_gen.write import Staging, safe_join


def reference_join(root: str, relative: str) -> str:
    """``safe_join`` as it was before its fast path: normpath every time."""
    norm = posixpath.normpath(relative)
    if (not relative or norm in (".", "..") or norm.startswith("../") or posixpath.isabs(norm)
            or "\\" in relative or "\0" in relative):
        raise SiteGenError(f"refusing to write outside the output folder: {relative!r}")
    return os.path.join(root, norm)


TRICKY = ["index.html", "jobs/x/index.html", "a/./b.html", "a//b.html", "./a.html", ".well-known/x.txt", "a/.b/c",
          "a/../b.html", "a/b/../../c.html", "a/b/", "a/", "/a.html", "//a.html", "..", ".", "../a", "a/..",
          "a\\b", "a\x00b", "", "...", "a/...", "..a/b", "a..b/c", "a/b/.", "feed.xml", "tags/c%2B%2B/index.html"]


def outcome(join, relative: str) -> str:
    try:
        return join("/out", relative)
    except SiteGenError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("relative", TRICKY)
def test_safe_join_keeps_every_path_and_refusal_of_the_plain_check(relative):
    assert outcome(safe_join, relative) == outcome(reference_join, relative)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=string.ascii_letters[:3] + "./\\\x00é", max_size=14))
def test_safe_join_agrees_with_the_plain_check_on_any_path(relative):
    assert outcome(safe_join, relative) == outcome(reference_join, relative)


def test_staging_writes_exact_bytes_and_refuses_escapes(tmp_path):
    out = tmp_path / "public"
    text = "<p>Zürich – ünïcode · ©</p>\n" * 500
    with Staging(out) as stage:
        stage.add(Output("jobs/x/index.html", text))
        stage.add(Output("data/blob.bin", bytes(range(256)) * 40))
        stage.add(Output("404.html", ""))
        with pytest.raises(SiteGenError, match="refusing to write outside the output folder"):
            stage.add(Output("a/../../evil.html", "x"))
        with pytest.raises(SiteGenError, match="two pages of the site claim the same file 'jobs/./x/index.html'"):
            stage.add(Output("jobs/./x/index.html", "again"))
        stage.commit()
    assert (out / "jobs/x/index.html").read_bytes() == text.encode("utf-8")
    assert (out / "data/blob.bin").read_bytes() == bytes(range(256)) * 40
    assert (out / "404.html").read_bytes() == b""
    assert not (tmp_path / "evil.html").exists()


def test_staging_finishes_a_file_the_system_writes_in_pieces(tmp_path, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))  # at most 7 bytes a call
    text = "short writes must not truncate a page – ever\n" * 50
    with Staging(tmp_path / "public") as stage:
        stage.add(Output("index.html", text))
        stage.commit()
    assert (tmp_path / "public/index.html").read_text("utf-8") == text


def test_staging_files_get_the_usual_permissions(tmp_path):
    with Staging(tmp_path / "public") as stage:
        stage.add(Output("index.html", "x"))
        stage.commit()
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "public/index.html").stat().st_mode & 0o777 == 0o666 & ~umask
