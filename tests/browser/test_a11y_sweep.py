"""The accessibility sweep: every demo account, in a real browser, on every page reachable from
the main navigation, each list's first record and the dashboards. Every page must pass
axe-core's WCAG 2.2 AA rules, have a title naming its main heading and unlike any other page's,
and work by keyboard alone: the skip link comes first and moves focus to the main content,
every element Tab reaches shows where focus is, and Tab runs through the page and back round
to the start without getting stuck.

Which pages: for each account, its start page, the main navigation's pages and the dashboards
it has; the pages those link to outside tables (the sections: Meetings, Notices, Engagement,
Notifications...); and the first row's link in every table of those (each list's first record).
Beyond that, the pages a first record links to outside its tables (its History, findings,
evaluations, record reading, improvement plans, MSG rounds...) and their first records are
swept once, by the first account to reach them, to keep the run short.

Work is not repeated: axe runs once per distinct content of a page's main area and navigation,
and the keyboard walk once per address; each account still loads each of its pages and checks
its status and title.

All accounts are swept in one test: the demo data (`load_demo`, most of a minute) is loaded
once, and the browser tests' transactional database would otherwise empty it and restore it
around every test. The failure message lists each account's problems in turn.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from dashboards.selectors import dashboards_for
from scrutiny.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS
from tests.browser.conftest import _problems, assert_accessible, assert_page_healthy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAILS = [email for email, _name, _agency, _roles in DEMO_USERS]

# Links the sweep does not follow: files, feeds, other sites' pages (the API documentation is
# Swagger UI; the admin site is Django's), and signing out.
NOT_PAGES = re.compile(
    r"(/download/|\.ics$|^/api/|^/admin/|^/accounts/sign-out/|^/calendar/|^/healthz)"
)
# Forms that change a record: the sweep reads, it does not act (creating forms reached from the
# navigation, such as "Plan an inspection", are swept).
ACTIONS = re.compile(
    r"/(edit|archive|remove|add|add-many|upload|agree|reopen|close|respond|correct|transition|"
    r"declare|decide|move|done|status|escalate|resolve|withdraw|reschedule|record|cancel|"
    r"reader|ratings|submit|validate|follow-risk|revoke|reset|read|read-all)/$"
)

# How far Tab may go on one page before the sweep calls it a trap (pages have up to ~150 stops).
MAX_TABS = 400


@dataclass
class Visit:
    url: str
    status: int
    title: str
    heading: str
    links: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class Done:
    """What the sweep has already checked, for any account."""

    axe: set[str] = field(default_factory=set)  # digests of main content and navigation
    keyboard: set[str] = field(default_factory=set)  # addresses
    deep: set[str] = field(default_factory=set)  # addresses beyond the first records


# ---------------------------------------------------------------------------------------------
# Keyboard


# Remembers how each focusable element looks before it has focus, so that a focus indicator is
# a visible change: the Design System's yellow background and drop shadow on buttons, its
# outline on links and fields, and the ring on a checkbox's or radio's label.
REMEMBER_AT_REST = """() => {
  const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor',
                 'borderTopColor', 'borderBottomColor', 'filter', 'textDecorationLine', 'color'];
  const look = (el, pseudo) => {
    const s = getComputedStyle(el, pseudo);
    return props.map((p) => s[p]).join('|');
  };
  const marker = (el) =>
    (el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels[0]
      ? [el.labels[0], '::before'] : [el, null];
  const rest = new WeakMap();
  const focusable = 'a, button, input, select, textarea, summary, [tabindex]';
  for (const el of document.querySelectorAll(focusable)) {
    rest.set(el, look(...marker(el)));
  }
  let count = 0;
  window.__sweepFocus = () => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    if (!el.dataset.sweepId) el.dataset.sweepId = String(++count);
    const style = getComputedStyle(el);
    const [target, pseudo] = marker(el);
    const now = look(target, pseudo);
    const shows = (s) =>
      (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 &&
       !/transparent|rgba\\(.*,\\s*0\\)$/.test(s.outlineColor)) ||
      s.boxShadow !== 'none' || s.filter !== 'none';
    const rect = el.getBoundingClientRect();
    return {
      id: el.dataset.sweepId,
      describe: el.outerHTML.slice(0, 160),
      ring: rest.has(el) ? now !== rest.get(el) : shows(getComputedStyle(target, pseudo)),
      onScreen: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
      skipLink: el.classList.contains('ds_skip-links__link'),
      main: el.id === 'main-content',
    };
  };
}"""

FOCUS_STATE = "() => window.__sweepFocus()"


def keyboard_problems(page: Page) -> list[str]:
    """Tab from the top of a freshly loaded page through every stop and back to the start."""
    problems: list[str] = []
    page.evaluate(REMEMBER_AT_REST)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STATE)
    if not first or not first["skipLink"]:
        problems.append(f"the first Tab stop is not the skip link: {first and first['describe']}")
        return problems
    seen = {first["id"]}
    previous = state = first
    for _ in range(MAX_TABS):
        if not state["ring"]:
            problems.append(f"no visible focus indicator on {state['describe']}")
        if not state["onScreen"]:
            problems.append(f"focus is on something not shown: {state['describe']}")
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:  # past the last stop focus leaves the page, and Tab brings it back
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
        if state is None or state["id"] == first["id"]:
            break
        # A date field takes three Tabs (day, month, year) while keeping focus itself.
        if state["id"] in seen and state["id"] != previous["id"]:
            problems.append(f"Tab came back to {state['describe']} before the end of the page")
            return problems
        seen.add(state["id"])
        previous = state
    else:
        problems.append(f"Tab did not get back to the start within {MAX_TABS} stops")
        return problems
    if state is None:
        problems.append("Tab did not come back round to the skip link")
        return problems
    page.keyboard.press("Enter")
    landed = page.evaluate(FOCUS_STATE)
    if not landed or not landed["main"]:
        problems.append(f"the skip link moved focus to {landed and landed['describe']}")
    return problems


def visit(page: Page, url: str, done: Done) -> Visit:
    """Load a page and check it, skipping checks already made on the same content."""
    response = page.goto(url)
    status = response.status if response else 0
    headings = page.locator("h1")
    heading = headings.first.inner_text().strip() if headings.count() else ""
    found = Visit(url=urlsplit(page.url).path, status=status, title=page.title(), heading=heading)
    problems = _problems.setdefault(page, [])
    if status != 200:
        found.problems.append(f"answered {status}")
        problems.clear()
        return found
    found.links = links(page)
    if headings.count() != 1:
        found.problems.append(f"has {headings.count()} h1 headings")
    if not _words(heading) <= _words(found.title):
        found.problems.append(f"title {found.title!r} does not name the heading {heading!r}")
    content = CSRF_TOKEN.sub("", page.evaluate(CONTENT))  # a new token in every response
    digest = hashlib.sha256(content.encode()).hexdigest()
    try:
        if digest in done.axe:
            assert_page_healthy(page)
        else:
            assert_accessible(page)
            done.axe.add(digest)
    except AssertionError as failure:
        found.problems.append(str(failure))
    problems.clear()  # reported: the next page starts afresh
    if found.url not in done.keyboard:
        found.problems.extend(keyboard_problems(page))
        done.keyboard.add(found.url)
    return found


def _words(text: str) -> set[str]:
    """The words of a text, whatever their case, with numbers as numbers ("06" is "6")."""
    words = re.findall(r"\w+", text.casefold())
    return {word.lstrip("0") or "0" if word.isdigit() else word for word in words}


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

# What must be the same for axe's verdict to stand: the main area and the navigation (the
# header's account details differ by name only).
CONTENT = """() => [document.title, document.querySelector('nav[aria-label="Main navigation"]'),
  document.querySelector('main')].map((e) => (typeof e === 'string' ? e : e ? e.outerHTML : ''))
  .join('\\n')"""


# ---------------------------------------------------------------------------------------------
# Which pages


LINKS = """() => {
  const page = (a) => {
    const url = new URL(a.href, document.baseURI);
    return url.origin === location.origin && !url.search && !url.hash ? url.pathname : null;
  };
  const sections = [...document.querySelectorAll('main a[href]')]
    .filter((a) => !a.closest('table'))
    .map(page);
  const firsts = [...document.querySelectorAll('main table')].map((t) => {
    const a = t.querySelector('tbody tr a[href]');
    return a ? page(a) : null;
  });
  const header = [...document.querySelectorAll('header a[href]')].map(page);
  return {sections, firsts, header};
}"""


def links(page: Page) -> dict[str, list[str]]:
    found = page.evaluate(LINKS)
    return {
        key: [url for url in urls if url and not NOT_PAGES.search(url) and not ACTIONS.search(url)]
        for key, urls in found.items()
    }


def sign_in(page: Page, email: str) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()


def dashboards(email: str) -> list[str]:
    which = dashboards_for(User.objects.get(email=email))
    shown = [
        ("dashboards:overview", which.overview),
        ("dashboards:my_areas", which.my_areas),
        ("dashboards:my_work", which.my_work),
    ]
    return [reverse(name) for name, yes in shown if yes]


# What each kind of page leads to: (kind of page, which of its links, kind of those pages).
FOLLOW = {
    "nav": [("sections", "section"), ("header", "section"), ("firsts", "record")],
    "section": [("firsts", "record")],
    "record": [("sections", "deep")],
    "deep": [("firsts", "deep record")],
    "deep record": [],
}


def sweep(page: Page, email: str, done: Done) -> dict[str, Visit]:
    """Visit the account's pages (see the module's docstring); return them by address."""
    sign_in(page, email)
    start = urlsplit(page.url).path
    nav = [
        urlsplit(href).path
        for href in page.locator("nav[aria-label='Main navigation'] a").evaluate_all(
            "els => els.map(e => e.href)"
        )
    ]
    visited: dict[str, Visit] = {}
    queue = [(url, "nav") for url in [start, *nav, *dashboards(email)]]
    while queue:
        url, kind = queue.pop(0)
        if url in visited or (kind.startswith("deep") and url in done.deep):
            continue
        if kind.startswith("deep"):
            done.deep.add(url)
        found = visit(page, url, done)
        visited[url] = found
        if found.url != url:  # a redirect (/ and /dashboards/ go to the account's dashboard)
            if found.url in visited:
                del visited[url]
                continue
            visited[found.url] = visited.pop(url)
        for key, next_kind in FOLLOW[kind]:
            queue += [(link, next_kind) for link in found.links.get(key, [])]
    return visited


def problems_of(visited: dict[str, Visit]) -> list[str]:
    problems = [
        f"{found.url}: {problem}" for found in visited.values() for problem in found.problems
    ]
    by_title: dict[str, list[str]] = {}
    for found in visited.values():
        if found.status == 200:
            by_title.setdefault(found.title, []).append(found.url)
    problems += [
        f"{len(urls)} pages share the title {title!r}: {', '.join(urls)}"
        for title, urls in by_title.items()
        if len(urls) > 1
    ]
    if len(visited) < 15:
        problems.append(f"the sweep reached only {sorted(visited)}")
    return problems


@pytest.mark.timeout(1500)
def test_every_page_of_every_demo_account_is_accessible_by_keyboard_with_its_own_title(
    page: Page,
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    done = Done()
    report = []
    for email in EMAILS:
        page.context.clear_cookies()  # signed out
        visited = sweep(page, email, done)
        if problems := problems_of(visited):
            report.append(f"{email}, {len(visited)} pages:\n  " + "\n  ".join(problems))
    assert len(done.keyboard) >= 60, f"only {len(done.keyboard)} pages were swept"
    assert not report, "\n".join(report)
