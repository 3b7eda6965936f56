"""Find posting files and split them into front matter and body (the only stage that reads content/)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from .errors import Problem
from .model import SourceFile

#: Front matter larger than this is refused: real postings need a few kilobytes.
MAX_FRONT_MATTER = 256_000
#: How many YAML nodes a front matter may expand to; alias bombs blow past it at once.
MAX_YAML_NODES = 50_000


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loader that keeps timestamps as text, so validate can report bad dates by field."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _count_nodes(data: Any, budget: int) -> bool:
    """Walk the loaded data as a consumer would, counting shared (aliased) nodes every time."""
    stack = [data]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > budget:
            return False
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


class GuardedYAMLHandler(YAMLHandler):
    """python-frontmatter handler with a size limit, an alias-bomb guard and text timestamps."""

    def load(self, fm: str, **kwargs: Any) -> Any:
        if len(fm) > MAX_FRONT_MATTER:
            raise ValueError(f"front matter is {len(fm):,} characters; the limit is {MAX_FRONT_MATTER:,}")
        data = yaml.load(fm, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        if not _count_nodes(data, MAX_YAML_NODES):
            raise ValueError("front matter expands to too many values (a YAML alias bomb?); refused")
        return data


_HANDLER = GuardedYAMLHandler()


def find_postings(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """List ``content/jobs/**/*.md`` in a stable order, refusing symlinks that leave content/."""
    jobs = content_dir / "jobs"
    if not jobs.is_dir():
        return [], []
    root = content_dir.resolve()
    found, problems = [], []
    for dirpath, dirnames, filenames in os.walk(jobs, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(Problem(display_path(path, content_dir.parent), "", "symlink points outside the content folder; not followed"))
                continue
            found.append(path)
    return found, problems


def display_path(path: Path, base: Path | None = None) -> str:
    """Show a path as ``content/jobs/x.md``: relative to the content folder's parent, never a machine path."""
    if base is not None:
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
    """Decode a posting's bytes as UTF-8 (BOM allowed), or explain why not."""
    if not raw.strip():
        return None, Problem(shown, "", "file is empty", "write a posting with front matter, or delete the file")
    if b"\x00" in raw[:8192]:
        return None, Problem(shown, "", "looks like a binary file, not a text posting")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Problem(shown, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                             "re-save the file as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def read_source(path: Path, max_bytes: int, base: Path | None = None) -> SourceFile | Problem:
    """Read one posting file into a SourceFile, or return the problem that stops it."""
    shown = display_path(path, base)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Problem(shown, "", f"file is {size:,} bytes; the limit is {max_bytes:,}",
                           "shorten it or raise max_file_bytes in site.yaml")
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(shown, "", f"cannot read file: {exc.strerror or exc}")
    text, problem = decode(raw, shown)
    if problem:
        return problem
    assert text is not None
    if not text.lstrip().startswith("---"):
        return Problem(shown, "", "no front matter found",
                       "start the file with a `---` line, the YAML fields, then another `---` line")
    try:
        meta, body = frontmatter.parse(text, handler=_HANDLER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Problem(shown, "front matter", f"invalid YAML{where}: {reason}")
    except (ValueError, RecursionError) as exc:
        return Problem(shown, "front matter", str(exc) or "could not be read")
    if not meta and body == text:
        return Problem(shown, "front matter", "is not closed", "end the YAML fields with a `---` line")
    if not isinstance(meta, dict):
        return Problem(shown, "front matter", "must be a mapping of `field: value` lines")
    return SourceFile(path=shown, stem=path.stem, meta=dict(meta), body=body, digest=hash_bytes(raw))
