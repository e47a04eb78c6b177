"""llms.txt (an index of the pages, with their descriptions) and llms-full.txt (every
page's Markdown, notebooks included), written beside the built site."""

from pathlib import Path

from tools.sitegen import notebooks


def write(config, sources: dict[str, tuple[str, str]]) -> None:
    """Write llms.txt and llms-full.txt into the built site, in the navigation's order.

    sources: each Markdown page's text (after the hooks' substitutions) and its description,
    by its path under docs/, as on_page_markdown saw them.
    """
    site_dir = Path(config["site_dir"])
    base = config.get("site_url") or ""
    summary = " ".join(config["site_description"].split())
    index = [f"# {config['site_name']}", "", f"> {summary}", ""]
    index += ["## Pages", ""]  # pages outside a section; each section gets its own heading
    full = [f"# {config['site_name']}", ""]

    def walk(entries) -> None:
        for entry in entries:
            ((title, src),) = entry.items()
            if isinstance(src, list):  # a section of the navigation
                index.extend(["", f"## {title}", ""])
                walk(src)
                continue
            path = Path(config["docs_dir"]) / src
            url = base + (src.rsplit(".", 1)[0] + "/" if src != "index.md" else "") or "./"
            if src.endswith(".ipynb"):
                markdown = notebooks.notebook_markdown(path)
                description = f"{title}: an exercise notebook, with its outputs"
            else:
                markdown, description = sources[src]
            index.append(f"- [{title}]({url}): {description}")
            full.extend([f"<!-- {src} -->", markdown.strip(), ""])

    walk(config["nav"])
    (site_dir / "llms.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    (site_dir / "llms-full.txt").write_text("\n".join(full) + "\n", encoding="utf-8")
