"""Company pages: group postings by normalised company name and read optional profiles.

A profile is ``content/companies/<slug>.md``: front matter ``name``, ``website``, ``logo``
(all optional) and a Markdown description. Companies without a profile still get a page.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .load import read_source
from .model import Posting, Term
from .urls import slugify, strip_invisible

PROFILE_KEYS = ("name", "website", "logo")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class CompanyProfile:
    """What a board owner wrote about a company; every field is optional."""

    slug: str  #: file name without ``.md``: the company page's slug
    source: str  #: path of the profile file (for messages)
    name: str | None = None  #: display name, overriding the postings' spelling
    website: str | None = None  #: http(s) URL
    logo: str | None = None  #: http(s) URL, or a path under ``static/`` such as ``logos/acme.svg``
    description_html: str = ""  #: rendered and sanitised Markdown: safe to emit


def company_name(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Normalise a company name like a tag: invisible characters out, ``company_aliases`` applied."""
    clean = strip_invisible(name)
    if aliases:
        folded = {strip_invisible(k).casefold(): v for k, v in aliases.items()}
        clean = strip_invisible(aliases.get(clean, folded.get(clean.casefold(), clean)))
    return clean


def company_slug(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Return the slug of ``/companies/<slug>/``: "Acme GmbH" and "ACME GmbH" share one page."""
    return slugify(company_name(name, aliases), "company")


def company_terms(postings: Iterable[Posting], aliases: Mapping[str, str] | None = None,
                  profiles: Mapping[str, CompanyProfile] | None = None) -> list[Term]:
    """Group postings into one ``Term(kind="company")`` per company, sorted by slug.

    Postings keep the order they are given in (pass them newest first). The display name is the
    profile's ``name``, else the spelling most postings use (ties: alphabetically first).
    """
    groups: dict[str, list[Posting]] = {}
    spellings: dict[str, Counter[str]] = {}
    for posting in postings:
        name = company_name(posting.company, aliases)
        slug = slugify(name, "company")
        groups.setdefault(slug, []).append(posting)
        spellings.setdefault(slug, Counter())[name] += 1
    terms = []
    for slug in sorted(groups):
        profile = (profiles or {}).get(slug)
        counts = spellings[slug]
        name = (profile and profile.name) or min(counts, key=lambda n: (-counts[n], n))
        terms.append(Term(kind="company", name=name, slug=slug, postings=tuple(groups[slug])))
    return terms


def _default_renderer() -> Callable[[str], str]:
    from .markup import render_markdown  # the lead's sanitising renderer; imported when first needed
    return render_markdown


def load_profiles(content_dir: str | Path, render_markdown: Callable[[str], str] | None = None,
                  max_bytes: int = 1_000_000) -> dict[str, CompanyProfile]:
    """Read every ``<content_dir>/companies/*.md``; raise ``ContentError`` listing every bad field."""
    folder = Path(content_dir) / "companies"
    if not folder.is_dir():
        return {}
    render = render_markdown or _default_renderer()
    profiles: dict[str, CompanyProfile] = {}
    problems: list[Problem] = []
    root = Path(content_dir).resolve()
    for path in sorted(folder.glob("*.md")):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(Problem(path.name, "", "symlink points outside the content folder; not followed"))
            continue
        profile, found = _read_profile(path, Path(content_dir).parent, render, max_bytes)
        problems += found
        if profile:
            profiles[profile.slug] = profile
    if problems:
        raise ContentError(problems)
    return profiles


def profiles_key(content_dir: str | Path) -> str:
    """Hash every profile file, so that a rebuild notices an edited company profile."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted((Path(content_dir) / "companies").glob("*.md")):
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            pass  # load_profiles reports it
    return h.hexdigest()


def _read_profile(path: Path, root: Path, render: Callable[[str], str],
                  max_bytes: int) -> tuple[CompanyProfile | None, list[Problem]]:
    source = read_source(path, max_bytes, root)  # the postings' reader: encodings, size, YAML limits
    if isinstance(source, Problem):
        return None, [source]
    shown = source.path
    problems = []
    if slugify(path.stem, "company") != path.stem:
        problems.append(Problem(shown, "", f"the file name must be the company's slug, "
                                           f"{slugify(path.stem, 'company')}.md", "rename the file"))
    meta = source.meta
    for key in sorted(set(map(str, meta)) - set(PROFILE_KEYS)):
        problems.append(Problem(shown, key, "unknown field", "known: " + ", ".join(PROFILE_KEYS)))
    values: dict[str, str | None] = {}
    for key in PROFILE_KEYS:
        value = meta.get(key)
        if value is None:
            values[key] = None
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(shown, key, "must be a non-empty text"))
        else:
            values[key] = value.strip()
    if values.get("website") and not _URL.match(values["website"] or ""):
        problems.append(Problem(shown, "website", f"{values['website']!r} is not an http(s) URL",
                                "write it in full, e.g. https://example.com"))
    logo = values.get("logo")
    if logo and not _URL.match(logo):
        logo = logo.lstrip("/")
        if not logo or ".." in logo.split("/") or ":" in logo or "\\" in logo:
            problems.append(Problem(shown, "logo", f"{values['logo']!r} is neither an http(s) URL nor a file in static/",
                                    "put the image in static/ and write its path there, e.g. logos/acme.svg"))
    if problems:
        return None, problems
    name = strip_invisible(values["name"]) if values["name"] else None
    return CompanyProfile(slug=path.stem, source=shown, name=name, website=values["website"],
                          logo=logo, description_html=render(source.body) if source.body.strip() else ""), []


def missing_logos(profiles: Mapping[str, CompanyProfile], static_urls: Mapping[str, str]) -> list[Problem]:
    """Name every profile whose ``logo`` is a static file that does not exist."""
    return [Problem(p.source, "logo", f"there is no file static/{p.logo}",
                    "put the image in the project's static/ folder, or give an http(s) URL")
            for _, p in sorted(profiles.items()) if p.logo and not _URL.match(p.logo) and p.logo not in static_urls]


def unused_profiles(profiles: Mapping[str, CompanyProfile], terms: Iterable[Term]) -> list[Problem]:
    """Warn about profiles that match no company with open postings (usually a misspelt file name)."""
    used = {term.slug for term in terms}
    return [Problem(p.source, "", "no open posting names this company, so no page is built",
                    f"the file name must be the slug of the postings' `company:`; known: {', '.join(sorted(used)[:5])}")
            for slug, p in sorted(profiles.items()) if slug not in used]
