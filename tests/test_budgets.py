"""The site's reading budgets, measured as `make stats` measures them.

* the whole site: at most 55 minutes of prose at 230 words a minute (the reference pages
  count in the total);
* no lesson page over 8 minutes of prose (the reference pages are not lessons);
* no stretch of prose over 250 words without a heading, code block, table or diagram;
* no class or function shown in more than one block, unless the block that defines it
  again says so on its fence: ``data-redefines="Name"``. Graph nodes and entry points
  (``main``) are each demo's own and are not counted (see tools/commands/stats.py).

Each failure names the page, the figure and the budget; `make stats` shows them all.
"""

from __future__ import annotations

import pytest

from tools.commands import stats

SITE_MINUTES = 55
PAGE_MINUTES = 8
STRETCH_WORDS = 250
REFERENCE = {"map", "guarantees", "errata", "summary"}  # reference pages, not lessons

SITE = stats.measure(stats.site_pages())
LESSONS = [page for page in SITE.pages if page.name not in REFERENCE]


def over(message: str) -> None:
    """Fail with the message alone (the figures are in it)."""
    pytest.fail(message, pytrace=False)


def test_the_site_reads_in_at_most_55_minutes():
    total = SITE.total
    if total.minutes > SITE_MINUTES:
        over(
            f"the site has {total.prose:,} words of prose, {total.minutes:.1f} minutes at "
            f"{stats.WORDS_PER_MINUTE} words a minute: over its {SITE_MINUTES}-minute budget "
            f"({SITE_MINUTES * stats.WORDS_PER_MINUTE:,} words) by "
            f"{total.prose - SITE_MINUTES * stats.WORDS_PER_MINUTE:,} words; `make stats` "
            "gives each page's share"
        )


@pytest.mark.parametrize("page", LESSONS, ids=lambda page: page.name)
def test_no_lesson_page_over_8_minutes(page):
    if page.minutes > PAGE_MINUTES:
        over(
            f"{page.page}: {page.prose:,} words of prose, {page.minutes:.1f} minutes: over a "
            f"lesson page's {PAGE_MINUTES}-minute budget "
            f"({PAGE_MINUTES * stats.WORDS_PER_MINUTE:,} words)"
        )


@pytest.mark.parametrize("page", SITE.pages, ids=lambda page: page.name)
def test_no_stretch_of_prose_over_250_words(page):
    if page.stretch > STRETCH_WORDS:
        over(
            f"{page.stretch_at}: {page.stretch} words of prose without a heading, code block, "
            f"table or diagram (at most {STRETCH_WORDS})"
        )


@pytest.mark.parametrize("kind", ["class", "function"])
def test_no_helper_shown_in_more_than_one_block(kind):
    twice = [d for d in SITE.duplicates if d.kind == kind]
    lines = [f"{d.name}: {', '.join(d.places)}" for d in twice]
    if twice:
        over(
            f"{len(twice)} {'classes' if kind == 'class' else 'functions'} defined in more than "
            "one block (show a helper once and import it; a block that defines one again on "
            'purpose says so: data-redefines="Name"):\n  ' + "\n  ".join(lines)
        )


def test_every_block_parses():
    assert not SITE.unparsed, "blocks that are not valid Python:\n  " + "\n  ".join(SITE.unparsed)
