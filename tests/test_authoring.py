"""``new`` and ``check``: the authoring commands."""

from __future__ import annotations

import datetime as dt
import shutil

import yaml

from conftest import FIXTURES, posting, run_build


def test_new_creates_posting_with_commented_fields(tmp_path):
    result = run_build("new", "Senior Rust Engineer: Core/Infra", "--company", "Ferris & \"Co\"", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content" / "jobs" / "senior-rust-engineer-core-infra.md"
    text = path.read_text()
    meta = yaml.safe_load(text.split("---")[1])
    assert meta == {"title": "Senior Rust Engineer: Core/Infra", "company": 'Ferris & "Co"',
                    "date": dt.date.today()}
    for field in ("company_url", "location", "remote", "remote_regions", "employment_type", "salary", "tags",
                  "valid_through", "apply", "draft", "redirect_from", "slug"):
        assert f"# {field}:" in text, field
    # The new file builds as it is.
    assert run_build("--content", "content", "--out", "public", cwd=tmp_path).returncode == 0
    assert (tmp_path / "public" / "jobs" / "senior-rust-engineer-core-infra" / "index.html").is_file()


def test_new_refuses_to_overwrite(tmp_path):
    assert run_build("new", "Data Engineer", "--company", "A", cwd=tmp_path).returncode == 0
    path = tmp_path / "content" / "jobs" / "data-engineer.md"
    before = path.read_text()
    result = run_build("new", "Data Engineer", "--company", "B", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/jobs/data-engineer.md already exists" in result.stderr
    assert path.read_text() == before


def test_check_passes_clean_content_without_writing(tmp_path):
    shutil.copytree(FIXTURES / "site" / "content", tmp_path / "content")
    result = run_build("check", "--now", "2025-03-15", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout
    assert not (tmp_path / "public").exists()


def test_check_reports_every_problem_at_once(scratch_site, tmp_path):
    content = scratch_site({
        "jobs/a.md": posting("A", remote="maybe"),
        "jobs/b.md": posting("B", salary={"min": 10, "max": 5, "currency": "EUR", "period": "year"}),
        "jobs/c.md": "---\ntitle: [unclosed\n---\nbody",
    })
    result = run_build("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/jobs/a.md: remote: 'maybe' is not one of no, yes, hybrid" in result.stderr
    assert "content/jobs/b.md: salary.min: 10 is above salary.max 5" in result.stderr
    assert "content/jobs/c.md: front matter: invalid YAML" in result.stderr
    assert "3 error(s)" in result.stdout
    assert not (tmp_path / "public").exists()


def test_check_finds_broken_internal_links(scratch_site, tmp_path):
    content = scratch_site({"jobs/a.md": posting("A", body="See [our other job](/jobs/nope/) and [home](/).")})
    result = run_build("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "/jobs/a/index.html: broken link to /jobs/nope/" in result.stderr
    assert "broken link to /\n" not in result.stderr + "\n"
