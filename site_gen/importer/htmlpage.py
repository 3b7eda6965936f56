"""Read a careers web page: find the posting inside the site chrome and turn it into Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

from . import repair
from .readers import Document

#: Never part of a posting's text.
_JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "input", "select",
              "nav", "canvas", "video", "audio", "object", "embed", "link", "meta")
_JUNK_ROLES = {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"}
_JUNK_NAMES = re.compile(r"(?:^|[-_ ])(?:cookie|consent|gdpr|newsletter|share|sharing|social|breadcrumbs?|"
                         r"skip-link|navbar|menu|site-header|site-footer|related-jobs|similar-jobs|modal|popup)(?:$|[-_ ])", re.I)
_BLOCKS = ("p", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "dl")
_APPLY_TEXT = re.compile(r"\bapply\b|\bbewerben\b|\bpostuler\b|\bjetzt bewerben\b", re.I)


class _Converter(MarkdownConverter):
    """markdownify with the site's conventions: ATX headings, '-' bullets, no images."""

    def convert_img(self, el: Any, text: str, *args: Any, **kwargs: Any) -> str:
        return ""


def html_to_markdown(html: str) -> str:
    """Convert an HTML fragment to clean Markdown (headings, lists, links and emphasis kept)."""
    soup = BeautifulSoup(html, "html.parser")
    _drop_junk(soup)
    return _to_markdown(soup)


def _to_markdown(node: Any) -> str:
    text = _Converter(heading_style="ATX", bullets="-", escape_underscores=False, escape_misc=False,
                      strong_em_symbol="*", newline_style="BACKSLASH").convert_soup(node)
    return repair.repair_markdown(text)


def _drop_junk(soup: Any) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    junk = []
    for tag in soup.find_all(True):
        names = " ".join([tag.get("id") or ""] + list(tag.get("class") or []))
        if (tag.name in _JUNK_TAGS or (tag.get("role") or "").lower() in _JUNK_ROLES
                or (names.strip() and _JUNK_NAMES.search(names))):
            junk.append(tag)
    gone: set[int] = set()
    for tag in junk:  # document order: an ancestor comes before its descendants
        if not any(id(parent) in gone for parent in tag.parents):
            gone.add(id(tag))
    for tag in junk:
        if id(tag) in gone:
            tag.extract()


def _json_ld(soup: Any) -> dict[str, Any]:
    """Return the page's schema.org JobPosting, if it has one."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
                    return item
                stack.extend(v for k, v in item.items() if k == "@graph")
    return {}


def _meta_from_json_ld(job: dict[str, Any]) -> dict[str, Any]:
    """Map a JobPosting's properties to our front-matter keys."""
    meta: dict[str, Any] = {}
    for src, dst in (("title", "title"), ("datePosted", "date"), ("validThrough", "valid_through"),
                     ("employmentType", "employment_type")):
        if job.get(src):
            meta[dst] = job[src]
    org = job.get("hiringOrganization")
    if isinstance(org, dict):
        if org.get("name"):
            meta["company"] = org["name"]
        if org.get("sameAs") or org.get("url"):
            meta["company_url"] = org.get("sameAs") or org.get("url")
    elif isinstance(org, str):
        meta["company"] = org
    places = []
    for loc in _as_list(job.get("jobLocation")):
        address = loc.get("address") if isinstance(loc, dict) else None
        if isinstance(address, dict):
            country = address.get("addressCountry")
            country = country.get("name") if isinstance(country, dict) else country
            parts = [address.get("addressLocality"), address.get("addressRegion"), country]
            places.append(", ".join(str(p) for p in parts if p))
    if places:
        meta["location"] = places if len(places) > 1 else places[0]
    if str(job.get("jobLocationType", "")).upper() == "TELECOMMUTE":
        meta["remote"] = "yes"
    regions = [r.get("name") if isinstance(r, dict) else r for r in _as_list(job.get("applicantLocationRequirements"))]
    if any(regions):
        meta["remote_regions"] = [str(r) for r in regions if r]
    pay = job.get("baseSalary")
    if isinstance(pay, dict) and isinstance(pay.get("value"), dict):
        value = pay["value"]
        meta["salary"] = {"min": value.get("minValue", value.get("value")), "max": value.get("maxValue"),
                          "currency": pay.get("currency"), "period": value.get("unitText")}
    return meta


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _text_sizes(root: Any) -> dict[int, int]:
    """Characters of text outside links for every element, in one bottom-up pass (menus are mostly links)."""
    sizes: dict[int, int] = {}
    links: dict[int, int] = {}
    for node in reversed(list(root.descendants)):
        if isinstance(node, Tag):
            total = sum(sizes.get(id(c), 0) for c in node.children)
            linked = total if node.name == "a" else sum(links.get(id(c), 0) for c in node.children)
            sizes[id(node)], links[id(node)] = total, linked
        else:
            sizes[id(node)] = len(str(node).strip())
    return {key: sizes[key] - links.get(key, 0) for key in sizes}


def _pick_root(soup: Any) -> Any:
    """Choose the element holding the posting: <main>, <article>, or the smallest block with most of the text."""
    for finder in (lambda: soup.find_all("main"), lambda: soup.find_all(attrs={"role": "main"}),
                   lambda: soup.find_all("article")):
        found = [f for f in finder() if len(f.get_text(" ", strip=True)) > 200]
        if found:
            return max(found, key=lambda f: len(f.get_text(" ", strip=True)))
    node = soup.body or soup
    sizes = _text_sizes(node)
    total = sum(sizes.get(id(c), 0) for c in node.children)
    while True:
        children = [c for c in node.children if isinstance(c, Tag)]
        best = max(children, key=lambda c: sizes.get(id(c), 0), default=None)
        if best is None or sizes.get(id(best), 0) < 0.8 * total or best.name in _BLOCKS:
            return node  # a single paragraph is never the whole posting: keep its short neighbours
        node = best


def read_html(path: Path, text: str) -> Document:
    """Read a web page: metadata from JSON-LD and <meta>, the description from its content block."""
    soup = BeautifulSoup(text, "html.parser")
    job = _json_ld(soup)
    meta = _meta_from_json_ld(job)
    base = _base_url(soup)
    doc = Document(path, "HTML", "", meta=meta, meta_label="JSON-LD JobPosting" if job else "page metadata")
    apply_link = _apply_link(soup, base)
    if apply_link and "apply" not in meta:
        meta["apply"] = apply_link
    doc.meta_evidence = _hints(soup, meta)
    page_title = _page_title(soup)
    _drop_junk(soup)
    for anchor in soup.find_all("a", href=True):
        anchor["href"] = urljoin(base, anchor["href"]) if base else anchor["href"]
    heading = _title_element(soup, page_title)
    if heading is not None:
        doc.title = " ".join(heading.get_text(" ", strip=True).split())
        doc.title_evidence = f"<{heading.name}>{doc.title}</{heading.name}>"
        box = _header_box(heading)
        doc.header = [line for line in _short_lines(box) if line != doc.title] if box is not None else []
        (box if box is not None else heading).decompose()  # the job's header box: its facts go to extraction
    elif page_title:
        doc.title, doc.title_evidence = _split_title(page_title[0])[0], page_title[1]
    site = _site_name(soup, page_title, doc.title)
    if site and "company" not in meta:
        meta["company"] = site
        doc.meta_evidence["company"] = f"site name in {page_title[1] if page_title else 'og:site_name'}"
    site = _header_company(soup, page_title)
    if site and "company" not in meta:
        meta["company"] = site
        doc.meta_evidence["company"] = f"site header <h1>{site}</h1>, named in {page_title[1] if page_title else 'og:site_name'}"
    root = _pick_root(soup)
    for tag in root.find_all(["footer", "aside", "header"]):
        if not tag.find(_BLOCKS):
            doc.header.extend(_short_lines(tag))
        tag.decompose()
    doc.body = _to_markdown(root)
    if not doc.body.strip() and job.get("description"):
        doc.body = html_to_markdown(str(job["description"]))
    return doc


def _base_url(soup: Any) -> str:
    for tag, attr, cond in (("base", "href", {}), ("link", "href", {"rel": "canonical"}),
                            ("meta", "content", {"property": "og:url"})):
        found = soup.find(tag, attrs=cond)
        if found and str(found.get(attr, "")).startswith(("http://", "https://")):
            return str(found[attr])
    return ""


def _apply_link(soup: Any, base: str) -> str | None:
    """Find the page's apply link (an anchor whose text says "apply"), made absolute."""
    for anchor in soup.find_all("a", href=True):
        label = anchor.get_text(" ", strip=True) or anchor.get("aria-label", "") or anchor.get("title", "")
        href = str(anchor["href"]).strip()
        if _APPLY_TEXT.search(label) and not href.startswith(("#", "javascript:")):
            href = urljoin(base, href) if base else href
            if href.startswith(("http://", "https://", "mailto:")):
                return href
    return None


def _page_title(soup: Any) -> tuple[str, str] | None:
    og = soup.find("meta", attrs={"property": "og:title"})
    if og and og.get("content"):
        return " ".join(str(og["content"]).split()), f'<meta property="og:title" content="{og["content"]}">'
    if soup.title and soup.title.string:
        full = " ".join(soup.title.string.split())
        return full, f"<title>{full}</title>"
    return None


def _split_title(text: str) -> list[str]:
    """Split "Engineer | Acme Careers" into its parts."""
    return [part for part in re.split(r"\s+[|–—-]\s+|\s+at\s+(?=[A-Z])", text) if part.strip()]


def _title_element(soup: Any, page_title: tuple[str, str] | None) -> Any:
    """The job's <h1>: the one inside the posting's root or repeating the page title, not the site header's."""
    h1s = [h for h in soup.find_all("h1") if h.get_text(strip=True)]
    parts = {" ".join(p.split()).casefold() for p in _split_title(page_title[0])} if page_title else set()
    repeated = next((h for h in soup.find_all(["h2", "h3"]) if _text(h) in parts), None)
    if not h1s:
        return repeated
    root = _pick_root(soup)
    inside = [h for h in h1s if h is root or root in h.parents]
    if not inside and repeated is not None:
        return repeated  # the site header's <h1> names the site; the posting's own heading is an <h2>
    candidates = sorted(inside or h1s, key=lambda h: h.find_parent("header") is not None)  # stable: order kept
    return next((h for h in candidates if _text(h) in parts), candidates[0])


def _text(tag: Any) -> str:
    return " ".join(tag.get_text(" ", strip=True).split()).casefold()


def _header_company(soup: Any, page_title: tuple[str, str] | None) -> str | None:
    """A site-header <h1> that is not the job's and that the page title or og:site_name names too: the company."""
    og = soup.find("meta", attrs={"property": "og:site_name"})
    names = " ".join([page_title[0] if page_title else "", str(og.get("content", "")) if og else ""]).casefold()
    for h1 in soup.find_all("h1"):
        text = " ".join(h1.get_text(" ", strip=True).split())
        if text and len(text) <= 60 and text.casefold() in names:
            return text
    return None


def _site_name(soup: Any, page_title: tuple[str, str] | None, title: str | None) -> str | None:
    """The company a careers site names in og:site_name or its <title> ("Engineer | Acme Careers")."""
    og = soup.find("meta", attrs={"property": "og:site_name"})
    if og and og.get("content"):
        name = str(og["content"])
    elif page_title:
        others = [p for p in _split_title(page_title[0]) if p.casefold() != (title or "").casefold()]
        if len(others) != 1 or len(_split_title(page_title[0])) < 2:
            return None
        name = others[0]
    else:
        return None
    name = re.sub(r"\b(?:careers?|jobs?|karriere|stellenangebote|emplois?|hiring|is hiring)\b", "", name, flags=re.I)
    name = name.strip(" -–—|:·")
    return name or None


def _header_box(heading: Any) -> Any:
    """The small box around the title that holds the job's facts (place, type), if there is one."""
    parent = heading.parent
    if parent is None or parent.name in ("body", "main", "article", "[document]"):
        return None
    if len(parent.get_text(" ", strip=True)) > 400 or parent.find(["p", "ul", "ol"], recursive=True) and \
            len(parent.get_text(" ", strip=True)) > 200:
        return None
    return parent


_HINT_CLASSES = {"location": re.compile(r"(?:^|[-_ ])(?:job-?)?location(?:$|[-_ ])|joblocation", re.I),
                 "employment_type": re.compile(r"commitment|employment-?type|job-?type", re.I),
                 "salary": re.compile(r"salary|compensation", re.I),
                 "company": re.compile(r"company-?name|(?:^|[-_ ])employer(?:$|[-_ ])|hiringorganization", re.I)}


def _hints(soup: Any, meta: dict[str, Any]) -> dict[str, str]:
    """Read facts ATS pages mark up by class: <div class="location">, "commitment", "salary"."""
    evidence = {}
    for tag in soup.find_all(True):
        names = " ".join([tag.get("id") or "", tag.get("itemprop") or ""] + list(tag.get("class") or []))
        if not names.strip():
            continue
        text = " ".join(tag.get_text(" ", strip=True).split())
        for field, pattern in _HINT_CLASSES.items():
            if field not in meta and pattern.search(names) and 0 < len(text) <= 80 and not tag.find(_BLOCKS):
                meta[field] = re.sub(r"^(?:at|bei|chez)\s+", "", text) if field == "company" else text
                evidence[field] = f'<{tag.name} class="{" ".join(tag.get("class") or [])}">{text}</{tag.name}>'
    return evidence


def _short_lines(tag: Any) -> list[str]:
    text = tag.get_text("\n", strip=True)
    return [" ".join(line.split()) for line in text.split("\n") if 0 < len(line.strip()) <= 80]
