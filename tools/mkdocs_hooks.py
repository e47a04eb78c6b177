"""MkDocs hooks: the verified-with version, the repository's address, and llms.txt.

- The langgraph version the outputs were verified with comes from uv.lock, never typed.
- In GitHub Actions the repository (for "Edit this page") and the Pages address come from
  the run's environment; elsewhere from mkdocs.yml.
- llms.txt (an index) and llms-full.txt (every page's Markdown) are written with the site.
"""

import os
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.versions import locked_version  # noqa: E402

PLACEHOLDER = "{{ langgraph_version }}"
_sources: dict[str, tuple[str, str]] = {}  # src -> (Markdown, description)


def on_config(config):
    version = locked_version("langgraph")
    config["extra"]["langgraph_version"] = version
    config["copyright"] = f"Every output on this site was verified with langgraph {version}."
    repository = os.environ.get("GITHUB_REPOSITORY")
    if repository:
        owner, name = repository.split("/")
        config["repo_url"] = (
            f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{repository}"
        )
        config["site_url"] = f"https://{owner}.github.io/{name}/"
    return config


def on_page_markdown(markdown, page, config, files):
    markdown = markdown.replace(PLACEHOLDER, config["extra"]["langgraph_version"])
    _sources[page.file.src_uri] = (markdown, page.meta.get("description", ""))
    return markdown


def notebook_markdown(path: Path) -> str:
    """A notebook as Markdown: its text, its code, and its stored outputs."""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(f"```python\n{cell.source}\n```")
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            if text:
                parts.append(f"```text\n{text.rstrip()}\n```")
    return "\n\n".join(parts)


def on_post_build(config):
    site_dir = Path(config["site_dir"])
    base = config.get("site_url") or ""
    summary = " ".join(config["site_description"].split())
    index = [f"# {config['site_name']}", "", f"> {summary}", ""]
    index += ["## Pages", ""]
    full = [f"# {config['site_name']}", ""]
    for page in config["nav"]:
        ((title, src),) = page.items()
        path = Path(config["docs_dir"]) / src
        url = base + (src.rsplit(".", 1)[0] + "/" if src != "index.md" else "") or "./"
        if src.endswith(".ipynb"):
            markdown = notebook_markdown(path)
            description = "the hands-on exercise as a notebook, with its outputs"
        else:
            markdown, description = _sources[src]
        index.append(f"- [{title}]({url}): {description}")
        full += [f"<!-- {src} -->", markdown.strip(), ""]
    (site_dir / "llms.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    (site_dir / "llms-full.txt").write_text("\n".join(full) + "\n", encoding="utf-8")
