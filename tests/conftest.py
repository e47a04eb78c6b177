"""Shared fixtures: the site built once per test run, and the browser."""

from __future__ import annotations

import fcntl
import json
import os

import pytest

from tools.paths import ROOT
from tools.services import chromium
from tools.services.ci import require
from tools.sitegen.site import run_build, serve


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """mkdocs build --strict, once per run: (site directory, what mkdocs printed, exit code).

    Under pytest-xdist the workers share one build: the first to ask builds it in the run's
    shared temporary folder while the others wait on a lock. No test writes to the site."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    site, record = shared / "built-site", shared / "built-site.json"
    with open(shared / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not record.exists():
            result = run_build(site)
            record.write_text(json.dumps([result.stderr, result.returncode]), encoding="utf-8")
        stderr, code = json.loads(record.read_text(encoding="utf-8"))
    return site, stderr, code


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built site, served on 127.0.0.1 under its published path: its address."""
    site, stderr, code = built_site
    assert code == 0, f"the site did not build:\n{stderr}"
    with serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (installed if missing and we may), driven by Playwright.

    Per module: Playwright's sync API keeps an event loop running on this thread while it
    is open, and later tests call asyncio.run.
    """
    if chromium.problem():
        chromium.ensure()
    require(chromium.problem(), "browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = chromium.launch(playwright)
        yield instance
        instance.close()


@pytest.fixture
def project(pytester):
    """A scratch project with a docs/ folder whose pages the harness's plugin runs, each in a
    pytest of its own (the plugin's tests and the network guard's use it)."""
    pytester.makeini(
        f"""
        [pytest]
        pythonpath = {ROOT}
        addopts = -p tools.harness.plugin -p no:cacheprovider -p no:hypothesispytest
            -p no:langsmith_plugin -q
        """
    )
    (pytester.path / "docs").mkdir()
    return pytester
