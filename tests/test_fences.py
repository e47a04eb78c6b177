"""The one reader of a page's fences (tools/harness/pages.py), tested on small fixture pages
(tests/fixtures/fences/), the way a lexer is tested: each fence is found at its line, with
the language and attributes the build gives it, however deep it sits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_claims import units
from tools.harness import pages
from tools.sitegen.diagrams import mermaid_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fences"
FENCE = "```"


def line_of(text: str, part: str) -> int:
    """The 1-based line where part (found exactly once in text) starts."""
    assert text.count(part) == 1, f"{part!r} is not in the fixture exactly once"
    return text[: text.index(part)].count("\n") + 1


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_fences_in_every_container_are_found_at_their_lines():
    text = fixture("containers.md")
    found = [(f.line, f.end, f.lang, f.attrs.get("title")) for f in pages.fences(text)]
    titled = [
        ("top.py", "```python", "```"),
        ("in_admonition.py", "    ```python", "    ```"),
        ("tildes_in_details.py", "    ~~~python", "    ~~~"),
        ("four_backticks.py", "    ````", "    ````"),
        ("in_tab.py", "    ```python", "    ```"),
        ("nested_in_both.py", "        ```python", "        ```"),
    ]
    last = line_of(text, 'title="last.py"')
    expected = []
    for title, _, closing in titled:
        line = line_of(text, f'title="{title}"')
        lines = text.split("\n")
        end = next(n for n in range(line + 1, len(lines) + 1) if lines[n - 1] == closing)
        expected.append((line, end, "python", title))
    mermaid = line_of(text, f"{FENCE}mermaid\nflow")
    expected.append((mermaid, mermaid + 3, "mermaid", None))
    expected.append((last, last + 2, "python", "last.py"))
    output = line_of(text, '~~~~text title="Output"')
    expected.append((output, output + 2, "text", "Output"))
    assert found == expected


def test_a_fence_keeps_its_content_and_its_page_indentation():
    text = fixture("containers.md")
    by_title = {f.attrs.get("title"): f for f in pages.fences(text)}
    nested = by_title["nested_in_both.py"]
    assert nested.content == 'print("in an admonition in a tab")\n'
    assert nested.indent == " " * 8
    assert "```mermaid\nnot a diagram" in by_title["four_backticks.py"].content


def test_read_page_gives_the_blocks_and_their_output_in_containers():
    page = pages.read_page(FIXTURES / "containers.md")
    assert [b.name for b in page.blocks] == [
        "top.py",
        "in_admonition.py",
        "tildes_in_details.py",
        "four_backticks.py",
        "in_tab.py",
        "nested_in_both.py",
        "last.py",
    ]
    assert [b.output is not None for b in page.blocks] == [False] * 6 + [True]
    assert page.blocks[-1].output.text == "after the containers\n"


def test_mermaid_lines_track_closing_fences():
    """A ```mermaid line inside a four-backtick fence is text, not a diagram."""
    text = fixture("containers.md")
    assert mermaid_lines(FIXTURES / "containers.md") == [line_of(text, f"{FENCE}mermaid\nflow")]


def test_code_is_not_prose_in_any_container():
    text = fixture("containers.md")
    prose = {n for unit in units(text) for n, _ in unit.lines}
    assert line_of(text, "not a diagram") not in prose
    assert line_of(text, 'print("in an admonition in a tab")') not in prose
    assert line_of(text, "Prose of the second tab.") in prose
    assert line_of(text, "Back at the top level.") in prose


def test_attributes_are_read_as_attr_list_reads_them():
    text = fixture("attributes.md")
    found = {f.attrs["title"]: (f.lang, f.attrs, f.problem) for f in pages.fences(text)}
    assert found["unquoted.py"] == ("python", {"title": "unquoted.py", "data-repeat": "50"}, None)
    assert found["single_quoted.py"][:2] == (
        "python",
        {"title": "single_quoted.py", "data-raises": "KeyError"},
    )
    assert found["lang_before_brace.py"][:2] == (
        "python",
        {"title": "lang_before_brace.py", "data-needs": "postgres"},
    )
    assert found["plain.py"][:2] == ("py", {"title": "plain.py"})
    assert found["uses.py"][0] == "python3"
    assert all(problem is None for _, _, problem in found.values())


def test_blocks_carry_their_attributes():
    page = pages._blocks(FIXTURES / "attributes.md", fixture("attributes.md"))
    by_name = {b.name: b for b in page}
    assert by_name["unquoted.py"].repeat == 50
    assert by_name["single_quoted.py"].raises == "KeyError"
    assert by_name["lang_before_brace.py"].needs == {"postgres"}
    assert by_name["uses.py"].uses == ["other/forcing.py"]
    assert by_name["uses.py"].redefines == {"Counter", "Gate"}
    assert by_name["plain.py"].redefines == set()


def write(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / name).write_text(text, encoding="utf-8")
    return docs / name


@pytest.mark.parametrize(
    "info, message",
    [
        ('python title="a.py" data-repeat="3"', "write them in the brace form"),
        ("python title=a.py", "write them in the brace form"),
        ('{ .python title="a.py" data-repeat= }', "attr_list cannot read '='"),
        ('{ .python title="a.py" data-repeat="three" }', 'data-repeat="three" is not a count'),
        ('{ .python title="a.py" data-needs="redis" }', "data-needs names redis"),
    ],
)
def test_what_the_build_cannot_read_is_refused_at_its_line(tmp_path, info, message):
    path = write(tmp_path, f"# P\n\nProse.\n\n{FENCE}{info}\nx = 1\n{FENCE}\n")
    with pytest.raises(pages.PageError) as error:
        pages.read_page(path)
    assert str(error.value).startswith("docs/page.md:5: ") or ":5: " in str(error.value)
    assert message in str(error.value)


def test_an_unclosed_fence_is_refused(tmp_path):
    path = write(tmp_path, f'# P\n\n!!! note\n\n    {FENCE}python title="a.py"\n    x = 1\n')
    with pytest.raises(pages.PageError, match=r"page\.md:5: this fence is never closed"):
        pages.read_page(path)


def test_a_fence_the_reader_cannot_see_is_refused(tmp_path):
    """A fence inside an HTML element is no fence to the build: it would never run."""
    path = write(tmp_path, f'# P\n\n<div>\n{FENCE}python title="a.py"\nx = 1\n{FENCE}\n</div>\n')
    with pytest.raises(pages.PageError, match=r"page\.md:4: a fence the harness does not see"):
        pages.read_page(path)


def test_the_config_block_of_the_agent_server_is_found_in_a_container(tmp_path):
    from tools.services.agent_server.files import _config_block

    path = write(
        tmp_path, '# P\n\n=== "Config"\n\n    ```json title="langgraph.json"\n    {}\n    ```\n'
    )
    assert _config_block(path) == (5, "{}\n")


def test_a_module_from_another_page_may_not_take_a_name_the_page_has(tmp_path):
    """One snippets/ folder per page: even unimported, the copy would overwrite the page's
    own file."""
    write(tmp_path, f'# One\n\n{FENCE}python title="helpers.py"\nANSWER = 42\n{FENCE}\n', "one.md")
    path = write(
        tmp_path,
        f'# P\n\n{FENCE}python title="helpers.py"\nANSWER = 1\n{FENCE}\n\n'
        f'{FENCE} {{ .python title="uses.py" data-uses="one/helpers.py" }}\nprint(1)\n{FENCE}\n',
    )
    with pytest.raises(pages.PageError, match=r"page\.md:7: uses\.py brings helpers\.py from "):
        pages.read_page(path)


def test_the_sandbox_does_not_preload_the_blocks_a_block_imports(tmp_path):
    from tools.harness.runner import imported_modules

    write(tmp_path, f'# One\n\n{FENCE}python title="gates.py"\nimport json\n{FENCE}\n', "one.md")
    path = write(
        tmp_path,
        f'# P\n\n{FENCE}python title="forcing.py"\nimport decimal\n{FENCE}\n\n'
        f'{FENCE} {{ .python title="later.py" data-uses="one/gates.py" }}\n'
        "import forcing\nimport gates\nimport fractions\n"
        f"{FENCE}\n",
    )
    later = pages.read_page(path).blocks[1]
    assert sorted(later.modules) == ["forcing.py", "gates.py"]
    assert imported_modules([later]) == ["fractions"]


def test_snippets_holds_a_copy_of_a_module_used_from_another_page(tmp_path, monkeypatch):
    from tools.commands import snippets

    docs, folder = tmp_path / "docs", tmp_path / "snippets"
    for module in (pages, snippets):
        monkeypatch.setattr(module, "DOCS", docs)
        monkeypatch.setattr(module, "SNIPPETS", folder)
    monkeypatch.setattr(snippets.notebook, "DOCS", docs)
    write(
        tmp_path,
        f'# One\n\nProse.\n\n{FENCE}python title="gates.py"\nGATE = 1\n{FENCE}\n',
        "one.md",
    )
    write(
        tmp_path,
        f'# P\n\n{FENCE} {{ .python title="later.py" data-uses="one/gates.py" }}\n'
        f"from gates import GATE\n{FENCE}\n",
        "two.md",
    )
    snippets.write()
    copy = (folder / "two" / "gates.py").read_text(encoding="utf-8")
    assert copy.split("\n")[1:] == ["GATE = 1", ""]
    assert copy.startswith("# Generated by `make snippets`: a copy of the block at ")
    assert "docs/one.md:5 (data-uses)" in copy.split("\n")[0]
    assert (folder / "one" / "gates.py").exists() and (folder / "two" / "later.py").exists()
    assert snippets.problems() == []
    write(
        tmp_path,
        f'# One\n\nProse.\n\n{FENCE}python title="gates.py"\nGATE = 2\n{FENCE}\n',
        "one.md",
    )
    stale = snippets.problems()
    assert len(stale) == 2 and any("two/gates.py: differs from its block at" in p for p in stale)


def test_modules_that_import_each_other_are_each_beside_the_other(tmp_path):
    path = write(
        tmp_path,
        f'# P\n\n{FENCE}python title="a.py"\nimport b\n{FENCE}\n\n'
        f'{FENCE}python title="b.py"\nimport a\n{FENCE}\n',
    )
    a, b = pages.read_page(path).blocks
    assert list(a.modules) == ["b.py"] and list(b.modules) == ["a.py"]


def test_the_reader_agrees_with_the_build_on_every_attribute():
    """Each fence of the fixture, rendered by the build's own extensions: the title it
    shows and the data- attributes it keeps are the ones the reader gives."""
    import markdown

    text = fixture("attributes.md")
    lines = text.split("\n")
    for fence in pages.fences(text):
        source = "\n".join(lines[fence.line - 1 : fence.end])
        html = markdown.markdown(
            source, extensions=["attr_list", "pymdownx.superfences", "pymdownx.highlight"]
        )
        assert f'<span class="filename">{fence.attrs["title"]}</span>' in html, html
        for key, value in fence.attrs.items():
            if key.startswith("data-"):
                assert f'{key}="{value}"' in html, (key, html)
