"""Fixes from the importer review: titles on careers pages, place lines, plain-text layouts, prose facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from site_gen import importer
from site_gen.importer import fields
from site_gen.importer.salary import find_pay
from site_gen.importer.skills import load_vocabulary

REVIEW = Path(__file__).parent / "fixtures" / "import-review"
TODAY = "2026-11-22"


def import_one(tmp_path: Path, capsys, source: Path) -> tuple[dict, str, str]:
    """Import one file into a scratch folder; return its front matter, body and the report."""
    into = tmp_path / "jobs"
    code = importer.main([str(source), "--into", str(into), "--today", TODAY])
    out = capsys.readouterr().out
    files = sorted(into.glob("*.md"))
    assert code == 0 and len(files) == 1, out
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", files[0].read_text(encoding="utf-8"), re.S)
    assert match
    return yaml.safe_load(match.group(1)), match.group(2), out


# --- 1. A careers page's job title is the posting's <h1>, not the site header's ------------

def test_careers_page_title_is_the_articles_h1_and_the_header_h1_is_the_company(tmp_path, capsys):
    meta, body, out = import_one(tmp_path, capsys, REVIEW / "careers-site-header.html")
    assert meta["title"] == "Site Reliability Engineer"
    assert meta["company"] == "Foo Inc" and "draft" not in meta
    assert "site header <h1>Foo Inc</h1>" in out
    assert meta["location"] == "Toronto, Canada" and meta["remote"] == "hybrid"
    assert "Building calmer infrastructure" not in body and "## What you will do" in body


def test_careers_page_title_is_the_h1_the_page_title_repeats(tmp_path, capsys):
    meta, body, _ = import_one(tmp_path, capsys, REVIEW / "careers-title-match.html")
    assert (meta["title"], meta["company"]) == ("Payroll Specialist", "Kestrel Accounting")
    assert meta["location"] == "Leeds, UK" and meta["employment_type"] == "full-time"
    assert "three hundred small businesses" in body


def test_site_header_h1_is_not_the_title_when_the_main_heading_is_an_h2(tmp_path, capsys):
    meta, body, _ = import_one(tmp_path, capsys, REVIEW / "header-h1-only.html")
    assert (meta["title"], meta["company"]) == ("Warehouse Associate", "Orchard Foods")
    assert "Warehouse Associate" not in body.split("\n")[0] and "cold store" in body


# --- 2. Place lines with "·", "|" or " - " keep their work mode -----------------------------

@pytest.mark.parametrize("line, places, mode, regions", [
    ("Toronto, Canada · Hybrid", ["Toronto, Canada"], "hybrid", []),
    ("Lisbon, Portugal · Remote (EU)", ["Lisbon, Portugal"], "yes", ["EU"]),
    ("Hybrid - Berlin", ["Berlin"], "hybrid", []),
    ("Austin, TX | Remote (US only)", ["Austin, TX"], "yes", ["US"]),
    ("Remote - US", [], "yes", ["US"]),
    ("Berlin, Germany · Engineering", ["Berlin, Germany"], None, []),
    ("Berlin | Munich", ["Berlin", "Munich"], None, []),
    ("Remote (EU or UK)", [], "yes", ["EU", "UK"]),
])
def test_place_lines_keep_mode_and_regions(line, places, mode, regions):
    assert fields.split_places(line) == (places, mode, regions)


def test_location_line_with_dot_imports_place_remote_and_regions(tmp_path, capsys):
    meta, _, _ = import_one(tmp_path, capsys, REVIEW / "lisbon-remote-eu.md")
    assert meta["location"] == "Lisbon, Portugal"
    assert meta["remote"] is True and meta["remote_regions"] == ["EU"]


# --- 4. Remote regions stated in prose -------------------------------------------------------

@pytest.mark.parametrize("line, regions", [
    ("This role is remote within Europe.", ["Europe"]),
    ("The position is remote (EU only).", ["EU"]),
    ("Remote in the US, with quarterly offsites.", ["US"]),
    ("We are remote in the sense that we trust you.", []),
    ("This is not remote in the US: you work from our office.", []),
])
def test_remote_regions_in_prose(line, regions):
    assert fields.remote_regions_in(line) == regions


def test_prose_remote_region_and_unlabelled_pay_are_imported(tmp_path, capsys):
    meta, _, out = import_one(tmp_path, capsys, REVIEW / "prose-remote-europe.md")
    assert meta["remote"] is True and meta["remote_regions"] == ["Europe"]
    assert meta["salary"] == {"min": 70000, "max": 85000, "currency": "EUR", "period": "year"}
    assert "from: We pay between €70k and €85k" in out


# --- 5. Pay in a sentence without a label ----------------------------------------------------

@pytest.mark.parametrize("line, want", [
    ("We pay between $180k and $220k a year.", (180000, 220000, "USD", "year")),
    ("We pay between $180k and $220k.", (180000, 220000, "USD", "year")),
    ("The range for this role is USD $51,850 to $171,450.", (51850, 171450, "USD", "year")),
])
def test_pay_in_a_sentence(line, want):
    pay = find_pay(line)
    assert pay is not None and (pay.min, pay.max, pay.currency, pay.period) == want


@pytest.mark.parametrize("line", [
    "We raised $20M between 2022 and 2024.",
    "We raised between $20M and $30M from investors.",
    "Our ARR is in the range of $5,000,000 to $8,000,000.",
    "It costs $50,000 to build a prototype.",
])
def test_money_that_is_not_pay(line):
    assert find_pay(line) is None


# --- 7. "Go" in the title's parentheses or emphasised ----------------------------------------

@pytest.mark.parametrize("text, want", [
    ("Backend Developer (Go)", ["go"]),
    ("Our services are written in *Go* and **Rust**.", ["go", "rust"]),
    ("Let's go (go) now", []),
    ("Go (the board game) club on Fridays", []),
    ("the ego_go_ variable", []),
])
def test_go_set_apart_is_a_skill(text, want):
    assert [tag for tag, _ in load_vocabulary().tags(text)] == want


# --- 8. Tags from front-matter categories quote the key --------------------------------------

def test_categories_tags_quote_the_key_as_evidence(tmp_path, capsys):
    meta, _, out = import_one(tmp_path, capsys, REVIEW / "jekyll-categories.md")
    assert meta["tags"][0] == "go" and "linux" in meta["tags"]
    line = next(line for line in out.split("\n") if line.strip().startswith("tags"))
    evidence = out.split("\n")[out.split("\n").index(line) + 1]
    assert "front matter `categories: ['golang', 'backend']`" in evidence
    assert not re.search(r"from:\s*$", out, re.M)


# --- 3. Plain-text and e-mail layouts --------------------------------------------------------

def test_title_company_and_place_on_the_first_lines(tmp_path, capsys):
    meta, body, out = import_one(tmp_path, capsys, REVIEW / "stacked-lines.txt")
    assert (meta["title"], meta["company"]) == ("Backend Engineer", "Stripe-like Inc.")
    assert meta["location"] == "San Francisco, CA" and meta["remote"] is True
    assert meta["remote_regions"] == ["US"]
    assert "Stripe-like Inc." not in body and "San Francisco" not in body
    assert "from: next to the title: Stripe-like Inc." in out


def test_forwarded_mail_title_loses_prefixes_and_its_remote_tail(tmp_path, capsys):
    meta, _, out = import_one(tmp_path, capsys, REVIEW / "forwarded-mail.txt")
    assert (meta["title"], meta["company"]) == ("Product Designer", "Lumen Labs")
    assert meta["remote"] is True and "remote_regions" not in meta
    assert "from: title: Product Designer at Lumen Labs — Remote 🌎" in out
    assert meta["employment_type"] == "contract"


def test_title_remote_tail_gives_regions_and_a_name_above_a_place_is_the_company(tmp_path, capsys):
    meta, body, _ = import_one(tmp_path, capsys, REVIEW / "title-remote-tail.txt")
    assert meta["title"] == "Senior Data Engineer" and meta["company"] == "Northwind"
    assert meta["location"] == "Berlin, Germany"
    assert meta["remote"] is True and meta["remote_regions"] == ["EU"]
    assert body.strip() == "You will build the pipelines behind our reporting."


def test_a_short_line_without_a_clear_pattern_is_no_company(tmp_path, capsys):
    meta, _, _ = import_one(tmp_path, capsys, REVIEW / "no-company.txt")
    assert meta["title"] == "Warehouse Lead" and "company" not in meta and meta["draft"] is True


def test_a_heading_like_line_above_a_place_is_no_company(tmp_path, capsys):
    meta, _, _ = import_one(tmp_path, capsys, REVIEW / "about-us-line.txt")
    assert "company" not in meta and meta["remote"] is True


def test_money_raised_is_no_salary_and_a_legal_name_is_the_company(tmp_path, capsys):
    meta, body, _ = import_one(tmp_path, capsys, REVIEW / "raised-money.txt")
    assert meta["company"] == "Pinecone Labs Ltd" and meta["location"] == "London, UK"
    assert "salary" not in meta and "draft" not in meta
    assert "## " not in body


# --- 6. Short field lines stay text in plain-text imports ------------------------------------

def test_field_lines_are_not_headings(tmp_path, capsys):
    _, body, _ = import_one(tmp_path, capsys, REVIEW / "stacked-lines.txt")
    assert "## What you will do" in body
    assert "## Permanent" not in body and "## Remote" not in body
    assert "\nPermanent, full time\n" in body and "\nRemote (US only)\n" in body


@pytest.mark.parametrize("line, heading", [
    ("Permanent, full time", False), ("Contract", False), ("Remote (US only)", False),
    ("Acme GmbH", False), ("Toronto, Canada", False),
    ("Full-time perks", True), ("Remote work at Acme", True), ("What you will do", True),
])
def test_which_bare_lines_become_headings(line, heading):
    from site_gen.importer.readers import text_to_markdown
    text = text_to_markdown([line, "", "Some text under it that runs on for a while."])
    assert text.startswith("## ") is heading


@pytest.mark.parametrize("raw, title, tail", [
    ("Fw: Backend Engineer", "Backend Engineer", None),
    ("Fwd: Job posting: Data Engineer (Remote, US only)", "Data Engineer", "Remote, US only"),
    ("Support Lead — Remote 🌎", "Support Lead", "Remote"),
    ("Remote Support Agent", "Remote Support Agent", None),
    ("Senior Engineer (Elixir)", "Senior Engineer (Elixir)", None),
])
def test_title_prefixes_and_remote_tails(raw, title, tail):
    assert fields.remote_tail(fields.clean_title(raw)) == (title, tail)
