"""Site settings: defaults here, then ``content/site.yaml``, then command-line flags."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem
from .load import parse_yaml


DEFAULT_BASE_URL = "http://localhost:8000"


@dataclass(frozen=True)
class SiteConfig:
    """Every setting a board owner can change, with its default."""

    title: str = "Job Board"  #: site name, shown in the header and page titles
    description: str = "Open positions, updated daily."  #: meta description of the home page
    base_url: str = DEFAULT_BASE_URL  #: absolute URL of the deployed site (canonical links, feeds, sitemap);
    #: when site.yaml does not set it, Netlify's ``URL`` environment variable is used
    language: str = "en"  #: the ``lang`` attribute of every page
    per_page: int = 20  #: postings per listing page
    theme: str = "default"  #: folder under ``site_gen/themes/`` or the project's ``themes/``
    tag_aliases: dict[str, str] = field(default_factory=dict)  #: e.g. ``{golang: go}``
    location_aliases: dict[str, str] = field(default_factory=dict)  #: e.g. ``{Berlin: "Berlin, Germany"}``
    company_aliases: dict[str, str] = field(default_factory=dict)
    logo: str | None = None  #: path under static/ or URL of the header logo
    accent_color: str | None = None  #: links and buttons, e.g. "#2459d6" (default: the theme's own)
    nav: tuple[dict[str, str], ...] = ()  #: extra header links: ``[{title: About, url: /about/}]``
    footer_text: str = ""  #: plain text under every page
    post_job_url: str | None = None  #: the "Post a job" link (URL or mailto:)
    feed_size: int = 50  #: entries per feed
    exchange_rates: dict[str, float] = field(default_factory=dict)  #: value of one unit of each currency in a
    #: common unit (e.g. ``{USD: 1, EUR: 1.08}``), for sorting listings by salary across currencies
    max_file_bytes: int = 10_000_000  #: postings larger than this are refused
    # Set by the command line, not site.yaml:
    content_dir: str = "content"
    out_dir: str = "public"
    project_dir: str = "."  #: where templates/, static/ and themes/ live (default: the content folder's parent)
    drafts: bool = False  #: publish drafts (preview)
    now: dt.date = field(default_factory=dt.date.today)  #: the build's "today" (expiry)

    @cached_property
    def folded_aliases(self) -> dict[str, dict[str, str]]:
        """Tag, location and company aliases keyed by cleaned, case-folded name (made once, not per posting)."""
        from .urls import strip_invisible

        return {kind: {strip_invisible(k).casefold(): strip_invisible(v) for k, v in aliases.items()}
                for kind, aliases in (("tag", self.tag_aliases), ("location", self.location_aliases),
                                      ("company", self.company_aliases))}

    @property
    def root_url(self) -> str:
        return self.base_url.rstrip("/")

    def absolute(self, path: str) -> str:
        """Turn a site path such as ``/jobs/x/`` into an absolute URL."""
        return self.root_url + path


_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")

#: Keys of site.yaml and their expected types (checked, with a message naming the key).
_YAML_KEYS = {
    "title": str, "description": str, "base_url": str, "language": str, "per_page": int,
    "theme": str, "tag_aliases": dict, "location_aliases": dict, "company_aliases": dict,
    "logo": str, "accent_color": str, "nav": list, "footer_text": str, "post_job_url": str,
    "feed_size": int, "max_file_bytes": int, "exchange_rates": dict,
}


def default_now() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def load_config(content_dir: str | Path = "content", **overrides: Any) -> SiteConfig:
    """Read ``<content_dir>/site.yaml`` (optional) over the defaults, then apply overrides."""
    content_dir = Path(content_dir)
    path = content_dir / "site.yaml"
    settings: dict[str, Any] = {}
    if path.is_file():
        shown = path.as_posix()
        try:
            data = parse_yaml(path.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ContentError(Problem(shown, "", f"not valid YAML: {exc}")) from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ContentError(Problem(shown, "", "must be a mapping of settings"))
        problems = []
        for key, value in data.items():
            expected = _YAML_KEYS.get(key)
            if expected is None:
                problems.append(Problem(shown, str(key), "unknown setting",
                                        "known: " + ", ".join(sorted(_YAML_KEYS))))
            elif value is None:
                continue
            elif expected is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                problems.append(Problem(shown, key, "must be a positive whole number"))
            elif expected is not int and not isinstance(value, expected):
                problems.append(Problem(shown, key, f"must be a {expected.__name__}"))
            elif key == "accent_color" and not _COLOR.match(value):
                problems.append(Problem(shown, key, f"{value!r} is not a colour", 'write it as "#rrggbb", e.g. "#2459d6"'))
            elif key == "exchange_rates":
                bad = [k for k, v in value.items() if not (isinstance(k, str) and len(k) == 3 and k.isalpha())
                       or isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < 1e9]
                if bad:
                    problems.append(Problem(shown, f"exchange_rates.{bad[0]}", "needs a three-letter currency code "
                                            "and a positive number", "e.g. exchange_rates: {USD: 1, EUR: 1.08}"))
                else:
                    settings[key] = {k.upper(): float(v) for k, v in value.items()}
            elif key.endswith("_aliases"):
                settings[key] = {str(k): str(v) for k, v in value.items()}
            elif key == "nav":
                items = []
                for item in value:
                    if not (isinstance(item, dict) and {"title", "url"} <= item.keys()):
                        problems.append(Problem(shown, "nav", "each entry needs a title and a url"))
                        break
                    items.append({"title": str(item["title"]), "url": str(item["url"])})
                settings["nav"] = tuple(items)
            else:
                settings[key] = value
        if problems:
            raise ContentError(problems)
    if "base_url" not in settings and os.environ.get("URL", "").startswith(("http://", "https://")):
        settings["base_url"] = os.environ["URL"]  # Netlify sets URL to the site's main address during builds
    known = {f.name for f in fields(SiteConfig)}
    settings.update({k: v for k, v in overrides.items() if k in known and v is not None})
    settings["content_dir"] = str(content_dir)
    settings.setdefault("project_dir", str(content_dir.parent))
    return replace(SiteConfig(), **settings)
