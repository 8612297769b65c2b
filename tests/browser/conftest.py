"""End-to-end tests: Debian's Chromium, driven by Playwright, against Django's live server.

Chromium is Debian's package, never a browser downloaded by Playwright: its headless build
(``apt-get install chromium-headless-shell``, the same Blink as ``chromium`` without the desktop browser
around it, which Playwright itself uses for headless runs; it costs a third less CPU), else the full
``chromium``; these tests are skipped when neither is installed. One browser is started per test process
(xdist worker) and kept for the session, with its contexts and their pages, lent to the tests with their
cookies cleared (``new_page``). People sign in through the real form (``sign_in``: the whole cycle, the report
cycle's clerk) or, in the tests about something else, with a session made by Django's test client
(``signed_in``). Screenshots are taken only on request (BAOCAO_SCREENSHOTS=1, ``make screenshots``): to
build/screenshots/ (ignored by git) and docs/screenshots/ (committed, shown in the README and the user guide).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.web.conftest import PASSWORD, World, make_world

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page
    from pytest_django.live_server_helper import LiveServer

CHROMIUM_BUILDS = [Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium")]
CHROMIUM = next((path for path in CHROMIUM_BUILDS if path.exists()), CHROMIUM_BUILDS[-1])
# The flags this machine needs: no sandbox as root, and no background traffic to hosts it cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
PUBLISHED = ROOT / "docs" / "screenshots"
# Two days before the round's deadline (28/02/2024): the pages then show a report sent on time.
NOW = datetime(2024, 2, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TIMEOUT_MS = 10_000
# The job pages and the signing form ask the server for progress every second; the tests ask five times as
# often, so that a page sees a finished job 0.2 s after it ends rather than up to a second later.
POLL_SECONDS = 0.2


@dataclass
class Session:
    """The browser of a test process, its Playwright loop, and the contexts (one per person) it lends."""

    browser: Browser
    loop: asyncio.AbstractEventLoop
    contexts: list[BrowserContext] = field(default_factory=list)


@pytest.fixture(scope="session")
def _chromium_session(django_db_setup: None, live_server: LiveServer) -> Iterator[Session]:
    """One Playwright driver and one browser per test process, for the whole session.

    Playwright's sync API keeps its asyncio loop marked as running on the test thread between its calls, and
    Django refuses database calls beside a running loop (SynchronousOnlyOperation); async_to_sync refuses to
    run there at all. So the loop is marked running only while a browser test runs (``chromium`` below) and
    unmarked in between: the rest of the suite, run by the same process, never sees it. Playwright itself
    marks it again after each of its calls; nothing of Playwright runs while it is unmarked. The test database
    and the live server are set up before the loop exists."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is missing: apt-get install chromium-headless-shell (or chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        sync_api.expect.set_options(timeout=TIMEOUT_MS)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        session = Session(browser, asyncio.get_running_loop())
        asyncio._set_running_loop(None)
        try:
            yield session
        finally:
            asyncio._set_running_loop(session.loop)
            browser.close()


@pytest.fixture
def chromium(_chromium_session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    """The session's browser, with Playwright's loop marked running for this test only.

    Nothing in these tests is async: the ORM calls on the test thread (building data, checking what was saved,
    flushing the tables) only happen to run beside Playwright's loop, hence DJANGO_ALLOW_ASYNC_UNSAFE, set
    for this test only."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(_chromium_session.loop)
    try:
        yield _chromium_session
    finally:
        # While the loop is marked running, Django's connections belong to the loop's context, not to the
        # thread (asgiref's Local): the test's own are closed here, or on PostgreSQL (connections kept 60 s)
        # they would outlive the run and keep the test database from being dropped.
        from django.db import connections

        connections.close_all()
        asyncio._set_running_loop(None)


@pytest.fixture(autouse=True)
def _quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    from baocao.jobs import views as jobs_views
    from baocao.signing import views as signing_views

    monkeypatch.setattr(jobs_views, "POLL_SECONDS", POLL_SECONDS)
    monkeypatch.setattr(signing_views, "POLL_SECONDS", POLL_SECONDS)


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    # The live server runs in this process, so travelling in time moves its clock too. Sign-in still works:
    # Django's cookies carry Max-Age, which browsers prefer to the Expires date (in the past for them).
    with time_machine.travel(NOW, tick=True):
        yield make_world()


# Where a new context's page first waits: a static file of the live server (the same site as the tests', so
# the same renderer; about:blank would cost Chromium another one).
RESTING = "/static/baocao/site.css"
DEFAULT_VIEWPORT = {"width": 1400, "height": 900}
# A page given back stops what its document still runs (htmx polls, the entry page's checks and retries)
# and takes a URL no test asks for, so that the next test's first ``goto`` loads a new document, even to the
# same address with another #fragment. Cheaper than loading another page: leaving the document is paid once,
# by that ``goto``.
QUIET = """() => {
  const last = setTimeout(() => {}, 0);
  for (let id = 0; id <= last; id++) { clearTimeout(id); clearInterval(id); }
  window.stop();
  history.replaceState(null, "", "/__page-lent-to-the-next-test__");
}"""


@pytest.fixture
def new_page(chromium: Session, live_server: LiveServer, world: World) -> Iterator[Callable[[], Page]]:
    """Pages, each in a browser context of its own (its own cookies: one person each), given back when the
    test ends.

    A new context and a new page each cost Chromium a renderer process to start; so the contexts are kept
    for the session, each with one page, and that page is lent to the tests: cookies cleared, back online, at
    its default size and media, its document quiet (``QUIET``) after each test. The application keeps nothing
    else in the browser (no local storage, no service worker); a test's first ``goto`` loads a new
    document."""
    pages: list[Page] = []

    def make() -> Page:
        if len(pages) == len(chromium.contexts):
            context = chromium.browser.new_context(
                base_url=live_server.url,
                viewport=DEFAULT_VIEWPORT,  # type: ignore[arg-type]
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.new_page().goto(RESTING)
            chromium.contexts.append(context)
        page = chromium.contexts[len(pages)].pages[0]
        page.context.clear_cookies()
        pages.append(page)
        return page

    yield make
    from playwright.sync_api import Error

    for page in pages:
        page.context.clear_cookies()
        page.context.set_offline(False)
        try:
            page.evaluate(QUIET)
        except Error:  # the test ended while its page was leaving for another: wait on a page of ours
            page.goto(RESTING)
        if page.viewport_size != DEFAULT_VIEWPORT:
            page.set_viewport_size(DEFAULT_VIEWPORT)  # type: ignore[arg-type]
        page.emulate_media(media="null")


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


def work() -> None:
    """The background worker's turn: the library's worker loop, run on the test thread until the queue is
    empty, while the page keeps asking the live server for the job's progress. The test database is SQLite
    in memory, which the live server shares with the test thread through one connection (as Django's
    LiveServerThread does); a worker thread of its own would need a second connection, which a shared
    in-memory database refuses ("table is locked") instead of waiting. Workers as deployed: tests/cli."""
    from baocao.jobs.worker import run_worker

    run_worker(batch=True, interval=0)


def sign_in(page: Page, username: str, *, then: str | None = None) -> None:
    """Through the real sign-in form, as a person would; to the page ``then`` afterwards (the form's ``next``,
    as when a link leads to the form), else to the home page."""
    page.goto("/dang-nhap/" if then is None else f"/dang-nhap/?{urlencode({'next': then})}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def signed_in(page: Page, username: str, *, then: str | None = "/") -> None:
    """Signed in without the form, for the tests about something else: a session made by Django's test
    client (``force_login``, the same session the form would open) handed to the page's context as its cookie;
    then to the page ``then`` (the home page by default, where the form leads; None: the test goes on itself).
    The form itself is played by ``sign_in`` (the whole cycle and the clerk of the report cycle)."""
    from django.conf import settings
    from django.test import Client

    from baocao.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    server = urlsplit(page.url)  # a lent page is always on the live server, resting or not
    url = f"{server.scheme}://{server.netloc}/"
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": url, "httpOnly": True, "sameSite": "Lax"}]
    )
    if then is not None:
        page.goto(then)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


def screenshots_wanted() -> bool:
    return os.environ.get("BAOCAO_SCREENSHOTS") == "1"


def screenshot(page: Page, name: str, **options: Any) -> Path | None:
    """On request (BAOCAO_SCREENSHOTS=1): save to build/screenshots/ and docs/screenshots/ (committed, shown
    in the README and the user guide). A full-page capture costs Chromium about half a second of CPU, so the
    ordinary test run takes none."""
    if not screenshots_wanted():
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=path, animations="disabled", caret="hide", **options)
    PUBLISHED.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, PUBLISHED / name)
    return path
