"""Fixtures for the app's end-to-end tests: one ingested store, a real `govqa serve`, headless Chromium.

The store is ingested once per session (about 50 s on 2 cores); the server and the browser are
shared by all browser tests, each test getting a fresh page. Chromium is Debian's (`.ci/run`
installs it); Playwright only drives it and never downloads a browser.

Screenshots of every state go to out/screenshots/ (or $GOVQA_SCREENSHOTS); the run prints where.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.harness import REPO, REPORTS, Server, Traffic, govqa_command, server_env, start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("GOVQA_SCREENSHOTS") or REPO / "out" / "screenshots")


@pytest.fixture(scope="session")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the five sample reports, ingested once with `govqa ingest --store`."""
    store = tmp_path_factory.mktemp("ui-store")
    done = subprocess.run([*govqa_command(), "ingest", str(REPORTS), "--store", str(store)],
                          capture_output=True, text=True, env=server_env(), cwd=REPO, timeout=900)
    assert done.returncode == 0, f"ingest failed:\n{done.stdout}\n{done.stderr}"
    return store


@pytest.fixture(scope="session")
def server(ui_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`govqa serve` on 127.0.0.1 over the session's store."""
    running = start_server(ui_store, tmp_path_factory.mktemp("serve") / "serve.log")
    yield running
    stop_server(running)


_SCREENSHOTS_USED = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """The folder screenshots are saved in (emptied at the start of the session)."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    request.config.stash[_SCREENSHOTS_USED] = SCREENSHOTS
    print(f"\nscreenshots: {SCREENSHOTS}")
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser, traffic: Traffic):
    """A fresh page (1440×960, zh-CN) that records every request and dismisses and records dialogs."""
    context = browser.new_context(viewport={"width": 1440, "height": 960}, locale="zh-CN")
    context.on("request", lambda request: traffic.requests.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (traffic.dialogs.append(dialog.message), dialog.dismiss()))
    page.set_default_timeout(30_000)
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say where this run's screenshots are, so a person can look."""
    folder = config.stash.get(_SCREENSHOTS_USED, None)
    if folder is not None:
        shots = sorted(p.name for p in folder.glob("*.png"))
        terminalreporter.write_line(f"screenshots ({len(shots)}) in {folder}: {', '.join(shots)}")
