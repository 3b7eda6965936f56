"""Company pages: names normalised like tags, optional profiles validated with file and field."""

import pytest

from site_gen.companies import company_slug, company_terms, load_profiles, unused_profiles
from site_gen.errors import ContentError
from geo_helpers import posting


def fake_markdown(text: str) -> str:
    return "<p>" + text.strip().replace("<", "&lt;") + "</p>"


def write(folder, name, text):
    path = folder / "companies" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_spellings_share_one_page_and_aliases_merge_names():
    jobs = [posting("a", company="Acme GmbH"), posting("b", company="ACME GmbH\u200b"), posting("c", company="Acme GmbH"),
            posting("d", company="Acme Berlin"), posting("e", company="Globex")]
    terms = company_terms(jobs, {"acme berlin": "Acme GmbH"})
    assert [(t.slug, t.name, [p.slug for p in t.postings]) for t in terms] == [
        ("acme-gmbh", "Acme GmbH", ["a", "b", "c", "d"]), ("globex", "Globex", ["e"])]
    assert terms[0].url == "/companies/acme-gmbh/"
    assert company_slug("ACME GmbH") == "acme-gmbh"


def test_profile_loaded_and_used_for_the_name(tmp_path):
    content = tmp_path / "content"
    write(content, "acme-gmbh.md", "---\nname: ACME\nwebsite: https://acme.example\nlogo: logos/acme.svg\n---\n"
                                   "We make **anvils**.\n")
    profiles = load_profiles(content, fake_markdown)
    profile = profiles["acme-gmbh"]
    assert (profile.name, profile.website, profile.logo) == ("ACME", "https://acme.example", "logos/acme.svg")
    assert profile.description_html == "<p>We make **anvils**.</p>"
    assert profile.source == "content/companies/acme-gmbh.md"
    terms = company_terms([posting("a", company="Acme GmbH"), posting("b", company="Initech")], profiles=profiles)
    assert [t.name for t in terms] == ["ACME", "Initech"]  # Initech has no profile and still gets a page


def test_no_companies_folder_means_no_profiles(tmp_path):
    assert load_profiles(tmp_path / "content", fake_markdown) == {}


def test_every_bad_field_is_reported_with_file_and_field(tmp_path):
    content = tmp_path / "content"
    write(content, "acme.md", "---\nwebsite: acme.example\nlogo: javascript:alert(1)\nceo: Wile\nname: 3\n---\nx\n")
    write(content, "Bad Name.md", "---\nname: Bad\n---\n")
    write(content, "broken.md", "---\nname: [unclosed\n---\n")
    with pytest.raises(ContentError) as info:
        load_profiles(content, fake_markdown)
    text = str(info.value)
    assert "content/companies/acme.md: website: 'acme.example' is not an http(s) URL" in text
    assert "content/companies/acme.md: logo: 'javascript:alert(1)' is neither an http(s) URL nor a file in static/" in text
    assert "content/companies/acme.md: ceo: unknown field (known: name, website, logo)" in text
    assert "content/companies/acme.md: name: must be a non-empty text" in text
    assert "content/companies/Bad Name.md: the file name must be the company's slug, bad-name.md" in text
    assert "content/companies/broken.md: front matter: invalid YAML" in text


def test_profile_without_postings_is_reported(tmp_path):
    content = tmp_path / "content"
    write(content, "acme-gmbh.md", "---\nname: ACME\n---\n")
    write(content, "acme-gmb.md", "---\nname: Typo\n---\n")
    profiles = load_profiles(content, fake_markdown)
    problems = unused_profiles(profiles, company_terms([posting("a", company="Acme GmbH")]))
    assert [p.path for p in problems] == ["content/companies/acme-gmb.md"]
    assert "no open posting names this company" in problems[0].message
