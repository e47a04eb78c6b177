"""The built site is valid HTML by the Nu HTML Checker (vnu-jar from npm, run with Java).

Every error must come from the theme and be listed below with the reason it stays; the
project's own templates, hooks and diagrams add none.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from tools.paths import NODE_MODULES
from tools.services.ci import require

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors the theme's own templates make, each with the markup it is allowed on and why it
# stays. (An override would mean copying the theme's template to change one attribute.)
THEME_ERRORS = {
    # Material marks the checkboxes behind its drawer and search toggles autocomplete="off",
    # so Firefox does not restore them open on Back; HTML allows the attribute on text-like
    # inputs only. Browsers ignore it where it is not allowed.
    "Attribute “autocomplete” is only allowed when the input type is": re.compile(
        r'<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox"'
    ),
}


def vnu_problem() -> str | None:
    if not shutil.which("java"):
        return (
            "Java is missing: the Nu HTML Checker runs on it "
            "(Debian: apt-get install default-jre-headless)"
        )
    if not VNU.is_file():
        return f"{VNU} is missing: run `npm ci` (make install does)"
    return None


def from_the_theme(message: dict) -> bool:
    return any(
        message["message"].startswith(start) and markup.search(message.get("extract", ""))
        for start, markup in THEME_ERRORS.items()
    )


def test_every_page_is_valid_html(built_site):
    site, stderr, code = built_site
    assert code == 0, f"the site did not build:\n{stderr}"
    require(vnu_problem(), "Java or vnu")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(site),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), f"vnu did not run:\n{result.stderr[-2000:]}"
    messages = json.loads(result.stderr)["messages"]
    project = [m for m in messages if not from_the_theme(m)]
    assert not project, f"{len(project)} HTML errors:\n" + "\n".join(
        f"{m['url'].split(str(site))[-1]}:{m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()[:160]}"
        for m in project[:30]
    )
