"""The importer's parts: pay formats, the skill vocabulary, text repair, dates, plain-text structure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_gen import importer
from site_gen.importer import fields, repair
from site_gen.importer.readers import text_to_markdown
from site_gen.importer.salary import find_pay
from site_gen.importer.skills import load_vocabulary


@pytest.mark.parametrize("line, labelled, want", [
    ("The base salary range for this full-time position is between USD $51,850 to $171,450.", False,
     (51850, 171450, "USD", "year")),
    ("Salary: €60k–80k", True, (60000, 80000, "EUR", "year")),
    ("£45,000 - £55,000 per annum", False, (45000, 55000, "GBP", "year")),
    ("Rate: $50/hour", True, (50, None, "USD", "hour")),
    ("Gehalt: 60.000 € brutto/Jahr", True, (60000, None, "EUR", "year")),
    ("Salary: CHF 120'000", True, (120000, None, "CHF", "year")),
    ("CTC: ₹12 LPA", True, (1200000, None, "INR", "year")),
    ("₹12-18 LPA", False, (1200000, 1800000, "INR", "year")),
    ("up to $120k per year", False, (None, 120000, "USD", "year")),
    ("CAD $60,000 - $80,000 salary", False, (60000, 80000, "CAD", "year")),
    ("Day rate: 500 € per day", True, (500, None, "EUR", "day")),
    ("Salary: 45.000 - 55.000 EUR", True, (45000, 55000, "EUR", "year")),
    ("a salary of 3,000 EUR per month", False, (3000, None, "EUR", "month")),
    ("Pay: $25.50 an hour", True, (25.5, None, "USD", "hour")),
    ("Stipend: SEK 12 000 per month", True, (12000, None, "SEK", "month")),
])
def test_pay_formats(line, labelled, want):
    pay = find_pay(line, labelled=labelled)
    assert pay is not None, line
    assert (pay.min, pay.max, pay.currency, pay.period) == want


@pytest.mark.parametrize("line, labelled", [
    ("We raised $5M in 2024 from great investors.", False),
    ("Salary: To Be Communicated", True),
    ("Competitive salary, stock options, unlimited PTO.", False),
    ("You'll be joining 280 engineers across Frontend and Backend.", False),
    ("Salary: 3,000", True),  # no currency: not guessed
])
def test_no_pay_is_invented(line, labelled):
    assert find_pay(line, labelled=labelled) is None


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


@pytest.mark.parametrize("text, want", [
    ("Familiarity with C++, C, Go, Rust, Haskell", ["c++", "c", "go", "rust", "haskell"]),
    ("Senior Backend Engineer (Erlang/Elixir, Go)", ["erlang", "elixir", "go"]),
    ("Let's go to the park and see if we can go live in C major.", []),
    ("Skills:\n- Go\n- R", ["go", "r"]),
    ("We react quickly; React and Nextjs on the front end", ["react", "next.js"]),
    ("Our DB is Postgres; we also use golang and k8s.", ["postgresql", "go", "kubernetes"]),
    ("C-level executives at the Go-to-market team", []),
    ("Experience with Ruby on Rails and React-based UIs", ["ruby on rails", "react"]),
    ("Node.js services, react-native apps", ["node.js", "react native"]),
])
def test_skills_are_found_only_where_they_are_meant(vocab, text, want):
    assert [tag for tag, _ in vocab.tags(text)] == want


def test_project_skills_file_adds_extends_and_removes(tmp_path, vocab):
    extra = tmp_path / "skills.yaml"
    extra.write_text("gleam: []\npostgresql: [pg]\nlinux: false\n", encoding="utf-8")
    local = load_vocabulary(extra)
    text = "We write Gleam on Linux against pg."
    assert [t for t, _ in local.tags(text)] == ["gleam", "postgresql"]
    assert [t for t, _ in vocab.tags(text)] == ["linux"]


def test_project_skills_file_beside_the_target_folder_is_used(tmp_path, capsys):
    content = tmp_path / "content"
    (content / "jobs").mkdir(parents=True)
    (content / "skills.yaml").write_text("gleam: [gleam lang]\n", encoding="utf-8")
    source = tmp_path / "job.md"
    source.write_text("# Gleam Developer\n\n**Company**: Lucy Co\n\nWe write Gleam.\n", encoding="utf-8")
    assert importer.main([str(source), "--into", str(content / "jobs"), "--today", "2026-11-22"]) == 0
    assert "tags: [gleam]" in (content / "jobs" / "gleam-developer.md").read_text(encoding="utf-8")


def test_broken_skills_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "skills.yaml"
    bad.write_text("gleam: [unclosed\n", encoding="utf-8")
    code = importer.main([str(Path(__file__)), "--into", str(tmp_path / "jobs"), "--skills", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "skills.yaml: not valid YAML" in err


@pytest.mark.parametrize("damaged, fixed", [
    ("Complex challenges â€” solving them", "Complex challenges — solving them"),
    ("#### ðŸŒŽ Remote-Africa", "#### 🌎 Remote-Africa"),
    ("the teamâ€™s domain", "the team’s domain"),
    ("Caf\u00c3\u00a9 M\u00c3\u00bcller", "Café Müller"),
    ("zero\u200bwidth\ufeff and\u00a0nbsp", "zerowidth and nbsp"),
])
def test_text_damage_is_repaired(damaged, fixed):
    assert repair.fix_text(damaged) == fixed


def test_entities_are_decoded_but_markup_stays_text():
    assert repair.unescape_entities("Tom &amp;amp; Jerry&nbsp;&#8212; &lt;b&gt;") == "Tom & Jerry — &lt;b&gt;"


def test_tracking_junk_goes_and_real_links_stay():
    text = ("Apply [here](https://x.example/a?utm_source=li&id=7&gclid=abc)\n"
            "Mail [us](mailto:a@x.example?subject=Back End Developer)\n\n#LI-DNP\nWe are #1 #LI-Remote\n")
    out = repair.repair_markdown(text)
    assert "(https://x.example/a?id=7)" in out
    assert "(mailto:a@x.example?subject=Back%20End%20Developer)" in out
    assert "#LI-" not in out and "We are #1" in out


def test_apply_boilerplate_stays_only_as_a_real_link():
    text = ("Intro.\n\n**CLICK TO APPLY**\n\n## CLICK TO [APPLY](https://x.example/apply)\n\nApply now!\n\n"
            "## Apply here\n\nApply here:\nhttps://x.example/form\n")
    out = repair.repair_markdown(text)
    assert out == ("Intro.\n\n## CLICK TO [APPLY](https://x.example/apply)\n\n"
                   "## Apply here\n\nApply here:\nhttps://x.example/form\n")


def test_markdown_layout_is_tidied():
    text = "## **What we offer**\n\n  * one\n  * two\n\n\n\n  1. first\n\n```\n  * code stays\n```\n"
    assert repair.tidy_markdown(text) == "## What we offer\n\n- one\n- two\n\n1. first\n\n```\n  * code stays\n```\n"


@pytest.mark.parametrize("value, want", [
    ("2016-10-20 01:23:45 MDT", dt.date(2016, 10, 20)),
    ("20.10.2016", dt.date(2016, 10, 20)),
    ("October 20, 2016", dt.date(2016, 10, 20)),
    ("20 Oct 2016", dt.date(2016, 10, 20)),
    ("2025-10-15T23:59", dt.date(2025, 10, 15)),
    ("3. März 2025", dt.date(2025, 3, 3)),
    ("soon", None),
])
def test_dates(value, want):
    assert fields.parse_date(value) == want


@pytest.mark.parametrize("value, places, mode, regions", [
    ("Berlin, Germany · Engineering", ["Berlin, Germany"], None, []),
    ("Remote (EU)", [], "yes", ["EU"]),
    ("London or Remote", ["London"], "yes", []),
    ("Lisbon, Portugal (hybrid: two office days a week)", ["Lisbon, Portugal"], "hybrid", []),
    ("Anywhere in the World", [], "yes", ["Worldwide"]),
    ("Berlin; Hamburg", ["Berlin", "Hamburg"], None, []),
])
def test_location_statements(value, places, mode, regions):
    assert fields.split_places(value) == (places, mode, regions)


def test_plain_text_structure():
    lines = ["Intro sentence that ends here.", "What you'll do", "- Code", "- Review",
             "Bonus points for", "- Docker", "Closing words, please apply."]
    assert text_to_markdown(lines) == ("Intro sentence that ends here.\n\n## What you'll do\n\n- Code\n- Review\n\n"
                                       "## Bonus points for\n\n- Docker\n\nClosing words, please apply.")


from hypothesis import given, settings, strategies as st  # noqa: E402

from site_gen.importer.report import posting_text  # noqa: E402

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)


@settings(max_examples=100, deadline=None)
@given(title=_text, company=_text, places=st.lists(_text, min_size=1, max_size=3), tags=st.lists(_text, max_size=4))
def test_written_front_matter_reads_back_unchanged(title, company, places, tags):
    meta = {"title": title, "company": company, "date": dt.date(2026, 11, 22), "location": places,
            "remote": "hybrid", "salary": {"min": 1, "max": 2.5, "currency": "EUR", "period": "hour"}, "tags": tags}
    text = posting_text(meta, "Body.")
    import yaml
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    assert yaml.safe_load(front) == meta
    assert list(yaml.safe_load(front)) == list(meta)


@pytest.mark.parametrize("company", ["\xa0%", "\xa0&", "\xa0'", "\u3000Acme", "Acme\xa0", " spaced "])
def test_values_with_unusual_spaces_are_written_so_they_read_back(company):
    """Found by the property test above: a leading no-break space before a YAML indicator broke the file."""
    import yaml

    from site_gen.importer.report import posting_text

    text = posting_text({"title": "Engineer", "company": company}, "Body.")
    assert yaml.safe_load(text.split("---")[1]) == {"title": "Engineer", "company": company}
