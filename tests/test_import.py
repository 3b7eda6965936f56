"""`build.py import`: the five seeds become the sample postings; varied real-world inputs import faithfully."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_gen import importer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "import"
BAD = ROOT / "tests" / "fixtures" / "import-bad"
SAMPLES = ROOT / "content" / "jobs"
TODAY = "2026-11-22"


def split(path: Path) -> tuple[dict, str]:
    """Front matter (parsed) and body of a posting file."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, f"{path.name} has no front matter"
    return yaml.safe_load(match.group(1)), match.group(2)


def normalise(body: str) -> str:
    lines = [line.rstrip() for line in body.strip().split("\n")]
    return re.sub(r"\n{2,}", "\n\n", "\n".join(lines))


def run_import(capsys, *args: str) -> tuple[int, str, str]:
    code = importer.main([*map(str, args), "--today", TODAY])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def imported(tmp_path, capsys):
    """Import a fixture file into a scratch folder; return (exit code, front matter, body, report)."""
    def go(name: str, folder: Path = FIXTURES) -> tuple[int, dict, str, str]:
        into = tmp_path / "jobs"
        code, out, _ = run_import(capsys, folder / name, "--into", into)
        files = sorted(into.glob("*.md"))
        assert len(files) == 1, out
        meta, body = split(files[0])
        return code, meta, body, out
    return go


# --- The five seeds reproduce the sample postings -------------------------------------------

def test_seeds_reproduce_the_sample_postings_field_for_field(tmp_path, capsys):
    into = tmp_path / "jobs"
    code, out, err = run_import(capsys, SEEDS, "--into", into)
    assert code == 0, out + err
    assert sorted(p.name for p in into.glob("*.md")) == sorted(p.name for p in SAMPLES.glob("*.md"))
    for sample in sorted(SAMPLES.glob("*.md")):
        want_meta, want_body = split(sample)
        got_meta, got_body = split(into / sample.name)
        assert got_meta == want_meta, sample.name
        assert list(got_meta) == list(want_meta), f"{sample.name}: key order"
        assert normalise(got_body) == normalise(want_body), sample.name


def test_sample_postings_state_only_what_the_originals_say():
    remote, _ = split(SAMPLES / "senior-backend-engineer-elixir-remote.md")
    assert remote["salary"] == {"min": 51850, "max": 171450, "currency": "USD", "period": "year"}
    assert remote["remote_regions"] == ["Africa"] and remote["company"] == "Remote"
    ello, ello_body = split(SAMPLES / "back-end-developer.md")
    assert ello["date"] == dt.date(2016, 10, 20)
    assert ello["redirect_from"] == ["/post/jobs", "/about/careers/"]
    assert "header_image" not in ello_body and "layout" not in ello
    proton, proton_body = split(SAMPLES / "senior-backend-engineer-proton.md")
    assert not {"location", "remote", "employment_type", "salary", "apply"} & set(proton)
    assert "## What you'll do" in proton_body and "- Code in our shared backend framework" in proton_body
    bigchain, _ = split(SAMPLES / "decentralized-systems-engineer.md")
    assert "employment_type" not in bigchain  # "Type: Permanent" is not one of ours
    assert bigchain["apply"] == "mailto:engjob@bigchaindb.com"
    for sample in SAMPLES.glob("*.md"):
        text = sample.read_text(encoding="utf-8")
        assert "â€" not in text and "ðŸ" not in text and "#LI-" not in text


def test_importing_the_same_inputs_twice_gives_the_same_bytes(tmp_path, capsys):
    run_import(capsys, SEEDS, FIXTURES, "--into", tmp_path / "a")
    run_import(capsys, SEEDS, FIXTURES, "--into", tmp_path / "b")
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.md")}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").glob("*.md")}
    assert a == b and len(a) == 17


# --- Varied inputs ------------------------------------------------------------------------

CASES = {
    "email-data-analyst.txt": {
        "title": "Data Analyst", "company": "Northwind Traders", "date": dt.date(2025, 11, 4),
        "location": "Leeds, UK", "remote": "hybrid", "employment_type": "part-time",
        "salary": {"min": 32000, "max": 38000, "currency": "GBP", "period": "year"},
        "tags": ["tableau", "sql", "excel"], "apply": "mailto:careers@northwind.example"},
    "careers-page.html": {
        "title": "Senior Platform Engineer", "company": "Tidewater", "location": "Lisbon, Portugal",
        "remote": "hybrid", "employment_type": "full-time",
        "apply": "https://careers.tidewater.example/jobs/senior-platform-engineer/apply"},
    "jobposting-ld.html": {
        "title": "Customer Support Specialist", "company": "Lumen Books", "date": dt.date(2025, 9, 1),
        "company_url": "https://lumenbooks.example", "remote": True, "remote_regions": ["Canada", "US"],
        "employment_type": "full-time", "valid_through": dt.date(2025, 10, 15),
        "salary": {"min": 48000, "max": 56000, "currency": "CAD", "period": "year"},
        "apply": "https://jobs.lumenbooks.example/apply/77"},
    "ats-lever-page.html": {
        "title": "Senior Data Scientist", "company": "Harbor Analytics", "location": "Amsterdam, Netherlands",
        "remote": "hybrid", "employment_type": "full-time",
        "salary": {"min": 85000, "max": 105000, "currency": "EUR", "period": "year"},
        "apply": "https://jobs.lever.co/harbor/123/apply"},
    "hn-who-is-hiring.txt": {
        "title": "Senior Backend Engineer (Python)", "company": "Fernweh Travel", "location": "Berlin",
        "remote": True, "remote_regions": ["EU"], "employment_type": "full-time",
        "salary": {"min": 75000, "max": 95000, "currency": "EUR", "period": "year"},
        "tags": ["python", "django", "postgresql", "aws"], "apply": "mailto:jobs@fernweh.example"},
    "ats-greenhouse-page.html": {
        "title": "Product Designer", "company": "Quill", "remote": True, "remote_regions": ["US"],
        "salary": {"min": 120000, "max": 145000, "currency": "USD", "period": "year"},
        "tags": ["figma", "user research"]},
    "2024-03-15-frontend-developer.md": {
        "title": "Frontend Developer", "company": "Pixelwerk", "date": dt.date(2024, 3, 15),
        "location": "Vienna, Austria", "remote": "hybrid", "tags": ["react", "typescript", "figma", "cypress"],
        "apply": "https://pixelwerk.example/jobs/frontend?team=web"},
    "de-backend-entwickler.md": {
        "title": "Backend-Entwickler (m/w/d) Python", "company": "Alpenbyte GmbH", "location": "München",
        "employment_type": "full-time", "salary": {"min": 60000, "max": 75000, "currency": "EUR", "period": "year"},
        "apply": "mailto:jobs@alpenbyte.example"},
    "uk-account-manager.txt": {
        "title": "Account Manager", "company": "Brightline Energy", "location": "Manchester",
        "employment_type": "full-time", "salary": {"min": 45000, "max": 55000, "currency": "GBP", "period": "year"},
        "tags": ["crm", "salesforce", "excel"], "apply": "https://brightline.example/careers/am-42?ref=board"},
    "contract-devops.md": {
        "title": "DevOps Engineer (Contract)", "company": "Kestrel Labs", "remote": True, "remote_regions": ["EU"],
        "employment_type": "contract", "salary": {"min": 50, "currency": "USD", "period": "hour"},
        "apply": "https://kestrel.example/apply?role=devops"},
    "nurse-location-lines.md": {
        "title": "Registered Nurse – Night Shifts", "company": "Maple Health Clinics",
        "location": "Toronto, Ontario, Canada", "employment_type": "part-time",
        "salary": {"min": 38, "max": 45, "currency": "CAD", "period": "hour"}, "tags": ["nursing"],
        "valid_through": dt.date(2026, 12, 31), "apply": "https://maplehealth.example/careers/rn-nights"},
    "india-sde.txt": {
        "title": "Software Development Engineer II", "company": "Kiranpath Logistics", "location": "Bengaluru, India",
        "salary": {"min": 1800000, "max": 2400000, "currency": "INR", "period": "year"},
        "tags": ["java", "spring boot"], "apply": "https://kiranpath.example/careers/sde2"},
}
#: Fields each case does not state, which must stay out.
ABSENT = {
    "email-data-analyst.txt": {"remote_regions"},
    "careers-page.html": {"salary", "remote_regions"},
    "ats-lever-page.html": {"remote_regions", "valid_through"},
    "ats-greenhouse-page.html": {"location", "employment_type", "apply"},
    "hn-who-is-hiring.txt": {"valid_through"},
    "2024-03-15-frontend-developer.md": {"employment_type", "salary"},
    "de-backend-entwickler.md": {"remote", "remote_regions"},
    "uk-account-manager.txt": {"remote"},
    "contract-devops.md": {"location"},
    "nurse-location-lines.md": {"remote"},
    "india-sde.txt": {"remote", "employment_type"},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_format_imports_its_stated_fields(imported, name):
    code, meta, body, report = imported(name)
    assert code == 0, report
    for key, want in CASES[name].items():
        assert meta.get(key) == want, f"{name}: {key}"
    assert not ABSENT.get(name, set()) & set(meta), f"{name} invented {ABSENT[name] & set(meta)}"
    assert "date" in meta and body.strip()


def test_html_page_keeps_the_posting_and_drops_the_site_chrome(imported):
    _, _, body, _ = imported("careers-page.html")
    for chrome in ("cookies", "All jobs", "Similar jobs", "Imprint", "dataLayer", "font-family", "Apply for this job"):
        assert chrome not in body
    assert "## What you’ll do" in body  # &#8217; decoded, heading kept
    assert "- Run our **Kubernetes** clusters on AWS with Terraform" in body
    assert "*Linux*" in body
    assert "[on our engineering blog](https://careers.tidewater.example/engineering-blog?page=2)" in body
    assert "fast, safe and boring & we" in body  # &nbsp; and &amp; repaired
    assert "utm_" not in body


def test_ats_page_without_h1_finds_title_facts_and_whole_description(imported):
    _, _, body, report = imported("ats-lever-page.html")
    assert body.strip().startswith("Harbor Analytics helps ports predict traffic.")
    assert "### Compensation\n\n- €85,000 - €105,000 per year" in body
    assert "Apply for this job" not in body and "powered by Lever" not in body and "Data\n" not in body
    assert 'from: <div class="sort-by-time posting-category medium-category-label location">' in report


def test_text_damage_is_repaired(imported):
    _, _, body, report = imported("contract-devops.md")
    assert "GitLab CI pipelines – build" in body and "CET – overlap" in body  # double-encoded en dash
    assert "\u200b" not in body and "&nbsp;" not in body and "follow after" in body
    assert "#LI-Remote" not in body and "utm_source" not in body
    assert "mis-encoded" in report


def test_plain_text_gets_headings_and_lists(imported):
    _, _, body, _ = imported("uk-account-manager.txt")
    assert "## Responsibilities\n\n- Manage a book of around 150 business accounts\n- Keep our CRM" in body
    assert "## About the role" in body
    assert "Brightline Energy helps 40,000 households" in body.strip().split("\n")[0]


def test_wrapped_email_becomes_paragraphs_without_headers(imported):
    _, _, body, _ = imported("email-data-analyst.txt")
    assert "From:" not in body and "Subject:" not in body
    assert "in Leeds. You would own our weekly trading reports" in body
    assert "## What you will do" in body and "\nLocation: Leeds, UK" in body


def test_jekyll_post_dates_from_file_name_and_names_ignored_keys(imported):
    _, meta, _, report = imported("2024-03-15-frontend-developer.md")
    assert meta["date"] == dt.date(2024, 3, 15)
    assert "file name 2024-03-15-frontend-developer.md" in report
    assert "ignored front matter keys: header_image, layout" in report


def test_report_shows_evidence_and_gaps(tmp_path, capsys):
    code, out, _ = run_import(capsys, FIXTURES / "nurse-location-lines.md", "--into", tmp_path)
    assert code == 0
    assert "from: **Salary**: CAD $38 to $45 per hour" in out
    assert "from: **Location**: Toronto, Ontario, Canada" in out
    assert "not found: remote (left out)" in out
    assert f"used the import day {TODAY}" in out


def test_date_is_the_import_day_only_when_the_posting_has_none(tmp_path, capsys):
    importer.main([str(FIXTURES / "uk-account-manager.txt"), "--into", str(tmp_path), "--today", "2030-01-02"])
    importer.main([str(FIXTURES / "email-data-analyst.txt"), "--into", str(tmp_path), "--today", "2030-01-02"])
    assert split(tmp_path / "account-manager.md")[0]["date"] == dt.date(2030, 1, 2)
    assert split(tmp_path / "data-analyst.md")[0]["date"] == dt.date(2025, 11, 4)


# --- Safety: overwrites, dry runs, bad files, paths ----------------------------------------

def test_existing_posting_is_kept_unless_force(tmp_path, capsys):
    target = tmp_path / "account-manager.md"
    assert run_import(capsys, FIXTURES / "uk-account-manager.txt", "--into", tmp_path)[0] == 0
    target.write_text(target.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    code, out, err = run_import(capsys, FIXTURES / "uk-account-manager.txt", "--into", tmp_path)
    assert code == 1 and "already exists (use --force to overwrite)" in out + err
    assert "Edited by hand." in target.read_text(encoding="utf-8")
    code, _, _ = run_import(capsys, FIXTURES / "uk-account-manager.txt", "--into", tmp_path, "--force")
    assert code == 0 and "Edited by hand." not in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["account-manager.md"]


def test_dry_run_writes_nothing(tmp_path, capsys):
    code, out, _ = run_import(capsys, SEEDS, "--into", tmp_path / "jobs", "--dry-run")
    assert code == 0 and "would write" in out and "would import 5 of 5" in out
    assert not (tmp_path / "jobs").exists()


def test_bad_files_are_named_and_the_rest_still_import(tmp_path, capsys):
    code, out, err = run_import(capsys, BAD, FIXTURES / "india-sde.txt", tmp_path / "missing.txt",
                                "--into", tmp_path / "jobs")
    assert code == 1
    assert re.search(r"offer\.pdf: binary file \(a PDF\)", err)
    assert re.search(r"blob\.dat: binary file", err)
    assert re.search(r"empty\.txt: empty file", err)
    assert re.search(r"missing\.txt: no such file or folder", err)
    assert "Traceback" not in out + err
    assert [p.name for p in (tmp_path / "jobs").glob("*.md")] == ["software-development-engineer-ii.md"]


def test_titles_cannot_write_outside_the_target_folder(tmp_path, capsys):
    evil = tmp_path / "evil.md"
    evil.write_text("---\ntitle: ../../../etc/passwd\ncompany: /root/.ssh\n---\nText.\n", encoding="utf-8")
    into = tmp_path / "out" / "jobs"
    code, _, _ = run_import(capsys, evil, "--into", into)
    assert code == 0
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != evil]
    assert [p.parent for p in written] == [into] and written[0].name == "etc-passwd.md"


def test_posting_without_company_is_written_as_a_draft(tmp_path, capsys):
    source = tmp_path / "job.txt"
    source.write_text("Night Porter\nWe need a night porter for our small hotel.\n", encoding="utf-8")
    code, out, _ = run_import(capsys, source, "--into", tmp_path / "jobs")
    meta, _ = split(tmp_path / "jobs" / "night-porter.md")
    assert code == 0 and "company" not in meta and meta["draft"] is True
    assert "no company found" in out


def test_other_encodings_are_decoded(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cp1252.txt").write_bytes("Koch (m/w/d)\nCompany: Café Müller\nLocation: Köln\n".encode("cp1252"))
    (tmp_path / "in" / "utf16.txt").write_bytes("Barista\nCompany: Bäckerei Sonne\n".encode("utf-16"))
    code, out, _ = run_import(capsys, tmp_path / "in", "--into", tmp_path / "jobs")
    assert code == 0, out
    assert split(tmp_path / "jobs" / "koch-m-w-d.md")[0]["company"] == "Café Müller"
    assert split(tmp_path / "jobs" / "barista.md")[0]["company"] == "Bäckerei Sonne"
    assert "decoded as Windows-1252" in out


def test_repeated_titles_get_the_company_and_the_same_posting_keeps_its_file(tmp_path, capsys):
    into = tmp_path / "jobs"
    (tmp_path / "a.md").write_text("# Data Engineer\n\n**Company**: Acme\n\nText.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Data Engineer\n\n**Company**: Globex\n\nText.\n", encoding="utf-8")
    run_import(capsys, tmp_path / "a.md", tmp_path / "b.md", "--into", into)
    assert sorted(p.name for p in into.glob("*.md")) == ["data-engineer-acme.md", "data-engineer-globex.md"]
    code, out, _ = run_import(capsys, tmp_path / "a.md", "--into", into)
    assert code == 1 and "data-engineer-acme.md already exists" in out


# --- Entry points --------------------------------------------------------------------------

def test_python_dash_m_runs_the_importer(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "site_gen.importer", str(FIXTURES / "india-sde.txt"),
                           "--into", str(tmp_path), "--today", TODAY], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "software-development-engineer-ii.md").is_file()


def test_add_parser_plugs_into_a_main_cli(tmp_path):
    parser = argparse.ArgumentParser(prog="build.py")
    sub = parser.add_subparsers(dest="command")
    importer.add_parser(sub)
    args = parser.parse_args(["import", str(FIXTURES / "india-sde.txt"), "--into", str(tmp_path), "--dry-run"])
    assert args.command == "import" and importer.run(args) == 0
    assert not list(tmp_path.iterdir())


# --- Less common shapes ----------------------------------------------------------------------

def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_html_without_main_uses_the_largest_text_block(tmp_path, capsys):
    page = write(tmp_path, "job.html", """<html><head><title>Welder - Ironside Fabrication</title></head><body>
<div class="top"><a href="/">Home</a> <a href="/jobs">Jobs</a></div>
<div class="content"><h2>Welder (MIG/TIG)</h2>
<p>Ironside Fabrication builds steel frames for farm buildings. We need a welder for our Leeds workshop.</p>
<ul><li>MIG and TIG welding of mild steel</li><li>Reading fabrication drawings</li></ul>
<p>Full-time, Monday to Friday. Pay: £16.50 per hour.</p></div>
<div class="footer">Registered in England. <a href="/privacy">Privacy</a></div></body></html>""")
    code, out, _ = run_import(capsys, page, "--into", tmp_path / "jobs")
    meta, body = split(tmp_path / "jobs" / "welder.md")
    assert code == 0, out
    assert meta["title"] == "Welder" and meta["company"] == "Ironside Fabrication"
    assert meta["salary"] == {"min": 16.5, "currency": "GBP", "period": "hour"}
    assert meta["employment_type"] == "full-time"
    assert "- MIG and TIG welding of mild steel" in body and "Privacy" not in body and "Home" not in body


def test_markdown_whose_first_line_is_a_bold_title(tmp_path, capsys):
    source = write(tmp_path, "job.md", "**Line Cook**\n\nJoin Saltbox Kitchen as a line cook.\n\n- Prep\n- Grill\n")
    run_import(capsys, source, "--into", tmp_path / "jobs")
    meta, body = split(tmp_path / "jobs" / "line-cook.md")
    assert meta["title"] == "Line Cook" and meta["company"] == "Saltbox Kitchen"
    assert "Line Cook" not in body


def test_no_title_is_a_clear_error(tmp_path, capsys):
    source = write(tmp_path, "notes.md", "---\nlayout: post\n---\nWe are growing fast. Write to us.\n")
    code, out, err = run_import(capsys, source, "--into", tmp_path / "jobs")
    assert code == 1 and "notes.md: no job title found" in err
    assert not (tmp_path / "jobs").exists()


def test_broken_front_matter_is_read_line_by_line(tmp_path, capsys):
    source = write(tmp_path, "job.md", "---\ntitle: Barista: Mornings\ncompany: Bean There\nlocation: [Leeds\n---\n"
                                       "Make coffee.\n")
    code, out, _ = run_import(capsys, source, "--into", tmp_path / "jobs")
    meta, _ = split(tmp_path / "jobs" / "barista-mornings.md")
    assert code == 0 and meta["title"] == "Barista: Mornings" and meta["company"] == "Bean There"
    assert "front matter is not valid YAML" in out


def test_unreadable_file_is_named_and_others_import(tmp_path, capsys, monkeypatch):
    locked = write(tmp_path, "locked.txt", "Cook\nCompany: Diner\n")
    fine = write(tmp_path, "fine.txt", "Waiter\nCompany: Diner\n")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = run_import(capsys, locked, fine, "--into", tmp_path / "jobs")
    assert code == 1 and "locked.txt: cannot read: Permission denied" in err
    assert [p.name for p in (tmp_path / "jobs").iterdir()] == ["waiter.md"]


def test_a_symlink_in_the_target_folder_cannot_redirect_a_write(tmp_path, capsys):
    outside = write(tmp_path, "outside.md", "precious\n")
    into = tmp_path / "jobs"
    into.mkdir()
    (into / "waiter.md").symlink_to(outside)
    code, out, err = run_import(capsys, write(tmp_path, "w.txt", "Waiter\nCompany: Diner\n"), "--into", into, "--force")
    assert code == 1 and "outside" in out + err
    assert outside.read_text(encoding="utf-8") == "precious\n"


def test_build_py_import_subcommand(tmp_path):
    proc = subprocess.run([sys.executable, "build.py", "import", str(SEEDS), str(BAD / "offer.pdf"),
                           "--into", str(tmp_path / "jobs"), "--today", TODAY], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and "offer.pdf: binary file (a PDF)" in proc.stderr
    assert "imported 5 of 6 file(s); 1 failed" in proc.stdout
    assert sorted(p.name for p in (tmp_path / "jobs").glob("*.md")) == sorted(p.name for p in SAMPLES.glob("*.md"))
