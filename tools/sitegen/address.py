"""The address the site is published at: its site_url, for every build.

MkDocs derives the sitemap, the canonical links and the 404 page's asset paths from
site_url; without one the sitemap is empty and the 404 page loads its styles from /assets/,
which at a sub-path is someone else's (or nothing). So every build has one:

- SITE_URL, when set: any host, a custom domain included;
- in GitHub Actions on github.com, the repository's GitHub Pages address: a project site at
  https://owner.github.io/name/, a user or organisation site (a repository named
  owner.github.io) at https://owner.github.io/;
- otherwise site_url from mkdocs.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

GITHUB = "https://github.com"


def pages_url(repository: str) -> str:
    """GitHub Pages' address for a repository "owner/name"."""
    owner, name = repository.split("/")
    host = f"{owner.lower()}.github.io"
    if name.lower() == host:
        return f"https://{host}/"
    return f"https://{host}/{name}/"


def published_url(environ: Mapping[str, str], configured: str | None) -> str | None:
    """The site_url for this build (with a trailing slash), from the environment or the
    configuration; see the module's docstring for the order."""
    if environ.get("SITE_URL"):
        return environ["SITE_URL"].rstrip("/") + "/"
    repository = environ.get("GITHUB_REPOSITORY")
    if repository and environ.get("GITHUB_SERVER_URL", GITHUB).rstrip("/") == GITHUB:
        return pages_url(repository)
    return configured


def mount_path(site_url: str | None) -> str:
    """The path the site lives under on its host: "/concurrent-state-access/" or "/"."""
    return (urlsplit(site_url or "/").path.rstrip("/")) + "/"
