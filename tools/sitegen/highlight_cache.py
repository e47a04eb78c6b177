"""Highlighted code kept in memory between `make serve` rebuilds.

Pygments is about a third of a rebuild, and a save changes one page: the other blocks come
out the same. pymdownx.highlight (which SuperFences calls for every fence) highlights with
``pygments.highlight(src, lexer, formatter)``, a pure function of the source, the lexer's
options and the formatter's options; this adapter puts a memo in front of it. The hooks
(tools/sitegen/hooks.py, on_config) install it once per process: `mkdocs build` highlights
each block once as before, `make serve` highlights a block again only when it changes.

pymdownx has no extension point for this, so the adapter reaches one name inside it,
``pymdownx.highlight.highlight``; ``install`` refuses with a clear message if that name is
no longer Pygments' function (tests/test_build_hooks.py checks it on every run).

The same adapter makes the markup lighter. Pygments wraps every name and every run of
whitespace in a span; the theme draws both in the code's own colour, so those spans change
nothing on screen but make up about a third of a code-heavy page's elements, and a phone's
browser pays for each in style and layout. They are unwrapped; their text stays as it was.
"""

from __future__ import annotations

import re

import pygments
import pymdownx.highlight

LIMIT = 5000  # entries; a long serve session starts over past it


class PluginChanged(RuntimeError):
    pass


_memo: dict[tuple, str] = {}

# a name or whitespace token: drawn in the code's colour (the theme's --md-code-hl-name-color
# is --md-code-fg-color), so the span adds an element and no colour
_PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def lighter(markup: str) -> str:
    """Pygments' HTML without the spans that leave text in the code's own colour."""
    return _PLAIN_TOKEN.sub(r"\1", markup)


def _key(code: str, lexer, formatter) -> tuple:
    return (
        code,
        type(lexer),
        repr(sorted(lexer.options.items())),
        type(formatter),
        repr(sorted(formatter.options.items())),
    )


def highlight(code: str, lexer, formatter, outfile=None):
    """pygments.highlight, remembered for the same source and options."""
    if outfile is not None:
        return pygments.highlight(code, lexer, formatter, outfile)
    key = _key(code, lexer, formatter)
    found = _memo.get(key)
    if found is None:
        if len(_memo) >= LIMIT:
            _memo.clear()
        found = _memo[key] = lighter(pygments.highlight(code, lexer, formatter))
    return found


def install() -> None:
    current = getattr(pymdownx.highlight, "highlight", None)
    if current is highlight:
        return
    if current is not pygments.highlight:
        raise PluginChanged(
            "pymdownx.highlight no longer calls pygments.highlight by that name "
            f"(found {current!r}): tools/sitegen/highlight_cache.py must follow the new "
            "pymdownx, or the hooks must stop installing it"
        )
    pymdownx.highlight.highlight = highlight
