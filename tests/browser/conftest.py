"""Browser tests: Debian Chromium driven through Playwright (sync API) against pytest-django's
`live_server`, with axe-core checking each page for WCAG 2.2 AA.

Chromium comes from Debian (/usr/bin/chromium, or $CHROMIUM); Playwright never downloads a
browser here. Without Chromium the tests skip locally and fail under CI=true (see `require`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import require

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BASE_DIR / "test-artifacts"
TIMEOUT_MS = 10_000

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}

# What went wrong while each page was open: CSP refusals, script errors, assets that failed.
_problems: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()
_report_key = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """Keep each phase's report on the item so the `page` fixture knows whether to screenshot."""
    report = yield
    item.stash.setdefault(_report_key, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator[Browser]:
    """One Chromium for all the browser tests (they are all in this package, so "package" is the
    session's worth of them), stopped afterwards so no later test runs beside Playwright's loop."""
    require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt install chromium)")
    require(AXE_JS.exists(), f"axe-core is missing at {AXE_JS} (npm ci)")
    with _playwright_beside_django() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def _playwright_beside_django() -> Iterator[Playwright]:
    """Start Playwright's sync API so that this thread's Django code keeps working.

    Playwright keeps an asyncio loop marked as running in this thread. Django then (1) refuses ORM
    calls here as "async-unsafe", and (2) looks its connections up in per-async-context storage
    (asgiref's thread-critical Local), so the test would get a new connection object, without the
    serialized reference data `serialized_rollback` restores from. The tests are plain synchronous
    code, and the live server answers requests in its own thread; so allow the calls while
    Playwright runs, and give the async-context lookup this thread's own connections.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    thread_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, wrapper in thread_connections.items():
                connections[alias] = wrapper
            try:
                yield playwright
            finally:
                for alias in thread_connections:
                    with contextlib.suppress(AttributeError):
                        del connections[alias]
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A fresh context (no cookies) per test, pointed at the live server. It asks for reduced
    motion, which turns off the Design System's smooth scrolling: otherwise a click aimed at a
    radio button could land while the page was still scrolling to it (CI saw a forced check of
    one change nothing under load)."""
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
    )
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    problems: list[str] = []
    _problems[page] = problems

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP: {message.text}")

    def on_response(response) -> None:
        # Pages may answer 400/404 on purpose; their stylesheets and scripts may not.
        if response.request.resource_type != "document" and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    def on_request_failed(request) -> None:
        # A navigation cancels what the previous page was still fetching; that is not a fault.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"failed: {request.url} {request.failure}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield page
    reports = request.node.stash.get(_report_key, {})
    if any(report.failed for report in reports.values()):
        _save_artifacts(page, request.node.nodeid)
    page.close()


def _save_artifacts(page: Page, nodeid: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    try:
        page.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content())
    except Exception as exc:  # a failed screenshot must not hide the test's own failure
        print(f"Could not save a screenshot of {page.url}: {exc}")


def assert_page_healthy(page: Page) -> None:
    """The page's stylesheets and scripts loaded, the CSP refused nothing and no script failed.
    Without the Design System stylesheet, axe's colour-contrast results would mean nothing."""
    problems = _problems.get(page, [])
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert font.startswith("Roboto"), f"Design System stylesheet not applied on {page.url}: {font}"


def assert_accessible(page: Page) -> None:
    """Run axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page; fail listing every violation."""
    page.wait_for_load_state("load")
    assert_page_healthy(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Runtime evaluation through DevTools is not subject to the page's CSP.
        page.evaluate(_axe_source())
    violations = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations",
        AXE_OPTIONS,
    )
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n" + (
        "\n".join(_describe(v) for v in violations)
    )


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def _describe(violation: dict) -> str:
    lines = [
        f"- {violation['id']} ({violation.get('impact')}): {violation['help']}",
        f"  {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:10]:
        lines.append(f"  at {json.dumps(node['target'])}: {node['html'][:200]}")
        if node.get("failureSummary"):
            lines.extend(f"    {line}" for line in node["failureSummary"].splitlines())
    if len(violation["nodes"]) > 10:
        lines.append(f"  … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
