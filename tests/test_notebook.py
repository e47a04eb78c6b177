"""The exercise notebook: executed afresh, every cell's output compared with the stored one."""

import nbformat
import pytest

from tools.harness import notebook
from tools.harness.runner import run_source
from tools.paths import rel

NOTEBOOKS = notebook.notebooks()


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: rel(p))
def executed(request):
    path = request.param
    return path, nbformat.read(path, as_version=4), notebook.execute(path)


def test_notebook_outputs_are_real(executed):
    path, stored, fresh = executed
    reports = notebook.differences(path, stored, fresh)
    assert not reports, "\n\n".join(reports) + "\nIf intended, run `make outputs`."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: rel(p))
def test_stored_outputs_have_no_unexpected_errors(path):
    """An error output is rendered on the site as it is: only cells meant to raise may have one."""
    nb = nbformat.read(path, as_version=4)
    bad = [
        notebook.cell_label(path, i, cell)
        for i, cell in notebook.code_cells(nb)
        if any(o.output_type == "error" for o in cell.outputs)
        and "raises-exception" not in cell.metadata.get("tags", [])
    ]
    assert not bad, f"stored error output in cells not tagged raises-exception: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: rel(p))
def test_script_prints_what_the_notebook_shows(path):
    """snippets/<notebook>.py prints the stream output of the notebook's cells, in order."""
    nb = nbformat.read(path, as_version=4)
    shown = "".join(
        out.text
        for _, cell in notebook.code_cells(nb)
        if notebook.NOTEBOOK_ONLY not in cell.metadata.get("tags", [])
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stdout"
    )
    script = notebook.script_path(path)
    run = run_source(script.read_text(encoding="utf-8"), rel(script), 0, script, rel(script))
    assert run.error is None, run.output
    assert run.output == notebook.normalise(shown)


def test_there_is_a_notebook():
    """Guards the parametrized tests above from silently running on nothing. (That each
    notebook's script exists and matches is tests/test_pages.py::test_snippets_in_sync.)"""
    assert NOTEBOOKS, "no notebook under docs/"
