"""A real browser for the web pages the course serves (Flower in lesson 8, the Django demo in lesson 13).

Headless Chromium (Debian's `chromium` package; .ci/run installs it) opens a page, lets its scripts
run for a bounded virtual time, and gives back the rendered DOM; a second run saves a screenshot.
Each run has its own profile directory and is a ManagedProcess in its own session, so a browser that
hangs is killed with every helper process it started (zygote, GPU, renderer): none is left behind.
Basic auth: put the credentials in the URL (http://user:password@127.0.0.1:port/...); Chromium sends
them for the page and its same-origin requests.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from classroom.runtime.process import ManagedProcess

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RUN_S = 45.0          # one page load with its scripts; a real run takes 1-3 s on a 2-core machine


def executable() -> str | None:
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def need_browser() -> str:
    """The browser, or skip locally / fail in CI (where .ci/run must have installed it)."""
    found = executable()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("headless Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("no Chromium here: apt-get install chromium")
    return found


def _run(args: list[str], out: Path, budget_ms: int) -> str:
    profile = tempfile.mkdtemp(prefix="classroom-chromium-")
    cmd = [need_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
           f"--virtual-time-budget={budget_ms}", "--window-size=1280,900", *args]
    proc = ManagedProcess("chromium", cmd, out, stop_steps=())
    try:
        proc.spawn()
        try:
            proc.popen.wait(RUN_S)
        except Exception:
            pass
        return out.read_text(errors="replace") if out.exists() else ""
    finally:
        proc.stop()                     # the whole tree, terminate then kill: no browser left
        shutil.rmtree(profile, ignore_errors=True)


def dom(url: str, work: Path, budget_ms: int = 4000) -> str:
    """The page's DOM after its scripts ran for `budget_ms` of virtual time (stderr noise included
    at the end of the text: search it, do not parse it)."""
    return _run(["--dump-dom", url], work / "dom.html", budget_ms)


def screenshot(url: str, path: Path, budget_ms: int = 4000) -> Path:
    """A PNG of the page at 1280x900; returns its path (a test asserts it exists and is not empty)."""
    _run([f"--screenshot={path}", url], path.with_suffix(".log"), budget_ms)
    return path
