""""More jobs like this": the postings sharing most tags with a page, newest first among equals."""

from __future__ import annotations

import heapq
from collections import Counter
from itertools import chain
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.enrich import _RELATED_POOL, RELATED, RelatedJobs
from site_gen.urls import slugify

TAGS = ["Python", "Go", "Rust", "SQL", "AWS", "React"]


def reference(listed, tags, posting):
    """The rule as first written: a Counter of shared pool entries, then heapq over (-count, rank)."""
    rank = {p.slug: i for i, p in enumerate(listed)}
    pools = {t.slug: [rank[p.slug] for p in t.postings[:_RELATED_POOL]] for t in tags}
    shared = Counter(chain.from_iterable(pools.get(slugify(tag, "tag"), ()) for tag in posting.tags))
    shared.pop(rank.get(posting.slug, -1), None)
    return tuple(listed[i] for _, i in heapq.nsmallest(RELATED, [(-count, i) for i, count in shared.items()]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TAGS), max_size=4, unique=True), min_size=1, max_size=40),
       st.integers(min_value=0, max_value=3))
def test_related_jobs_rank_by_shared_tags_then_newest(tag_lists, closed):
    pages = [SimpleNamespace(slug=f"job-{i}", tags=tuple(tags)) for i, tags in enumerate(tag_lists)]
    listed = pages[closed:]  # the first few are closed: they have pages but are not listed
    tags = [SimpleNamespace(slug=slugify(name, "tag"), postings=tuple(p for p in listed if name in p.tags))
            for name in TAGS]
    related = RelatedJobs(listed, tuple(tags), pages)
    for page in pages:
        assert related[page.slug] == reference(listed, tags, page)
        assert page not in related[page.slug]


def test_ties_go_to_the_newest_posting():
    pages = [SimpleNamespace(slug=f"job-{i}", tags=("Python", "Go")) for i in range(8)]
    tags = [SimpleNamespace(slug=slugify(name, "tag"), postings=tuple(pages)) for name in ("Python", "Go")]
    related = RelatedJobs(pages, tuple(tags), pages)
    assert [p.slug for p in related["job-3"]] == ["job-0", "job-1", "job-2", "job-4", "job-5"]
