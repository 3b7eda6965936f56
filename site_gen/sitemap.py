"""sitemap.xml and robots.txt: how crawlers find every open posting and index page."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Mapping

from .config import SiteConfig

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_PATH = "/sitemap.xml"
#: sitemaps.org: "no more than 50,000 URLs"; past that a sitemap index is needed.
MAX_URLS = 50_000


def sitemap(urls: list[str], config: SiteConfig, lastmod: Mapping[str, dt.date] | None = None) -> str:
    """Return a sitemaps.org urlset of the given site paths, absolute and sorted.

    ``lastmod`` maps a site path to the day its page last changed (e.g. a posting's date).
    """
    lastmod = lastmod or {}
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in sorted(set(urls)):
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = path if path.startswith(("http://", "https://")) else config.absolute(path)
        if path in lastmod:
            ET.SubElement(url, "lastmod").text = lastmod[path].isoformat()
    ET.indent(urlset)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"


def sitemap_index(sitemap_urls: list[str], config: SiteConfig) -> str:
    """Return a sitemap index listing several sitemaps (for sites past ``MAX_URLS`` pages)."""
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for path in sitemap_urls:
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = config.absolute(path)
    ET.indent(index)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(index, encoding="unicode") + "\n"


def sitemap_files(urls: list[str], config: SiteConfig, lastmod: Mapping[str, dt.date] | None = None,
                  max_urls: int = MAX_URLS) -> dict[str, str]:
    """Map site paths to sitemap texts: one sitemap.xml, or an index of numbered parts when large."""
    paths = sorted(set(urls))
    if len(paths) <= max_urls:
        return {SITEMAP_PATH: sitemap(paths, config, lastmod)}
    parts = {f"/sitemap-{n + 1}.xml": paths[i:i + max_urls] for n, i in enumerate(range(0, len(paths), max_urls))}
    files = {path: sitemap(chunk, config, lastmod) for path, chunk in parts.items()}
    files[SITEMAP_PATH] = sitemap_index(list(parts), config)
    return files


def robots_txt(config: SiteConfig) -> str:
    """Allow every crawler everywhere and point it at the sitemap's absolute URL."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute(SITEMAP_PATH)}\n"
