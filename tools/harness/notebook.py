"""The exercise notebook: executed afresh, compared cell by cell, and turned into a script.

    python -m tools.harness.notebook            execute every notebook, compare stored outputs
    python -m tools.harness.notebook --update   execute, store fresh outputs, say what changed

The site build never executes notebooks (mkdocs-jupyter renders the stored outputs); the
tests do. Cells tagged ``notebook-only`` (rich displays) are left out of the script version;
a cell may raise only if it is tagged ``raises-exception``, as in Jupyter.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools.harness.normalise import normalise
from tools.paths import DOCS, ROOT, SNIPPETS, rel

NOTEBOOK_ONLY = "notebook-only"
TIMEOUT_SECONDS = 120


def notebooks() -> list[Path]:
    return sorted(DOCS.rglob("*.ipynb"))


def script_path(notebook: Path) -> Path:
    return SNIPPETS / notebook.relative_to(DOCS).with_suffix("") / (notebook.stem + ".py")


def code_cells(nb) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(nb.cells, 1) if c.cell_type == "code"]


def script(notebook: Path) -> str:
    """The notebook's code cells as one runnable script (notebook-only cells left out)."""
    nb = nbformat.read(notebook, as_version=4)
    parts = [
        cell.source.strip("\n")
        for _, cell in code_cells(nb)
        if NOTEBOOK_ONLY not in cell.metadata.get("tags", [])
    ]
    header = f"# From {rel(notebook)}. Edit the notebook, then run `make snippets`.\n"
    return header + "\n\n\n".join(parts) + "\n"


def output_text(cell) -> str:
    """A code cell's outputs as the text the comparison sees."""
    chunks = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            chunks.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            text = data.get("text/markdown") or data.get("text/plain") or ""
            chunks.append(text if text.endswith("\n") else text + "\n")
        elif out.output_type == "error":
            chunks.append(f"{out.ename}: {out.evalue}\n")
    return normalise("".join(chunks))


def execute(notebook: Path):
    nb = nbformat.read(notebook, as_version=4)
    km = KernelManager(kernel_name="python3", transport="ipc")  # a local socket, no TCP
    client = NotebookClient(
        nb,
        km=km,
        timeout=TIMEOUT_SECONDS,
        allow_errors=False,  # a cell raises only if tagged raises-exception
        resources={"metadata": {"path": str(ROOT)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        index = next(
            (
                i
                for i, c in code_cells(nb)
                if any(o.output_type == "error" for o in c.get("outputs", []))
            ),
            None,
        )
        where = cell_label(notebook, index, nb.cells[index - 1]) if index else rel(notebook)
        raise NotebookError(
            f"{where}: raised {error.ename}: {error.evalue}\n"
            "(a cell may raise only if it is tagged raises-exception)"
        ) from None
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return nb


class NotebookError(Exception):
    """A cell raised unexpectedly; the message names the notebook and cell."""


def cell_label(notebook: Path, index: int, cell) -> str:
    first = next((line for line in cell.source.split("\n") if line.strip()), "")
    return f"{rel(notebook)}: cell {index} (starts `{first[:60]}`)"


def differences(notebook: Path, stored, fresh) -> list[str]:
    """One report per code cell whose fresh output differs from the stored one."""
    reports = []
    for (index, old), (_, new) in zip(code_cells(stored), code_cells(fresh), strict=True):
        want, got = output_text(old), output_text(new)
        if want != got:
            diff = "\n".join(
                difflib.unified_diff(
                    want.split("\n"),
                    got.split("\n"),
                    f"{rel(notebook)} cell {index} (stored output)",
                    f"cell {index} (fresh run)",
                    lineterm="",
                )
            )
            reports.append(f"{cell_label(notebook, index, old)}: output differs\n{diff}")
    return reports


def store(notebook: Path, fresh) -> None:
    """Save fresh outputs with stable execution counts and no run-specific metadata."""
    for n, (_, cell) in enumerate(code_cells(fresh), 1):
        cell.execution_count = n
        cell.metadata.pop("execution", None)
        for out in cell.outputs:
            if "execution_count" in out:
                out.execution_count = n
    nbformat.write(fresh, notebook)


def main(argv: list[str]) -> int:
    update = "--update" in argv
    status = 0
    for notebook in notebooks():
        stored = nbformat.read(notebook, as_version=4)
        try:
            fresh = execute(notebook)
        except NotebookError as error:
            print(error)
            status = 1
            continue
        reports = differences(notebook, stored, fresh)
        for report in reports:
            print(report)
        if update:
            store(notebook, fresh)
            print(f"{rel(notebook)}: stored fresh outputs ({len(reports)} cells changed)")
        elif reports:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
