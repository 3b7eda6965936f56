"""Find posting files and split them into front matter and body (the only stage that reads content/).

Everything here treats the files as hostile: safe YAML only, size, node and depth limits,
strict UTF-8, no symlinks out of content/, and every refused or ignored file is reported.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from . import fastyaml
from .errors import Problem
from .model import SourceFile

#: Front matter larger than this is refused: real postings need a few kilobytes.
MAX_FRONT_MATTER = 256_000
#: How many YAML values a front matter may expand to; alias bombs blow past it at once.
MAX_YAML_NODES = 50_000
#: How deeply front-matter lists and mappings may nest; real postings need two levels.
MAX_YAML_DEPTH = 32
#: File endings people give Markdown files that are not postings here (they get a warning).
_MARKDOWN_LIKE = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt")
_FENCE = re.compile(r"^---[ \t]*$", re.M)
#: Control characters that are never content (tab and newlines stay); removed from the text.
_HUGE_NUMBER = "has a number with more than 38 digits; refused"
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_UTF16_32_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                  (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loader that keeps timestamps as text, so validate can report bad dates by field."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _shape_problem(data: Any, budget: int = MAX_YAML_NODES, max_depth: int = MAX_YAML_DEPTH) -> str | None:
    """Walk the loaded data as a consumer would (aliases counted every time); say what is too big."""
    stack = [(data, 0)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > budget:
            return f"expands to more than {budget:,} values (a YAML alias bomb?); refused"
        if depth > max_depth:
            return f"nests lists or mappings more than {max_depth} levels deep; refused"
        if isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item.keys())
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, int) and item.bit_length() > 128:
            return _HUGE_NUMBER
    return None


def parse_yaml(fm: str) -> Any:
    """Load front-matter YAML safely, refusing huge, bomb-shaped or too deeply nested documents."""
    if len(fm) > MAX_FRONT_MATTER:
        raise ValueError(f"is {len(fm):,} characters; the limit is {MAX_FRONT_MATTER:,}")
    data = fastyaml.load(fm)  # the common shape, read without PyYAML's Python constructors
    if data is not None:
        return data  # small, two levels deep, no huge numbers: nothing for _shape_problem to find
    data = yaml.load(fm, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    problem = _shape_problem(data)
    if problem:
        raise ValueError(problem)
    return data


def find_postings(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """List ``content/jobs/**/*.md`` in a stable order; report symlinks that leave content/ or are folders.

    A missing content folder is an error, not an empty board: a mistyped ``--content``
    must not deploy a site without postings.
    """
    content_dir = Path(content_dir)
    base = content_dir.parent
    if not content_dir.is_dir():
        return [], [Problem(display_path(content_dir, base), "", "content folder not found",
                            "pass the folder that holds jobs/ with --content")]
    jobs = content_dir / "jobs"
    if not jobs.is_dir():
        return [], []
    root = content_dir.resolve()
    found: list[Path] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(display_path(Path(exc.filename or jobs), base), "",
                                f"cannot read folder: {exc.strerror or exc}"))

    def walk(folder: str) -> None:
        # os.scandir, not os.walk and pathlib: its entries know their type from the directory listing,
        # so a plain posting file costs no stat call (~0.07 s less serial work at 10,000 postings).
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            unreadable(exc)
            return
        folders, files = [], []
        for entry in entries:
            try:
                is_folder = entry.is_dir()  # follows a symlink, as os.walk does
            except OSError:
                is_folder = False
            if not is_folder:
                files.append(entry)
            elif entry.name.startswith("."):
                continue
            elif entry.is_symlink():
                problems.append(Problem(display_path(Path(entry.path), base), "",
                                        "is a symbolic link to a folder; not followed",
                                        "move the postings into content/jobs/ instead of linking them"))
            else:
                folders.append(entry.path)
        parent = Path(folder)
        for entry in files:
            name = entry.name
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = parent / name  # a name is one segment: ~1 us less than parsing the whole path
            problem = _symlink_problem(path, root, display_path(path, base)) if entry.is_symlink() else None
            if problem is None and not entry.is_file():  # a FIFO or device would hang or flood the build
                problem = Problem(display_path(path, base), "", "is not a regular file; not read")
            if problem:
                problems.append(problem)
            else:
                found.append(path)
        for sub in folders:
            walk(sub)

    walk(os.fspath(jobs))
    return found, problems


def _symlink_problem(path: Path, root: Path, shown: str) -> Problem | None:
    """Refuse a symlink that loops or points outside the content folder; None for anything else."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return Problem(shown, "", "is a broken or looping symbolic link", "replace it with the posting file")
    if not target.is_relative_to(root):
        return Problem(shown, "", "is a symbolic link to a file outside the content folder; not followed",
                       "copy the file into content/jobs/ instead of linking it")
    return None


def find_ignored(content_dir: Path) -> list[Problem]:
    """Warn about files that look like postings but will not be built, so none vanishes silently."""
    content_dir = Path(content_dir)
    jobs = content_dir / "jobs"
    base = content_dir.parent
    warnings = []
    if not content_dir.is_dir():
        return warnings
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if Path(dirpath) == content_dir:  # content/companies/ holds company profiles (companies.py, issue 9)
            dirnames[:] = [d for d in dirnames if d != "companies"]
        here = Path(dirpath)
        in_jobs = here == jobs or jobs in here.parents
        for name in sorted(filenames):
            message = _ignored_reason(name, in_jobs)
            if message:
                path = here / name
                stem = name.lstrip(".").rsplit(".", 1)[0] if "." in name.lstrip(".") else name.lstrip(".")
                warnings.append(Problem(display_path(path, base), "", message,
                                        f"rename or move it to content/jobs/{stem}.md to publish it"))
    return sorted(warnings, key=lambda p: p.path)


def _ignored_reason(name: str, in_jobs: bool) -> str | None:
    """Why a file in content/ is not built, or None when it is a posting or plainly not one."""
    lower = name.lower()
    if in_jobs and name.endswith(".md"):
        return "ignored: hidden files (starting with a dot) are not postings" if name.startswith(".") else None
    if name.startswith(".") or name.endswith("~"):
        return None
    if in_jobs:
        if lower.endswith(_MARKDOWN_LIKE):
            return "ignored: only files ending in .md (lower case) are postings"
        return "ignored: not a posting (postings are .md files)"
    if lower.endswith(_MARKDOWN_LIKE):
        return "ignored: postings must be inside content/jobs/"
    return None


def display_path(path: Path, base: Path | None = None) -> str:
    """Show a path as ``content/jobs/x.md``: relative to the content folder's parent, never a machine path."""
    if base is not None:
        if isinstance(path, PurePosixPath) and isinstance(base, PurePosixPath):
            # The usual case without pathlib's relative_to (~15 us a file): a path string that starts
            # with the base's string and a slash. Both are normalised, so the parts line up.
            text, prefix = str(path), str(base)
            if text.startswith(prefix) and text[len(prefix):len(prefix) + 1] == "/" and len(text) > len(prefix) + 1:
                return text[len(prefix) + 1:]
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.name


def hash_bytes(raw: bytes) -> str:
    """Content hash of a posting file: the cache key of everything derived from it."""
    return hashlib.sha256(raw).hexdigest()


def decode(raw: bytes, shown: str) -> tuple[str | None, Problem | None]:
    """Decode a posting's bytes as UTF-8 (BOM allowed, any line endings), or explain why not."""
    for bom, name in _UTF16_32_BOMS:
        if raw.startswith(bom):
            return None, Problem(shown, "", f"is {name} text, not UTF-8", "re-save the file as UTF-8")
    if not raw or raw.isspace():  # what `not raw.strip()` says, without copying the file
        return None, Problem(shown, "", "file is empty", "write a posting with front matter, or delete the file")
    if b"\x00" in raw:
        return None, Problem(shown, "", "contains NUL bytes: a binary file (or UTF-16 text), not a UTF-8 posting",
                             "postings are UTF-8 text files")
    try:
        text = raw[3:].decode("utf-8") if raw.startswith(codecs.BOM_UTF8) else raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, _undecodable(raw, shown)
    # Each pass below is skipped when its characters are absent: a byte test is ~20x cheaper than the
    # pass, and in UTF-8 the bytes \r and \x01-\x1f, \x7f only ever stand for those characters.
    if b"\r" in raw:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw):
        text = _CONTROL.sub("", text)
    return text, None


def _undecodable(raw: bytes, shown: str) -> Problem:
    """Say where a file stops being UTF-8 (and whether it looks like Windows-1252)."""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # exc.start counts from after the BOM, as it always has
        line = raw[: exc.start].count(b"\n") + 1
        hint = "re-save the file as UTF-8"
        try:
            raw.decode("cp1252")
            hint += " (it looks like Windows-1252 or Latin-1)"
        except UnicodeDecodeError:
            pass
        return Problem(shown, "", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} on line {line})", hint)
    raise AssertionError("decoded as UTF-8 with a BOM but not without it")


def prefetch(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    """Ask the kernel to start reading ``paths`` now, all at once; return each regular file's (mtime_ns, size).

    A board's files are often not in memory when it builds (a fresh checkout, a machine that
    reclaims idle page cache): read one by one, each waits for the disk in turn (~1 s for 10,000
    postings here, against 0.1 s once cached). ``posix_fadvise(WILLNEED)`` queues them all; the
    reads that follow find them in memory. Only regular files are opened (a FIFO or a device
    could block or act on open); anything odd is left for ``read_source`` to report. The stat it
    takes first, before any read, is what the build cache records for the file.
    """
    advise = getattr(os, "posix_fadvise", None)
    seen: dict[Path, tuple[int, int]] = {}
    for path in paths:
        try:
            name = os.fspath(path)
            info = os.stat(name)
            if not stat.S_ISREG(info.st_mode):
                continue
            seen[path] = (info.st_mtime_ns, info.st_size)
            if advise is None:
                continue
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
            try:
                advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            finally:
                os.close(fd)
        except OSError:
            continue
    return seen


def _read_bytes(path: Path, max_bytes: int, shown: str) -> bytes | Problem:
    """Read a regular file of at most ``max_bytes`` bytes (never a FIFO or device)."""
    name = os.fspath(path)  # os calls on the str: pathlib's stat and open cost ~3x as much per file
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return Problem(shown, "", "is not a regular file; not read")
        if info.st_size > max_bytes:
            return too_big(shown, max_bytes, info.st_size)
        fd = os.open(name, os.O_RDONLY)
        try:
            # Ask for the size stat gave (plus one byte, to see growth): asking for max_bytes + 1
            # would allocate a 10 MB buffer for every posting (~0.2 ms each).
            raw = _read_up_to(fd, info.st_size + 1)
            if len(raw) > info.st_size:  # the file grew since stat: read on, up to the limit
                raw += _read_up_to(fd, max_bytes + 1 - len(raw))
        finally:
            os.close(fd)
    except OSError as exc:
        return Problem(shown, "", f"cannot read file: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return too_big(shown, max_bytes)  # it grew past the limit after stat
    return raw


def too_big(shown: str, max_bytes: int, size: int | None = None) -> Problem:
    """The problem of a posting file over ``max_file_bytes`` (``size`` when stat gave it)."""
    said = f"file is {size:,} bytes; the limit is {max_bytes:,}" if size is not None else \
        f"file is over the limit of {max_bytes:,} bytes"
    return Problem(shown, "", said, "shorten it or raise max_file_bytes in site.yaml")


def _read_up_to(fd: int, size: int) -> bytes:
    """Read ``size`` bytes, or fewer at the end of the file (os.read may return less than asked)."""
    parts = []
    got = 0
    while got < size:
        chunk = os.read(fd, size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def split_front_matter(text: str, shown: str) -> tuple[str, str, int] | Problem:
    """Split ``---`` fenced YAML from the body; return (yaml, body, line of the first YAML line)."""
    stripped = text.lstrip("\n")
    newline = stripped.find("\n")
    rest = len(stripped) if newline < 0 else newline + 1  # where the line after the opening fence starts
    if not _FENCE.fullmatch(stripped, 0, rest - 1 if newline >= 0 else rest):
        return Problem(shown, "", "no front matter found",
                       "start the file with a `---` line, the YAML fields, then another `---` line")
    end = _FENCE.search(stripped, rest)  # offsets into the text, not slices of it: a posting is copied once
    if end is None:
        return Problem(shown, "front matter", "is not closed", "end the YAML fields with a `---` line")
    first_line = len(text) - len(stripped)  # blank lines skipped before the opening fence
    start, stop = end.end(), len(stripped)
    while start < stop and stripped[start] == "\n":
        start += 1
    while stop > start and stripped[stop - 1].isspace():
        stop -= 1
    return stripped[rest: end.start()], stripped[start:stop], first_line + 2


def read_source(path: Path, max_bytes: int, base: Path | None = None) -> SourceFile | Problem:
    """Read one posting file into a SourceFile, or return the problem that stops it."""
    shown = display_path(path, base)
    raw = _read_bytes(path, max_bytes, shown)
    if isinstance(raw, Problem):
        return raw
    text, problem = decode(raw, shown)
    if problem:
        return problem
    assert text is not None
    parts = split_front_matter(text, shown)
    if isinstance(parts, Problem):
        return parts
    fm, body, first_line = parts
    try:
        meta = parse_yaml(fm)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + first_line})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Problem(shown, "front matter", f"invalid YAML{where}: {reason}")
    except (ValueError, RecursionError, OverflowError) as exc:
        message = _HUGE_NUMBER if "integer string conversion" in str(exc) else str(exc)  # Python's 4,300-digit cap
        return Problem(shown, "front matter", message or "could not be read")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return Problem(shown, "front matter", f"must be a mapping of `field: value` lines, not {_kind(meta)}")
    bad_keys = [k for k in meta if not isinstance(k, str)]
    if bad_keys:
        return Problem(shown, "front matter", f"field name {bad_keys[0]!r} is not text",
                       "field names are words such as title; put unusual ones in quotes")
    return SourceFile(path=shown, stem=path.stem, meta=dict(meta), body=body, digest=hash_bytes(raw))


def _kind(value: Any) -> str:
    return {list: "a list", str: "a single text value"}.get(type(value), f"a {type(value).__name__}")
