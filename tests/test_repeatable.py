"""A demo that shows a lost update shows it every time: each forced-interleaving demo that
runs in this process is run 50 times and must print its documented output on every run.

(The multi-process demos repeat inside themselves: 50 forced rounds each.)
"""

import pytest

from tools.normalise import normalise
from tools.pages import DOCS, read_page
from tools.run import run_block

REPETITIONS = 50
LOST_UPDATE_DEMOS = {
    "thread-isolation.md": ["same_thread_race.py"],
    "race-conditions.md": ["last_write_wins.py"],
    "locking.md": ["external_no_lock.py"],
    "optimistic-concurrency.md": ["merge_preferences_race.py", "versioned_store_race.py"],
    "beyond-one-process.md": ["same_thread_savers.py", "same_thread_asyncio_nolock.py"],
}


def demos():
    for page, names in LOST_UPDATE_DEMOS.items():
        blocks = {b.name: b for b in read_page(DOCS / page).blocks}
        for name in names:
            yield pytest.param(blocks[name], id=f"{page}::{name}")


@pytest.mark.parametrize("block", list(demos()))
def test_lost_update_every_time(block):
    expected = normalise(block.output.text)
    outcomes = [run_block(block).output for _ in range(REPETITIONS)]
    differing = [i for i, out in enumerate(outcomes, 1) if out != expected]
    assert not differing, (
        f"{block.where}: {len(differing)} of {REPETITIONS} runs differed from the page "
        f"(first: run {differing[0]}):\n{outcomes[differing[0] - 1]}"
    )
