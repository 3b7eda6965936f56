"""Write Outputs into a fresh folder and swap it in only when everything succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import SiteGenError
from .model import Output


def safe_join(root: Path, relative: str) -> Path:
    """Join an output path to the root, refusing anything that would land outside it."""
    if not relative or "\x00" in relative or "\\" in relative or Path(relative).is_absolute():
        raise SiteGenError(f"refusing to write outside the output folder: {relative!r}")
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or target == root.resolve():
        raise SiteGenError(f"refusing to write outside the output folder: {relative!r}")
    return target


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


def write_tree(outputs: Iterable[Output], out_dir: Path, protect: Iterable[Path] = ()) -> int:
    """Write every output into a temporary sibling of ``out_dir``, then swap it in; return the file count.

    A failure anywhere (two outputs with one path, a disk error) leaves the previous
    ``out_dir`` exactly as it was. ``protect`` lists folders (content/, the project) that
    ``out_dir`` must neither be, contain nor sit inside.
    """
    out_dir = Path(out_dir)
    protect = list(protect)
    check_out_dir(out_dir, protect)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as exc:
        raise SiteGenError(f"cannot create the output folder next to {out_dir.as_posix()!r}: {exc.strerror or exc}") from None
    count = 0
    made: set[Path] = set()
    written: set[Path] = set()
    try:
        for output in outputs:
            target = safe_join(staging, output.path)
            if target in written:
                raise SiteGenError(f"two pages of the site claim the same file {output.path!r}")
            written.add(target)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            data = output.content.encode("utf-8") if isinstance(output.content, str) else output.content
            with open(target, "wb") as fh:
                fh.write(data)
            count += 1
        os.chmod(staging, 0o755)
        swap_in(staging, out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteGenError(f"cannot write the output folder: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with ``staging`` using renames, so readers never see a half-written site."""
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
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
