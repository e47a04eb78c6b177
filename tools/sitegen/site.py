"""Serve a built site on 127.0.0.1 (an ephemeral port) for the browser tests and tools.

As GitHub Pages serves it: under the path of its site_url (/concurrent-state-access/ for a
project site), a missing page answered with the site's 404.html and status 404, and text
gzip-compressed when the browser asks for it (the browser tests still count the
uncompressed bytes).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tools.paths import ROOT
from tools.sitegen.address import mount_path

_LOC = re.compile(r"<loc>([^<]+)</loc>")


def mount_of(site: Path) -> str:
    """The path a built site lives under, from its sitemap: "/concurrent-state-access/"."""
    sitemap = site / "sitemap.xml"
    found = _LOC.search(sitemap.read_text(encoding="utf-8")) if sitemap.exists() else None
    return mount_path(found.group(1) if found else None)


class _Handler(SimpleHTTPRequestHandler):
    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ipynb")
    mount = "/"

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        inside = (path.split("?")[0].split("#")[0] + "/").startswith(self.mount)
        if not inside:
            return str(Path(self.directory) / "outside-the-site-path")  # missing: the 404 page
        return super().translate_path("/" + path[len(self.mount) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def send_head(self):
        local = Path(self.translate_path(self.path))
        if local.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the base class redirects to the URL with a slash
        if local.is_dir():
            local = local / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and local.suffix in self.COMPRESS and local.is_file()):
            return super().send_head()
        body = gzip.compress(local.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(local)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a built site; yields its address, e.g. http://127.0.0.1:PORT/concurrent-state-access/"""
    mount = mount_of(directory)
    handler = functools.partial(
        type("Handler", (_Handler,), {"mount": mount}), directory=str(directory)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()


def run_build(site_dir: Path) -> subprocess.CompletedProcess:
    """mkdocs build --strict into site_dir; the caller reads stderr and the exit code."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def build(site_dir: Path) -> None:
    """mkdocs build --strict into site_dir; raises with mkdocs' output if it fails."""
    result = run_build(site_dir)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stderr}")


def nav_pages() -> list[tuple[str, str]]:
    """(title, path under the site) for every page in mkdocs.yml's nav, in order."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    pages = []

    def walk(entries) -> None:
        for entry in entries:
            ((title, src),) = entry.items()
            if isinstance(src, list):  # a section of the navigation
                walk(src)
            else:
                pages.append((title, "" if src == "index.md" else src.rsplit(".", 1)[0] + "/"))

    walk(config["nav"])
    return pages
