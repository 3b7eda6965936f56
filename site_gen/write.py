"""Write Outputs into a fresh folder and swap it in only when everything succeeded."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import SiteGenError
from .model import Output
from .urls import normal_path

#: Replaced output trees with more files than this are deleted in the background.
BACKGROUND_DELETE = 2000


def safe_join(root: Path | str, relative: str) -> str:
    """Join an output path to the root, refusing anything that would land outside it.

    The check is lexical (no filesystem calls): the staging folder is new and ours, so it
    holds no symlinks, and this runs once per output file.
    """
    return os.path.join(root, _checked(relative))


def _checked(relative: str) -> str:
    """Return ``relative`` normalised, or refuse it when it would leave the output folder."""
    try:
        return normal_path(relative)
    except ValueError:
        raise SiteGenError(f"refusing to write outside the output folder: {relative!r}") from None


def check_out_dir(out_dir: Path, protect: Iterable[Path] = ()) -> None:
    """Refuse an output folder whose replacement would delete sources: it is swapped out on every build.

    ``--out .`` or ``--out content`` would otherwise throw the project or the postings away.
    The output folder may not be or contain the current folder, the home folder or any
    ``protect`` folder, nor sit inside a ``protect`` folder.
    """
    target = Path(out_dir).resolve()
    shown = Path(out_dir).as_posix()
    if target.exists() and not target.is_dir():
        raise SiteGenError(f"the output folder {shown!r} is a file, not a folder")
    named = [(Path.cwd(), "the current folder"), (Path.home(), "your home folder")]
    named += [(Path(p), repr(Path(p).as_posix())) for p in protect]
    for path, label in named:
        kept = path.resolve()
        inside = any(kept == Path(p).resolve() for p in protect) and kept in target.parents
        if target == kept or target in kept.parents or inside:
            raise SiteGenError(f"refusing to use {shown!r} as the output folder: it is replaced on every build, "
                               f"and it {'is inside' if inside else 'is or contains'} {label}; choose a separate folder "
                               "such as public")


def _make_folder(path: str) -> None:
    """``os.makedirs(path, exist_ok=True)`` in one system call when the parent exists (nearly always:
    every page is a folder of its own under an earlier one)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


class Staging:
    """A fresh folder beside ``out_dir`` that outputs are written into, then swapped in by ``commit``.

    Use it as a context manager: leaving it without ``commit`` (an error anywhere) deletes
    the staging folder and leaves the previous ``out_dir`` exactly as it was. An output
    without content is unchanged since the build that wrote ``previous``: it is hard-linked
    from there (files are never modified in place, so sharing them is safe).
    """

    def __init__(self, out_dir: Path, previous: Path | None = None, protect: Iterable[Path] = ()):
        self.out_dir = Path(out_dir)
        self.previous = previous
        check_out_dir(self.out_dir, list(protect))
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
        except OSError as exc:
            raise SiteGenError(f"cannot create the output folder next to {self.out_dir.as_posix()!r}: "
                               f"{exc.strerror or exc}") from None
        self._root = os.fspath(self.root)  #: as a str: joined to every output path
        self.count = 0
        self._made: set[str] = set()
        self._written: set[str] = set()
        self._committed = False

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if not self._committed:
            shutil.rmtree(self.root, ignore_errors=True)
        if isinstance(exc, OSError):
            raise SiteGenError(f"cannot write the output folder: {exc.strerror or exc}") from None

    def add(self, output: Output, check_duplicates: bool = True) -> None:
        """Write one output into the staging folder."""
        target = f"{self._root}/{_checked(output.path)}"
        if check_duplicates:
            if target in self._written:
                raise SiteGenError(f"two pages of the site claim the same file {output.path!r}")
            self._written.add(target)
        parent = target.rpartition("/")[0]
        if parent not in self._made:
            _make_folder(parent)
            self._made.add(parent)
        self.count += 1
        content = output.content
        if content is None:
            _reuse(self.previous, output.path, target)
            return
        _write_new(target, content.encode("utf-8") if isinstance(content, str) else content)

    def claim(self, paths: Iterable[str]) -> None:
        """Reserve paths that other processes write, so duplicates are still caught here."""
        for path in paths:
            target = f"{self._root}/{_checked(path)}"
            if target in self._written:
                raise SiteGenError(f"two pages of the site claim the same file {path!r}")
            self._written.add(target)

    def commit(self, extra_count: int = 0) -> None:
        """Swap the staging folder in as ``out_dir``."""
        os.chmod(self.root, 0o755)
        swap_in(self.root, self.out_dir, background=self.count + extra_count > BACKGROUND_DELETE)
        self._committed = True


def write_tree(outputs: Iterable[Output], out_dir: Path, previous: Path | None = None,
               protect: Iterable[Path] = ()) -> int:
    """Write every output into a temporary sibling of ``out_dir``, then swap it in; return the file count.

    A failure anywhere (two outputs with one path, a disk error) leaves the previous
    ``out_dir`` exactly as it was. ``protect`` lists folders (content/, the project) that
    ``out_dir`` must neither be, contain nor sit inside.
    """
    with Staging(out_dir, previous, protect) as stage:
        for output in outputs:
            stage.add(output)
        stage.commit()
    return stage.count


def write_changes(outputs: Iterable[Output], out_dir: Path, previous_keys: dict[str, str],
                  contents: dict[str, str]) -> int:
    """Update a previous build in place: write changed files, delete vanished ones; return files written.

    Outputs made without a key (feeds, indexes) are compared by content hash in ``contents``,
    which is updated, so unchanged files are not rewritten.
    """
    written = 0
    keep: set[str] = set()
    for output in outputs:
        keep.add(output.path)
        if output.content is None:
            continue
        data = output.content.encode("utf-8") if isinstance(output.content, str) else output.content
        if not output.key:
            content_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
            if contents.get(output.path) == content_hash:
                continue
            contents[output.path] = content_hash
        target = safe_join(out_dir, output.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = f"{target}.tmp-{os.getpid()}"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
        written += 1
    for path in previous_keys.keys() - keep:
        try:
            os.unlink(safe_join(out_dir, path))
        except OSError:
            pass
    return written


def _write_new(target: str, data: bytes) -> None:
    """Create ``target`` holding ``data`` with bare system calls (no file object: this runs per page)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        done = os.write(fd, data)
        if done < len(data):  # a short write: keep writing what is left
            view = memoryview(data)
            while done < len(data):
                done += os.write(fd, view[done:])
    finally:
        os.close(fd)


def _reuse(previous: Path | None, relative: str, target: str) -> None:
    """Hard-link an unchanged file from the previous build (copy where links are not possible)."""
    if previous is None:
        raise SiteGenError(f"internal error: no previous build to reuse {relative!r} from")
    source = safe_join(previous, relative)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def swap_in(staging: Path, out_dir: Path, background: bool = False) -> None:
    """Replace ``out_dir`` with ``staging`` using renames, so readers never see a half-written site.

    The replaced tree is deleted afterwards, by a detached process when it is large, so a
    big board's build does not wait for thousands of unlinks.
    """
    _remove_stale(out_dir)
    old = None
    if out_dir.exists() or out_dir.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.replace(out_dir, old)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        if old is not None:
            os.replace(old, out_dir)
        raise
    if old is None:
        return
    if background:
        try:
            subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(old)],
                             start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)


def _remove_stale(out_dir: Path) -> None:
    """Delete replaced trees that an interrupted build left beside the output folder."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
