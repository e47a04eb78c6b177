"""MkDocs hooks: state the langgraph version the outputs were verified with."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.versions import locked_version  # noqa: E402

PLACEHOLDER = "{{ langgraph_version }}"


def on_config(config):
    version = locked_version("langgraph")
    config["extra"]["langgraph_version"] = version
    config["copyright"] = f"Every output on this site was verified with langgraph {version}."
    return config


def on_page_markdown(markdown, page, config, files):
    return markdown.replace(PLACEHOLDER, config["extra"]["langgraph_version"])
