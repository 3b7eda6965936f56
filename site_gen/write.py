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
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or target == root.resolve():
        raise SiteGenError(f"refusing to write outside the output folder: {relative!r}")
    return target


def write_tree(outputs: Iterable[Output], out_dir: Path) -> int:
    """Write every output into a temporary sibling of ``out_dir``, then swap it in; return the file count.

    A failure anywhere leaves the previous ``out_dir`` exactly as it was.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    count = 0
    made: set[Path] = set()
    try:
        for output in outputs:
            target = safe_join(staging, output.path)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            data = output.content.encode("utf-8") if isinstance(output.content, str) else output.content
            with open(target, "wb") as fh:
                fh.write(data)
            count += 1
        os.chmod(staging, 0o755)
        swap_in(staging, out_dir)
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
