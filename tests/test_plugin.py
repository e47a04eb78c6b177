"""The harness's pytest plugin, tested like a library: small synthetic pages in a scratch
project (pytester), each run by the real plugin in a pytest of its own."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.paths import ROOT

FENCE = "```"


def page(project, text: str):
    path = project.path / "docs" / "page.md"
    path.write_text(text, encoding="utf-8")
    return path


def block(name: str, code: str, attrs: str = "") -> str:
    info = f'{{ .python title="{name}" {attrs} }}' if attrs else f'python title="{name}"'
    return f"{FENCE}{info}\n{code}\n{FENCE}\n"


def output(text: str) -> str:
    return f'{FENCE}text title="Output"\n{text}\n{FENCE}\n'


def test_a_block_that_prints_its_output_passes_and_is_named_by_its_snippet(project):
    page(project, "# P\n\n" + block("hello.py", 'print("hello")') + "\n" + output("hello"))
    result = project.runpytest_subprocess("-vv")  # the ini says -q
    result.stdout.fnmatch_lines(["*docs/page.md::hello.py PASSED*"])
    assert result.ret == 0


def test_a_wrong_output_names_the_page_line(project):
    page(project, "# P\n\n" + block("hello.py", 'print("hello")') + "\n" + output("goodbye"))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        ["*docs/page.md:3: the output of hello.py differs from its page*", "*first difference*"]
    )
    assert result.ret == 1


def test_an_unexpected_exception_shows_page_lines_and_stderr(project):
    code = (
        'import sys\nprint("to stderr", file=sys.stderr)\n\n'
        'def f():\n    raise KeyError("k")\n\nf()'
    )
    page(project, "# P\n\n" + block("boom.py", code))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        [
            "*boom.py raised unexpectedly:",
            "Traceback (most recent call last):",
            "  */docs/page.md:10 in <module>",
            "    f()",
            "  */docs/page.md:8 in f",
            '    raise KeyError("k")',
            "KeyError: 'k'",
            "--- its stderr ---",
            "to stderr",
        ]
    )
    shown = result.stdout.str()
    assert "sandbox.py" not in shown and "_child" not in shown  # the harness's own frame
    assert str(ROOT) not in shown  # no path of the harness or its Python
    assert result.ret == 1


def test_a_refused_connection_shows_the_page_line_and_the_refusal_not_the_stdlib(project):
    code = 'import urllib.request\n\nurllib.request.urlopen("http://example.invalid/", timeout=5)'
    page(project, "# P\n\n" + block("fetch.py", code))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        [
            "*fetch.py tried to reach the network, and was refused*",
            "Traceback (most recent call last):",
            "  */docs/page.md:6 in <module>",
            '    urllib.request.urlopen("http://example.invalid/", timeout=5)',
            "  ... * more frames in Python and its libraries",
            "*network access refused: 'example.invalid'*",
        ]
    )
    assert "urllib/request.py" not in result.stdout.str()
    assert result.ret == 1


def test_data_raises_mismatches(project):
    page(
        project,
        "# P\n\n"
        + block("quiet.py", "x = 1", 'data-raises="ValueError"')
        + "\n"
        + block("other.py", 'raise KeyError("k")', 'data-raises="ValueError"'),
    )
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        [
            '*quiet.py is marked data-raises="ValueError" but finished without raising*',
            "*other.py should raise ValueError but raised KeyError*",
        ]
    )


def test_duplicate_and_missing_names_are_one_error_on_the_page(project):
    page(project, "# P\n\n" + block("a.py", "x = 1") + "\n" + block("a.py", "y = 2"))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*page.md:7: snippet name 'a.py' is already used at line 3*"])
    page(project, f"# P\n\n{FENCE}python\nx = 1\n{FENCE}\n")
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*page.md:3: a Python block needs a snippet name*"])
    assert result.ret != 0


def test_a_page_that_cannot_be_read_is_one_failure_and_the_run_goes_on(project):
    page(project, "# P\n\n" + block("a.py", "x = 1") + "\n" + block("a.py", "y = 2"))
    (project.path / "docs" / "good.md").write_text(
        "# G\n\n" + block("good.py", 'print("ok")') + "\n" + output("ok"), encoding="utf-8"
    )
    result = project.runpytest_subprocess("-rA")
    result.stdout.fnmatch_lines(["*FAILED docs/page.md::layout*"])
    result.stdout.fnmatch_lines(["*PASSED docs/good.md::good.py*"])
    assert "already used at line 3" in result.stdout.str()
    assert result.stdout.str().count("already used at line 3") <= 2  # the failure, its summary
    result.assert_outcomes(passed=1, failed=1)


def test_every_python_fence_form_is_a_block(project):
    text = "# P\n\n" + "\n".join(
        f'{FENCE}{info}\nprint("{n}")\n{FENCE}\n\n{output(str(n))}'
        for n, info in enumerate(
            [
                'python title="a.py"',
                'py title="b.py"',
                'python3 title="c.py"',
                '{ .python3 title="d.py" }',
            ],
        )
    )
    page(project, text)
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(["code blocks checked: 4 in 1 page"])
    result.stdout.fnmatch_lines(["*4 passed*"])


def test_the_summary_counts_blocks_run_by_xdist_workers(project):
    for name in ("one", "two"):
        (project.path / "docs" / f"{name}.md").write_text(
            "# P\n\n" + block(f"{name}.py", f'print("{name}")') + "\n" + output(name),
            encoding="utf-8",
        )
    result = project.runpytest_subprocess("-n", "2")
    result.stdout.fnmatch_lines(["code blocks checked: 2 in 2 pages"])
    assert result.ret == 0


def test_update_mode_rewrites_outputs_and_drops_the_box_of_a_block_that_stopped(project):
    path = page(
        project,
        "# P\n\n"
        + block("changed.py", 'print("new")')
        + "\n"
        + output("old")
        + "\nProse.\n\n"
        + block("silent.py", "x = 1")
        + "\n"
        + output("it used to print")
        + "\nEnd.\n",
    )
    result = project.runpytest_subprocess("--update-outputs")
    assert result.ret == 0, result.stdout.str()
    text = path.read_text(encoding="utf-8")
    assert output("new") in text
    assert "it used to print" not in text and text.count('title="Output"') == 1
    assert project.runpytest_subprocess().ret == 0


def test_the_sandbox_preloads_what_the_run_imports_and_no_more(project):
    """A run of one page does not wait for the imports of every page of the site: the
    block's own import is loaded before it starts, langgraph (which it never imports) not."""
    code = (
        'import sys\n\nprint("decimal" in sys.modules, "langgraph" in sys.modules)\n'
        "import decimal  # noqa: E402, F401"
    )
    page(project, "# P\n\n" + block("loaded.py", code) + "\n" + output("True False"))
    result = project.runpytest_subprocess()
    assert result.ret == 0, result.stdout.str()


FORCING = (
    "import threading\n\n\n"
    "class Gate:\n"
    '    """Lets one side through when the other has arrived."""\n\n'
    "    def __init__(self):\n"
    "        self.event = threading.Event()\n\n"
    "    def open(self):\n"
    "        self.event.set()\n\n"
    "    def fail(self):\n"
    '        raise RuntimeError("the gate is stuck")\n'
)


def test_a_block_imports_a_module_shown_earlier_on_its_page(project):
    later = "from forcing import Gate\n\ngate = Gate()\ngate.open()\nprint(gate.event.is_set())"
    page(
        project,
        "# P\n\n"
        + block("forcing.py", FORCING)
        + "\n"
        + block("later.py", later)
        + "\n"
        + output("True"),
    )
    result = project.runpytest_subprocess("-rA")
    result.stdout.fnmatch_lines(["*PASSED docs/page.md::later.py*"])
    assert result.ret == 0, result.stdout.str()


def test_a_traceback_in_a_used_module_shows_that_module_s_page_line(project):
    fail_line = 3 + 1 + FORCING.split("\n").index('        raise RuntimeError("the gate is stuck")')
    (project.path / "docs" / "one.md").write_text(
        "# One\n\n" + block("forcing.py", FORCING), encoding="utf-8"
    )
    code = "from forcing import Gate\n\nGate().fail()"
    page(project, "# P\n\n" + block("uses.py", code, 'data-uses="one/forcing.py"'))
    result = project.runpytest_subprocess("-k", "uses")
    result.stdout.fnmatch_lines(
        [
            "*uses.py raised unexpectedly*",
            "*docs/page.md:6 in <module>*",
            f"*docs/one.md:{fail_line} in fail*",
        ]
    )
    assert "block-" not in result.stdout.str()  # no frame in the temporary folder


def test_a_used_module_of_another_page_is_its_current_text(project):
    one = project.path / "docs" / "one.md"
    one.write_text("# One\n\n" + block("helpers.py", "ANSWER = 42"), encoding="utf-8")
    code = "from helpers import ANSWER\n\nprint(ANSWER)"
    page(
        project,
        "# P\n\n" + block("uses.py", code, 'data-uses="one/helpers.py"') + "\n" + output("42"),
    )
    assert project.runpytest_subprocess().ret == 0
    one.write_text("# One\n\n" + block("helpers.py", "ANSWER = 43"), encoding="utf-8")
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*the output of uses.py differs from its page*"])


@pytest.mark.parametrize(
    "other, attrs, message",
    [
        (
            "",
            'data-uses="one/nothing.py"',
            '*page.md:3: data-uses="one/nothing.py": *docs/one.md has no block titled nothing.py',
        ),
        (
            "",
            'data-uses="none/helpers.py"',
            '*page.md:3: data-uses="none/helpers.py" names no page*',
        ),
        (
            block("helpers.py", "ANSWER = 1") + "\n",
            'data-uses="one/helpers.py"',
            "*page.md:7: two modules named helpers.py would sit beside uses.py: "
            "*docs/page.md:3 and *docs/one.md:3; rename one",
        ),
    ],
)
def test_a_used_name_that_is_no_block_or_clashes_is_a_page_error(project, other, attrs, message):
    (project.path / "docs" / "one.md").write_text(
        "# One\n\n" + block("helpers.py", "ANSWER = 42"), encoding="utf-8"
    )
    code = "from helpers import ANSWER\n\nprint(ANSWER)"
    page(project, "# P\n\n" + other + block("uses.py", code, attrs))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*FAILED docs/page.md::layout*"])
    result.stdout.fnmatch_lines([message])


def test_two_modules_of_one_name_beside_a_block_are_a_page_error(project):
    for name in ("one", "two"):
        (project.path / "docs" / f"{name}.md").write_text(
            "# One\n\n" + block("helpers.py", "ANSWER = 42"), encoding="utf-8"
        )
    code = "from helpers import ANSWER\n\nprint(ANSWER)"
    page(project, "# P\n\n" + block("uses.py", code, 'data-uses="one/helpers.py two/helpers.py"'))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        [
            "*page.md:3: two modules named helpers.py would sit beside uses.py: "
            "*docs/one.md:3 and *docs/two.md:3; rename one"
        ]
    )


def test_a_block_that_reads_database_url_must_say_it_needs_postgres(project):
    code = 'import os\n\nprint(os.environ.get("DATABASE_URL", "none"))'
    page(project, "# P\n\n" + block("reads.py", code, 'data-repeat="2"'))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        [
            "*page.md:3: reads.py reads DATABASE_URL: say on its fence that it needs PostgreSQL, "
            'add data-needs="postgres": ``` { .python title="reads.py" data-repeat="2" '
            'data-needs="postgres" }'
        ]
    )
    assert result.ret == 1


def test_database_url_in_a_comment_asks_for_no_database(project, monkeypatch):
    """Intent is on the fence: the word in a comment neither needs nor gets PostgreSQL."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code = (
        "# a reader may set DATABASE_URL; this block does not read it\nimport os\n\n"
        'print(os.environ.get("DATABASE" + "_URL", "no database"))'
    )
    page(project, "# P\n\n" + block("plain.py", code) + "\n" + output("no database"))
    result = project.runpytest_subprocess("-rA")
    result.stdout.fnmatch_lines(["*PASSED docs/page.md::plain.py*"])


def test_a_block_marked_data_needs_postgres_gets_a_scratch_database(project, monkeypatch):
    monkeypatch.setenv("CI", "true")  # no skip: the database must be there
    from tools.services import postgres

    if postgres.postgres_problem():
        monkeypatch.delenv("CI")
    code = "import os\n\nurl = os.environ['DATABASE' + '_URL']\nprint('dbname=csa_' in url)"
    page(
        project,
        "# P\n\n" + block("db.py", code, 'data-needs="postgres"') + "\n" + output("True"),
    )
    result = project.runpytest_subprocess("-rA")
    if postgres.postgres_problem():
        result.stdout.fnmatch_lines(["*SKIPPED*db.py needs PostgreSQL*"])
    else:
        result.stdout.fnmatch_lines(["*PASSED docs/page.md::db.py*"])


def test_the_deadline_is_for_the_whole_run_not_each_read(project, monkeypatch):
    """Main prints every 0.5 s for 1.5 s, then its thread for 1.5 s more: no pause of the
    run reaches the 2 s limit, the run (3 s) does."""
    monkeypatch.setenv("DOCS_BLOCK_TIMEOUT", "2")
    code = (
        "import threading\nimport time\n\n\ndef tick(n):\n    for _ in range(n):\n"
        '        print("tick", flush=True)\n        time.sleep(0.5)\n\n\n'
        "tick(3)\nthreading.Thread(target=tick, args=(3,)).start()"
    )
    page(project, "# P\n\n" + block("slow.py", code) + "\n" + output("tick\n" * 5 + "tick"))
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*page.md:3: did not finish within 2 s*"])
    assert result.ret == 1


def test_update_mode_under_xdist_refuses_and_leaves_the_page(project):
    """Each worker would write the page with line numbers of its own parse."""
    text = "# P\n\n" + "\n".join(
        block(f"b{n}.py", f'print("new {n}")') + "\n" + output(f"old {n}") for n in range(4)
    )
    path = page(project, text)
    result = project.runpytest_subprocess("--update-outputs", "-n", "2")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*--update-outputs rewrites the pages, and runs with -n 2*"])
    assert path.read_text(encoding="utf-8") == text


def test_update_mode_writes_the_page_as_it_is_when_the_run_ends(project):
    """An edit made while the blocks ran (a line added above them) moves no output."""
    path = page(project, "# P\n\n" + block("later.py", 'print("new")') + "\n" + output("old"))
    edit = f"import pathlib\n\np = pathlib.Path({str(path)!r})\n"
    edit += "p.write_text('# P\\n\\nA line added.\\n\\n' + p.read_text()[5:])"
    slow = block("edits.py", edit)
    (project.path / "docs" / "aaa.md").write_text("# A\n\n" + slow, encoding="utf-8")
    result = project.runpytest_subprocess("--update-outputs", "-p", "no:randomly")
    assert result.ret == 0, result.stdout.str()
    assert path.read_text(encoding="utf-8") == (
        "# P\n\nA line added.\n\n" + block("later.py", 'print("new")') + "\n" + output("new")
    )


def test_the_summary_counts_only_the_blocks_that_ran(project, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # no server
    blocks = [block(f"b{n}.py", f'print("{n}")') + "\n" + output(str(n)) for n in range(5)]
    db = block("db.py", "import os", 'data-needs="postgres"')
    page(project, "# P\n\n" + "\n".join([*blocks, db]))
    result = project.runpytest_subprocess("-k", "b1 or db")
    result.stdout.fnmatch_lines(
        ["code blocks checked: 1 in 1 page (5 more not run: deselected, skipped or broken)"]
    )


def test_an_unquoted_data_repeat_runs_that_many_times(project):
    """attr_list reads data-repeat=3 as the build does: three runs, not one."""
    runs = project.path / "runs.txt"
    code = f"with open({str(runs)!r}, 'a') as f:\n    f.write('run\\n')\n\nprint('same')"
    page(project, "# P\n\n" + block("thrice.py", code, "data-repeat=3") + "\n" + output("same"))
    result = project.runpytest_subprocess()
    assert result.ret == 0, result.stdout.str()
    assert runs.read_text(encoding="utf-8") == "run\n" * 3


def gone(pid: int) -> bool:
    """Exited: no such process, or one that has ended and waits to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


def test_the_sandbox_stops_when_the_process_that_started_it_is_killed():
    """A test process killed before its exit handlers ran (a timeout, a crashed worker)
    leaves no strict interpreter behind waiting for runs that will never come."""
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tools.harness.runner import Sandbox\n"
            "print(Sandbox.get([]).process.pid, flush=True)\n"
            "import time; time.sleep(600)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as starter:
        sandbox = int(starter.stdout.readline())
        assert not gone(sandbox)
        starter.kill()
    deadline = time.monotonic() + 30
    while not gone(sandbox) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(sandbox), f"the sandbox ({sandbox}) outlived the process that started it"
