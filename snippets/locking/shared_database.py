# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
from typing import TypedDict


class SharedDatabase:
    """Stand-in for an external database reached over the network."""

    def __init__(self):
        self.rows: list[str] = []

    async def insert(self, new_rows: list[str]) -> None:
        rows = list(self.rows)  # read
        await asyncio.sleep(0)  # the network round trip: other coroutines run here
        self.rows = rows + new_rows  # write


class SearchState(TypedDict):
    results: list[str]
