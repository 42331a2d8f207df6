"""Browser tests: pytest fixtures that drive headless Debian Chromium through Playwright.

Registered as a pytest plugin in ``conftest.py``. A browser test is a few lines::

    import pytest
    from django.urls import reverse
    from playwright.sync_api import expect

    from brobyg.browser import log_in


    @pytest.mark.browser
    def test_alice_sees_the_programmes(page, live_site):
        log_in(page, live_site.personas.alice)
        page.goto(reverse("programme_list"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()

Fixtures:

``live_site``
    pytest-django's live server and a fresh database (``transactional_db``) holding the personas
    of ``brobyg.test.create_personas()``: ``live_site.url``, ``live_site.personas``. Demo mode is
    off, so the second factor is really asked for.
``page``
    A Playwright page in a fresh browser context whose base URL is the live server, so
    ``page.goto(reverse("start"))`` works. The browser asks for Danish, as our users' do.
``new_page``
    ``new_page(**context_options)`` opens one more page in a context of its own (its own cookies,
    so its own log-in), e.g. for Alice and Carl side by side. ``page`` is ``new_page()``.

Helpers: ``log_in(page, user)``, ``log_out(page)``, ``switch_language(page, "en")``,
``submit_password(page, user)`` and ``submit_authenticator_code(page, code)`` (the two steps of
``log_in``), ``brobyg.test.totp_code()``, ``logged_in_marker(page)``, ``check_accessibility(page)``.

Accessibility: every document the page loads is checked with axe-core (bundled with
axe-playwright-python, so offline) once it has loaded, whether it came from ``goto``, a link or a
form; a navigation away waits for that check. At the end of the test, every violation of impact
"serious" or "critical" fails it, listed by page, rule, impact and element. Uncaught JavaScript
errors, Content-Security-Policy refusals and 5xx responses fail it the same way. A page changed
without a navigation (an htmx swap) is checked where the test calls ``check_accessibility(page)``.

Playwright's sync API runs an asyncio event loop in the test's thread and leaves it marked as
running between its calls. Django refuses queries in a thread with a running loop
(``SynchronousOnlyOperation``), and keeps its connections per asyncio context then. The fixtures
mark the loop as running only while a browser test runs, with ``DJANGO_ALLOW_ASYNC_UNSAFE`` set and
the thread's connections handed on (see ``_Chromium.turn``), and undo all of it afterwards, so the
other tests in the same process see none of it. With the in-memory SQLite test database the live
server shares the test's connection: query the database in a browser test only while no request is
under way, i.e. after an ``expect`` that waits for the page, not right after a click.
"""

import asyncio
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from brobyg.test import PASSWORD, create_personas, totp_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# What a Danish user's browser sends (Brobyg shows Danish whatever the browser asks for).
BROWSER_LOCALE = "da-DK"
# Playwright waits for pages and elements up to this long (ms) before it fails a step.
TIMEOUT_MS = 10_000
FAILING_IMPACTS = ("serious", "critical")
# axe checks a document once it has loaded, or after this long (ms) if it does not load.
LOAD_WAIT_MS = 3_000
# A navigation waits for axe to finish the document it leaves; axe gives up after this long (ms).
AXE_TIMEOUT_MS = 5_000
_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# Every document of the site runs axe-core (bundled with axe-playwright-python, so it works
# offline) once it has loaded, and reports through the console. The script is added by Playwright
# as an init script (the DevTools protocol), which the page's Content-Security-Policy does not
# govern, so it runs under our `script-src 'self'` without `bypass_csp`.
_MARK = "__brobyg_axe__ "
_AXE_BEFORE = """(() => {
  if (window !== window.top || !/^https?:$/.test(location.protocol)) return;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const tell = (data) =>
    console.debug(__MARK__ + JSON.stringify({id, url: location.href, ...data}));
  tell({kind: "start"});"""
_AXE_AFTER = """  const impacts = __IMPACTS__;
  let last = Promise.resolve();
  const run = () => {
    last = last.then(async () => {
      let outcome;
      try {
        const results = await Promise.race([
          window.axe.run(document, {resultTypes: ["violations"]}),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error("axe took too long")), __AXE_TIMEOUT_MS__),
          ),
        ]);
        outcome = {
          version: window.axe.version,
          violations: results.violations
            .filter((v) => impacts.includes(v.impact))
            .map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              helpUrl: v.helpUrl,
              targets: v.nodes.map((n) => n.target.join(" ")),
            })),
        };
      } catch (error) {
        outcome = {error: String(error)};
      }
      const report = {kind: "report", id, url: location.href, ...outcome};
      tell(report);
      return report;
    });
    return last;
  };
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") return resolve();
    window.addEventListener("load", resolve, {once: true});
    setTimeout(resolve, __LOAD_WAIT_MS__);
  });
  window.__brobygAxeRun = loaded.then(run);
  window.__brobygAxeCheck = run;
})();"""
_AXE_SETTINGS = {
    "__MARK__": json.dumps(_MARK),
    "__IMPACTS__": json.dumps(FAILING_IMPACTS),
    "__LOAD_WAIT_MS__": str(LOAD_WAIT_MS),
    "__AXE_TIMEOUT_MS__": str(AXE_TIMEOUT_MS),
}


def _fill(template: str) -> str:
    for placeholder, value in _AXE_SETTINGS.items():
        template = template.replace(placeholder, value)
    return template


_AXE_INIT_SCRIPT = "\n".join([_fill(_AXE_BEFORE), Axe().axe_script, _fill(_AXE_AFTER)])


def log_in(page: Page, user, *, password: str = PASSWORD) -> None:
    """Log ``user`` in through the real forms: e-mail and password, then the authenticator code.

    Starts from the log-in page, so nobody may be logged in on the page yet (see ``log_out``).
    Waits until the user is logged in. The page keeps its language.
    """
    submit_password(page, user, password=password)
    submit_authenticator_code(page, totp_code())
    expect(logged_in_marker(page)).to_be_attached()


def logged_in_marker(page: Page):
    """The log-out button in the header: there once the user is logged in, second factor too."""
    return page.locator(f"header form[action='{reverse('account_logout')}'] [type=submit]")


def submit_password(page: Page, user, *, password: str = PASSWORD) -> None:
    """Open the log-in page, send the e-mail and password, and wait for the second-factor form."""
    page.goto(reverse("account_login"))
    form = page.locator(f"form[action='{reverse('account_login')}']")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]:not([form])").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_authenticate")) + "$"))


def submit_authenticator_code(page: Page, code: str) -> None:
    """Send ``code`` in the second-factor form the page shows."""
    # allauth refuses a code that was used once already (replay protection). A test that logs in
    # twice within 30 seconds has no new code to give, so forget the used ones.
    cache.clear()
    form = page.locator(f"form[action='{reverse('mfa_authenticate')}']")
    form.locator("input[name=code]").fill(code)
    form.locator("[type=submit]:not([form])").click()


def log_out(page: Page) -> None:
    logged_in_marker(page).click()
    expect(page.locator(f"form[action='{reverse('account_login')}']")).to_be_attached()


def switch_language(page: Page, language: str) -> None:
    """Switch the site's language with the button in the header ("en" or "da")."""
    button = {"en": "English", "da": "Dansk"}[language]
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def check_accessibility(page: Page) -> None:
    """Check the page as it is now, e.g. after an htmx swap; failures are reported at the end of
    the test with the others."""
    _PageAudit.of(page).check()


@dataclass
class LiveSite:
    url: str
    personas: SimpleNamespace


@pytest.fixture
def live_site(live_server, transactional_db, settings) -> LiveSite:
    """The live server, with the personas in a fresh database."""
    # The second factor must really be asked for.
    settings.DEMO_MODE = False
    # Accept the authenticator codes of the neighbouring 30-second windows, as most servers do, so
    # that a log-in which straddles a window's end does not fail by chance.
    settings.MFA_TOTP_TOLERANCE = 1
    return LiveSite(url=live_server.url, personas=create_personas())


@dataclass
class _Chromium:
    browser: Browser
    loop: asyncio.AbstractEventLoop

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Playwright's turn: its loop counts as running in this thread, and Django accepts that.

        Between its calls Playwright leaves its event loop marked as running in this thread (its
        ``expect_*`` helpers need that). While a loop runs, Django refuses queries unless
        ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set, and it keeps its database connections per asyncio
        context instead of per thread: the test would get a second connection of its own, outside
        the test's transaction, that nobody closes. So the thread's connections are handed on to
        that context. Afterwards the loop, the variable and the connections are as they were,
        so the other tests in the same process see none of it.
        """
        previous = os.environ.get(_ASYNC_UNSAFE)
        os.environ[_ASYNC_UNSAFE] = "true"
        thread_connections = {alias: connections[alias] for alias in connections}
        asyncio._set_running_loop(self.loop)
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        try:
            yield
        finally:
            asyncio._set_running_loop(self.loop)
            for alias in thread_connections:
                del connections[alias]
            asyncio._set_running_loop(None)
            if previous is None:
                del os.environ[_ASYNC_UNSAFE]
            else:
                os.environ[_ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def _chromium() -> Iterator[_Chromium]:
    """One Chromium per test process (so per xdist worker); each test gets fresh contexts."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run them, not skip them", pytrace=False)
        pytest.skip(reason)
    playwright = sync_playwright().start()
    loop = asyncio.get_running_loop()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except BaseException:
        playwright.stop()
        raise
    finally:
        asyncio._set_running_loop(None)
    chromium = _Chromium(browser=browser, loop=loop)
    yield chromium
    with chromium.turn():
        try:
            browser.close()
        finally:
            playwright.stop()


@pytest.fixture
def new_page(request, _chromium: _Chromium, live_site: LiveSite):
    """``new_page(**context_options)``: a page in a fresh browser context, checked by axe."""
    if request.node.get_closest_marker("browser") is None:
        pytest.fail(
            "A test that drives the browser must be marked @pytest.mark.browser", pytrace=False
        )
    audits: list[_PageAudit] = []
    problems: list[str] = []
    with _chromium.turn():

        def open_page(**context_options) -> Page:
            options = {
                "base_url": live_site.url,
                "locale": BROWSER_LOCALE,
                "timezone_id": "Europe/Copenhagen",
                "service_workers": "block",
                **context_options,
            }
            context = _chromium.browser.new_context(**options)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            audits.append(_PageAudit(page))
            return page

        yield open_page
        for audit in audits:
            problems.extend(audit.finish())
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page) -> Page:
    """A Playwright page on the live site, Danish, checked by axe (see the module's docstring)."""
    return new_page()


@dataclass
class _PageAudit:
    """Collects axe's findings for one page, and makes sure each document is checked.

    Each document announces itself when it starts and reports when axe is done. A navigation
    that would leave a document before its report is held back until the report is in; the
    document keeps running meanwhile. (Checking from Python just before a navigation does not
    work: Chromium takes no DevTools evaluation while a navigation is pending.)
    """

    page: Page
    axe_version: str = ""
    violations: dict[tuple[str, str], dict] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    pending: dict[str, str] = field(default_factory=dict)
    held: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page._brobyg_audit = self
        self.page.add_init_script(_AXE_INIT_SCRIPT)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._error(f"JavaScript error: {error}"))
        self.page.on("response", self._response)
        # Documents are held back through the DevTools protocol, not page.route(): a route makes
        # Playwright turn off the HTTP cache, and every page then loads its CSS and JS afresh.
        self.cdp = self.page.context.new_cdp_session(self.page)
        self.cdp.on("Fetch.requestPaused", self._before_document)
        self.cdp.send(
            "Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Request"}]}
        )
        # Going back or forward may take the document from the cache, without a request to hold:
        # finish the check of the current document first.
        for name in ("go_back", "go_forward"):
            setattr(self.page, name, self._after_check(getattr(self.page, name)))

    def _after_check(self, navigate):
        def wrapped(*args, **kwargs):
            self._receive(self.page.evaluate("() => window.__brobygAxeRun ?? null"))
            return navigate(*args, **kwargs)

        return wrapped

    @staticmethod
    def of(page: Page) -> "_PageAudit":
        return page._brobyg_audit

    def check(self) -> None:
        """Check the current document again, now."""
        self._receive(self.page.evaluate("() => window.__brobygAxeCheck?.() ?? null"))

    def finish(self) -> list[str]:
        """Wait for the last document's check, close the context, describe what failed."""
        try:
            if not self.page.is_closed():
                self._receive(self._last_report())
        except Exception as error:
            self._error(f"axe could not check the page: {error}")
        finally:
            self._release()
            self.page.context.close()
        for url in self.pending.values():
            self.errors.append(f"axe did not get to check {_path(url)}")
        problems = []
        if self.violations:
            problems.append(
                f"axe-core {self.axe_version} found serious or critical accessibility violations:"
            )
            for (path, rule), violation in self.violations.items():
                problems.append(f"  {path}: {rule} ({violation['impact']}): {violation['help']}")
                problems.extend(f"      {target}" for target in violation["targets"])
                problems.append(f"      see {violation['helpUrl']}")
        problems.extend(self.errors)
        return problems

    def _last_report(self) -> dict | None:
        self.page.wait_for_load_state()
        try:
            return self.page.evaluate("() => window.__brobygAxeRun ?? null")
        except PlaywrightError:
            # The test ended while the page was still leaving a document: take the next one's.
            self.page.wait_for_load_state()
            return self.page.evaluate("() => window.__brobygAxeRun ?? null")

    def _receive(self, message: dict | None) -> None:
        if message is None:
            return
        if message["kind"] == "start":
            # Only one document at a time: one still waiting for its check was left unchecked.
            for url in self.pending.values():
                self.errors.append(f"{_path(url)} was left before axe could check it")
            self.pending = {message["id"]: message["url"]}
            return
        self.pending.pop(message["id"], None)
        path = _path(message["url"])
        self.checked.append(path)
        if "error" in message:
            self.errors.append(f"axe failed on {path}: {message['error']}")
        else:
            self.axe_version = message["version"]
            for violation in message["violations"]:
                known = self.violations.setdefault((path, violation["id"]), violation)
                known["targets"] = sorted({*known["targets"], *violation["targets"]})
        if not self.pending:
            self._release()

    def _before_document(self, event: dict) -> None:
        if self.pending:
            self.held.append(event["requestId"])
        else:
            self._continue(event["requestId"])

    def _release(self) -> None:
        held, self.held = self.held, []
        for request_id in held:
            self._continue(request_id)

    def _continue(self, request_id: str) -> None:
        # The request may be gone: another navigation replaced it, or the page was closed.
        with suppress(PlaywrightError):
            self.cdp.send("Fetch.continueRequest", {"requestId": request_id})

    def _console(self, message) -> None:
        text = message.text
        if text.startswith(_MARK):
            self._receive(json.loads(text[len(_MARK) :]))
        elif message.type == "error" and "Content Security Policy" in text:
            self._error(f"refused by the Content-Security-Policy: {text}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self._error(f"server error {response.status} for {_path(response.url)}")

    def _error(self, text: str) -> None:
        self.errors.append(f"{text} (on {_path(self.page.url)})")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.scheme else url
