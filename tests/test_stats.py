"""make stats, on small pages of our own: what it counts as prose, tables apart, the longest
stretch of prose and where it starts, long sentences, classes and functions shown in more
than one block, data-redefines, notebooks."""

from __future__ import annotations

import json
from pathlib import Path

from tools.commands import stats

FENCE = "```"


def page(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text.replace("~~~", FENCE), encoding="utf-8")
    return path


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def test_prose_is_paragraphs_lists_and_admonitions_not_headings_code_or_front_matter(tmp_path):
    path = page(
        tmp_path,
        "p.md",
        f"""---
description: {words(30, "front")}
---

# A heading of five words

One two three [four](https://example.com/not/counted "title") `five six`.

- seven eight
- nine

!!! note "An admonition title"

    ten eleven

<!-- a comment that is not prose -->

~~~python title="x.py"
print("not prose")
~~~

~~~text title="Output"
not prose
~~~
""",
    )
    site = stats.measure([path])
    (measured,) = site.pages
    # One two three four, the code span as one word; seven eight nine; ten eleven
    assert measured.prose == 10
    assert measured.tables == 0
    assert measured.blocks == 1
    assert measured.lines == 1
    assert site.total.prose == 10
    assert round(stats.WORDS_PER_MINUTE * measured.minutes) == 10


def test_tables_are_counted_apart_and_end_a_stretch(tmp_path):
    path = page(
        tmp_path,
        "p.md",
        f"""# Page

{words(10)}

| head one | head two |
|---|---|
| cell [link](x.md) | `code span` |

{words(20)}
""",
    )
    (measured,) = stats.measure([path]).pages
    assert measured.prose == 30
    assert measured.tables == 7  # head one, head two, cell link, the code span
    assert measured.stretch == 20
    assert measured.stretch_at.endswith("p.md:9")


def test_longest_stretch_found_with_its_line(tmp_path):
    path = page(
        tmp_path,
        "p.md",
        f"""# Page

{words(50)}

## Next

{words(100)}

{words(100)}

!!! note

    {words(60)}

~~~mermaid
flowchart LR
  a --> b
~~~

{words(200)}
""",
    )
    (measured,) = stats.measure([path]).pages
    assert measured.stretch == 260  # two paragraphs and the admonition, up to the diagram
    assert measured.stretch_at.endswith("p.md:7")
    assert measured.diagrams == 1
    assert measured.prose == 510


def test_long_sentences_with_their_lines(tmp_path):
    long = "Long " + words(44) + "."
    path = page(
        tmp_path,
        "p.md",
        f"# Page\n\nShort one. Short two, e.g. this.\n{long} Short again.\n\n- {words(40)}\n",
    )
    (measured,) = stats.measure([path]).pages
    assert [(s.where.rsplit(":", 1)[1], s.words) for s in measured.long_sentences] == [
        ("4", 45),
        ("6", 40),
    ]


def test_a_class_and_a_helper_shown_in_two_blocks_are_found(tmp_path):
    one = page(
        tmp_path,
        "one.md",
        """# One

~~~python title="a.py"
class ReadsFirst:
    def put(self):  # a method: not counted on its own
        pass


def lock_key(thread_id):
    def inner():  # nested functions count
        pass


def reply(state):  # a graph node: each demo has its own
    return state


def main():
    pass


builder.add_node("reply", reply)
~~~
""",
    )
    two = page(
        tmp_path,
        "two.md",
        """# Two

~~~python title="b.py"
def make():
    class ReadsFirst:  # nested classes count
        def put(self):
            pass

    def inner():
        pass


def lock_key(thread_id):
    pass


def reply(state):
    return state


def main():
    pass


builder.add_node(reply)
~~~
""",
    )
    site = stats.measure([one, two])
    twice = {(d.kind, d.name): [w.rsplit("/", 1)[1] for w in d.places] for d in site.duplicates}
    assert twice == {
        ("class", "ReadsFirst"): ["one.md:3", "two.md:3"],
        ("function", "lock_key"): ["one.md:3", "two.md:3"],
        ("function", "inner"): ["one.md:3", "two.md:3"],
    }
    nodes = {d.name for d in site.shown_twice if d.kind == "node"}
    assert nodes == {"reply", "main"}
    text = stats.report(site)
    assert "Classes defined in more than one block: 1 (2 definitions)" in text
    assert "ReadsFirst" in text


def test_data_redefines_is_a_deliberate_redefinition(tmp_path):
    path = page(
        tmp_path,
        "p.md",
        """# Page

~~~python title="broken.py"
class Counter:
    pass


def bump():
    pass
~~~

~~~ { .python title="fixed.py" data-redefines="Counter bump" }
class Counter:
    pass


def bump():
    pass
~~~

~~~ { .python title="again.py" }
class Counter:
    pass
~~~
""",
    )
    site = stats.measure([path])
    # bump is declared: not shown twice; Counter is defined a third time without saying so
    assert [(d.name, len(d.places)) for d in site.duplicates] == [("Counter", 2)]
    declared = {d.name: [w.rsplit(":", 1)[1] for w in d.declared] for d in site.redefinitions}
    assert declared == {"Counter": ["12"], "bump": ["12"]}
    assert "Defined again on purpose" in stats.report(site)


def test_a_notebook_is_counted(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "\n", words(12)]},
            {
                "cell_type": "code",
                "metadata": {},
                "source": ["class Lock:\n", "    pass\n", "\n", "print(1)\n"],
                "outputs": [],
                "execution_count": None,
            },
            {"cell_type": "markdown", "metadata": {}, "source": words(7) + "\n\n" + words(8)},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "exercise.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    md = page(tmp_path, "p.md", '# P\n\n~~~python title="a.py"\nclass Lock:\n    pass\n~~~\n')
    site = stats.measure([path, md])
    measured = site.pages[0]
    assert (measured.prose, measured.blocks, measured.lines) == (27, 1, 3)
    assert measured.stretch == 15  # the code cell ends the first stretch
    assert measured.stretch_at.endswith("exercise.ipynb:cell 3:1")
    assert [d.name for d in site.duplicates] == ["Lock"]
    assert site.duplicates[0].places[0].endswith("exercise.ipynb:cell 2")


def test_a_notebook_cell_tagged_redefines_is_deliberate(tmp_path):
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["redefines=Lock"]},
        "source": "class Lock:\n    pass\n",
        "outputs": [],
        "execution_count": None,
    }
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "exercise.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    md = page(tmp_path, "p.md", '# P\n\n~~~python title="a.py"\nclass Lock:\n    pass\n~~~\n')
    site = stats.measure([md, path])
    assert site.duplicates == []
    assert [d.name for d in site.redefinitions] == ["Lock"]


def test_the_command_prints_a_table_and_json(tmp_path, capsys):
    path = page(tmp_path, "p.md", f"# P\n\n{words(23)}\n")
    assert stats.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["page", "prose", "min"]
    assert "total" in out
    assert stats.main([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["prose_words"] == 23
    assert data["total"]["prose_minutes"] == 0.1


def test_bad_input_gets_one_clear_message(tmp_path, capsys):
    path = page(tmp_path, "p.md", "# P\n\n~~~python\nprint(1)\n~~~\n")
    assert stats.main([str(path)]) == 2
    assert "p.md:3: a Python block needs a snippet name" in capsys.readouterr().out
    assert stats.main([str(tmp_path / "missing.md")]) == 2
    assert "not a page" in capsys.readouterr().out
