"""Format every Python block on the pages with ruff, in place (pages are the source).

python -m tools.commands.format_blocks           rewrite the pages' blocks, say which changed
python -m tools.commands.format_blocks --check   exit 1, naming each block, if any would change
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from tools.harness.pages import read_page
from tools.paths import DOCS, ROOT


def ruff_format(code: str, name: str) -> str:
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    result = subprocess.run(
        [ruff, "format", "--stdin-filename", f"snippets/{name}", "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"ruff could not format {name}:\n{result.stderr}")
    return result.stdout


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = []
    for path in sorted(DOCS.rglob("*.md")):
        page = read_page(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        for block in sorted(page.blocks, key=lambda b: b.line, reverse=True):
            formatted = ruff_format(block.code, block.name)
            if formatted != block.code:
                changed.append(f"{block.where}: {block.name} is not formatted")
                body = [
                    block.indent + line if line else ""
                    for line in formatted.rstrip("\n").split("\n")
                ]
                lines[block.line : block.end - 1] = body
        if not check and changed:
            path.write_text("\n".join(lines), encoding="utf-8")
    for line in reversed(changed):
        print(line + ("; run `make format`" if check else ": formatted"))
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
