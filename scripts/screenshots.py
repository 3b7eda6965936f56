"""Take the screenshots in docs/screenshots/ from the built sample board, in every theme.

Usage: python3 scripts/screenshots.py [--out docs/screenshots] [--themes default compact]

Builds content/ with each theme into a temporary folder, serves it on 127.0.0.1 and photographs
the home page, a posting and the search page at phone and desktop widths, light and dark, with
Playwright driving Debian's Chromium (/usr/bin/chromium, or $CHROME_PATH). PNGs are reduced to
a 256-colour palette with Pillow when it is installed, to keep the repository small.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from site_gen.static_server import serve_folder  # noqa: E402
NOW = "2026-11-22"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
#: (name, URL path, what to type into the search box first or None)
PAGES = [("home", "/", None), ("posting", "/jobs/senior-backend-engineer-elixir-remote/", None),
         ("search", "/search/?q=elixir", None)]


def build(theme: str, out: Path) -> None:
    """Build the sample board with ``theme`` into ``out``."""
    cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(ROOT / "content"), "--out", str(out),
           "--now", NOW, "--theme", theme, "--quiet"]
    subprocess.run(cmd, check=True, cwd=ROOT)


def optimise(png: bytes) -> bytes:
    """A 256-colour palette PNG when Pillow is installed, else the PNG as taken."""
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                                dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def shoot(base: str, theme: str, out_dir: Path, schemes: list[str]) -> list[Path]:
    """Photograph every page of PAGES at every viewport; return the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                                    args=CHROMIUM_ARGS)
        for scheme in schemes:
            for vp_name, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                for name, path, _ in PAGES:
                    page.goto(base + path, wait_until="networkidle")
                    suffix = "" if scheme == "light" else "-dark"
                    target = out_dir / f"{theme}-{name}-{vp_name}{suffix}.png"
                    target.write_bytes(optimise(page.screenshot(full_page=False)))
                    written.append(target)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--themes", nargs="+", default=["default", "compact"])
    parser.add_argument("--dark", action="store_true", help="also take dark-mode screenshots")
    args = parser.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    schemes = ["light", "dark"] if args.dark else ["light"]
    with tempfile.TemporaryDirectory() as tmp:
        for theme in args.themes:
            public = Path(tmp) / theme
            build(theme, public)
            with serve_folder(public) as base:
                for path in shoot(base, theme, out_dir, schemes):
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
