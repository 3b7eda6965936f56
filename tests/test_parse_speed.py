"""The parse stage's shortcuts (os-level reads, string paths) answer exactly what the general code answers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from site_gen import load
from site_gen.errors import Problem


def pathlib_read_bytes(path: Path, max_bytes: int, shown: str) -> bytes | Problem:
    """The reader before it used os calls: pathlib stat, then a buffered read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Problem(shown, "", "is not a regular file; not read")
        if info.st_size > max_bytes:
            return Problem(shown, "", f"file is {info.st_size:,} bytes; the limit is {max_bytes:,}",
                           "shorten it or raise max_file_bytes in site.yaml")
        with open(path, "rb") as fh:
            raw = fh.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += fh.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        return Problem(shown, "", f"cannot read file: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return Problem(shown, "", f"file is over the limit of {max_bytes:,} bytes",
                       "shorten it or raise max_file_bytes in site.yaml")
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
