"""The figures as the site shows them: the table on the page, the chart, stress.json."""

from __future__ import annotations

import html
import json
import re

from tools.paths import DOCS

ASSETS = DOCS / "assets" / "stress"
PAGE = DOCS / "across-processes.md"
# the page's markers (docs/across-processes.md); the command is tools/commands/stress.py
TABLE_START = (
    "<!-- make stress: table start (tools/commands/stress.py writes it from stress.json) -->"
)
TABLE_END = "<!-- make stress: table end -->"


def writers(row: dict) -> str:
    if row["threads"] > 1:
        return f"1 ({row['threads']} threads)"
    return str(row["processes"])


def table(data: dict) -> str:
    """The figures as a Markdown table (the page shows exactly this)."""
    lines = [
        "| Pattern | Backend | Processes | Operations | Lost | Retries | Throughput (ops/s) |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for r in data["rows"]:
        name = r["pattern"]
        lost = f"**{r['lost']:,}**" if r["lost"] else "0"
        lines.append(
            f"| {name} | {r['backend']} | {writers(r)} | {r['operations']:,} | {lost} "
            f"| {r['retries']:,} | {r['ops_per_s']:,} |"
        )
    return "\n".join(lines)


def dead_holder_text(data: dict) -> str:
    d = data["dead_holder"]
    if "skipped" in d:
        return f"The dead-holder measurement was skipped in this run: {d['skipped']}."
    short, default = d["short_keepalive"], d["default_keepalive"]

    def held(still: bool) -> str:
        return "still held its lock" if still else "had lost its lock"

    return (
        "Dead holders (every packet of their connections dropped, as for a crashed machine "
        f"or a cut network): with `tcp_keepalives_idle = {short[0]}`, "
        f"`tcp_keepalives_interval = {short[1]}`, `tcp_keepalives_count = {short[2]}`, the "
        f"lock could be taken {d['short_released_after_s']:.1f} s after the drop "
        f"(expected {d['short_expected_s']} s). At {d['observed_for_s']:.1f} s, the holder "
        f"on the server's defaults ({default[0]} s, {default[1]} s, {default[2]}: "
        f"{d['default_expected_s']:,} s) {held(d['default_still_held'])}, its server "
        f"socket's next keepalive probe due in {d['default_keepalive_timer']}; the holder "
        "with `client_connection_check_interval = 500ms` and the default keepalives "
        f"{held(d['check_interval_still_held'])}."
    )


def page_section(data: dict) -> str:
    machine = (
        f"{data['processes']} processes, {data['operations']:,} increments of one counter per "
        f"correct pattern ({data['wrong_operations']:,} per pattern that loses updates), on a "
        f"{data['cpus']}-core machine with a load average of {data['load_average']} when the "
        f"run started (PostgreSQL {data['postgresql']}, SQLite {data['sqlite']})."
    )
    return "\n\n".join([machine, table(data), dead_holder_text(data)])


def svg(data: dict) -> str:
    """A horizontal bar chart of throughput, each bar labelled with what it lost."""
    rows = data["rows"]
    width, left, top, row_h = 860, 20, 64, 46
    bar_left, bar_max = left, 560
    peak = max(r["ops_per_s"] for r in rows) or 1
    height = top + row_h * len(rows) + 40
    title = (
        f"make stress: throughput and lost updates, {data['processes']} writers, "
        f"{data['operations']:,} increments per correct pattern"
    )
    desc = "; ".join(
        f"{r['pattern']} on {r['backend']}: {r['ops_per_s']:,} operations per second, "
        f"{r['lost']:,} of {r['operations']:,} increments lost"
        for r in rows
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">',
        f'<title id="title">{html.escape(title)}</title>',
        f'<desc id="desc">{html.escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="28" font-size="17" font-weight="bold" fill="#1a1a1a">'
        f"{html.escape(title)}</text>",
        f'<text x="{left}" y="48" font-size="13" fill="#333333">Bar: operations per second '
        "(longer is faster). Blue: correct patterns. Red, hatched: patterns that lose "
        "updates.</text>",
        '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#b3261e"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>',
    ]
    for i, r in enumerate(rows):
        y = top + i * row_h
        label = f"{r['pattern']}, {r['backend']}"
        length = max(2, round(bar_max * r["ops_per_s"] / peak))
        fill = "#2f5fb3" if r["correct"] else "url(#hatch)"
        lost = f"lost {r['lost']:,} of {r['operations']:,}"
        out += [
            f'<text x="{left}" y="{y + 12}" font-size="13" fill="#1a1a1a">'
            f"{html.escape(label)}</text>",
            f'<rect x="{bar_left}" y="{y + 18}" width="{length}" height="16" fill="{fill}"/>',
            f'<text x="{bar_left + length + 8}" y="{y + 31}" font-size="13" '
            f'fill="{"#1a1a1a" if r["correct"] else "#8c1d18"}">'
            f"{r['ops_per_s']:,} ops/s, {lost}</text>",
        ]
    out.append("</svg>")
    return "\n".join(out) + "\n"


_SECTION = re.compile(re.escape(TABLE_START) + r"\n.*?\n" + re.escape(TABLE_END), re.S)


def page_with_section(page_text: str, data: dict) -> str:
    if not _SECTION.search(page_text):
        raise SystemExit(f"{PAGE.name} has no '{TABLE_START}' ... '{TABLE_END}' markers")
    return _SECTION.sub(
        lambda _: f"{TABLE_START}\n{page_section(data)}\n{TABLE_END}", page_text, count=1
    )


def page_section_now(page_text: str) -> str | None:
    """The section as the page has it now (for the drift test)."""
    match = _SECTION.search(page_text)
    return match.group(0) if match else None


def write(data: dict) -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    (ASSETS / "stress.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (ASSETS / "stress.svg").write_text(svg(data), encoding="utf-8")
    PAGE.write_text(page_with_section(PAGE.read_text(encoding="utf-8"), data), encoding="utf-8")
