"""The one place where run-to-run noise is taken out of a snippet's output.

A documented output shows these placeholders where a real run prints a value
that changes from run to run.
"""

import re

RULES: list[tuple[re.Pattern[str], str]] = [
    # UUIDs (checkpoint ids, run ids)
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    # memory addresses in reprs: <Foo object at 0x7f3a...>
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x…"),
    # ISO-8601 timestamps
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?"), "<timestamp>"),
]


def normalise(text: str) -> str:
    for pattern, placeholder in RULES:
        text = pattern.sub(placeholder, text)
    # trailing spaces are invisible on a page; a final newline is not shown
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))
