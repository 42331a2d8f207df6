"""The first administrator's first session, over HTTP against a running production install
(stdlib only; run by `.ci/production`).

    python3 .ci/production_walk.py BASE_URL EMAIL PASSWORD MAIL_DIRECTORY

BASE_URL is the public https address (as in SITE_URL); requests go to the gunicorn it names over
plain HTTP with `X-Forwarded-Proto: https`, as from the TLS proxy, all over one connection, which
gunicorn must keep open between requests (keep-alive). The walk logs in, sets up the
authenticator app (TOTP codes computed from the secret on the page), creates a programme, adds a
member (whose invitation the worker e-mails to the SMTP sink writing MAIL_DIRECTORY), and logs in
again with password and code. Any unexpected answer stops it with a message.
"""

import base64
import hashlib
import hmac
import html
import http.client
import re
import struct
import sys
import time
import urllib.parse
from email import message_from_bytes, policy
from pathlib import Path


class WalkFailed(Exception):
    pass


def totp(secret: str, at: float, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 with SHA-1, as allauth's authenticator app codes."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // step)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


class Browser:
    def __init__(self, base_url: str):
        parsed = urllib.parse.urlsplit(base_url)
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        self.host, self.port = parsed.hostname, parsed.port or 443
        self.cookies: dict[str, str] = {}
        self.url = self.origin + "/"
        # One connection for the whole walk, as a proxy reuses its connections to gunicorn.
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, method: str, path: str, fields=None) -> tuple[int, str, str]:
        """One request; returns (status, body, location) and keeps the cookies."""
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
            "User-Agent": "brobyg-production-walk",
            "Referer": self.url,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        if response.will_close:
            raise WalkFailed(
                f"gunicorn closed the connection after {method} {path}: it should keep it open"
                " for the next request (keep-alive, gunicorn.conf.py)"
            )
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, attributes = value.partition(";")
                key, _, val = cookie.partition("=")
                if "max-age=0" in attributes.lower() or val in ('""', ""):
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
        return response.status, content, response.getheader("Location", "")

    def go(self, method: str, path: str, fields=None) -> tuple[str, str]:
        """A request followed through redirects; returns (final path, page)."""
        for _ in range(10):
            status, content, location = self.request(method, path, fields)
            if status in (301, 302, 303):
                location = urllib.parse.urljoin(self.origin + path, location)
                if not location.startswith(self.origin):
                    raise WalkFailed(f"{path} redirected off-site to {location}")
                path = location[len(self.origin) :]
                method, fields = "GET", None
                continue
            if status != 200:
                raise WalkFailed(f"{method} {path} answered {status}:\n{content[:2000]}")
            self.url = self.origin + path
            return urllib.parse.urlsplit(path).path, content
        raise WalkFailed(f"too many redirects from {path}")

    def submit(self, page: str, path: str, fields: dict) -> tuple[str, str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise WalkFailed(f"no form with a CSRF token on {path}")
        return self.go("POST", path, {"csrfmiddlewaretoken": token[1], **fields})


def form_errors(page: str) -> str:
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', page, re.S)
    return "; ".join(html.unescape(re.sub(r"<[^>]+>", "", e)).strip() for e in errors if e.strip())


def input_value(page: str, element_id: str) -> str:
    tag = re.search(rf'<input[^>]*id="{element_id}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', tag[0]) if tag else None
    if not value:
        raise WalkFailed(f"no input #{element_id} on the page")
    return html.unescape(value[1])


class Walk:
    def __init__(self, base_url, email, password, mail_directory):
        self.browser = Browser(base_url)
        self.email, self.password = email, password
        self.mail_directory = Path(mail_directory)
        self.secret = ""
        self.used_steps: set[int] = set()

    def step(self, message: str) -> None:
        print(f"   walk: {message}", flush=True)

    def code(self) -> str:
        """A code for a time step not used before (allauth refuses a code used twice)."""
        while int(time.time() // 30) in self.used_steps:
            time.sleep(1)
        now = time.time()
        self.used_steps.add(int(now // 30))
        return totp(self.secret, now)

    def answer(self, path: str, page: str) -> tuple[str, str]:
        """Get past the pages between a request and what was asked for."""
        for _ in range(5):
            if path == "/accounts/reauthenticate/":
                self.step("confirm the password again before adding a second factor")
                path, page = self.browser.submit(page, path, {"password": self.password})
            elif path == "/accounts/2fa/totp/activate/":
                self.secret = input_value(page, "authenticator_secret")
                self.step("activate the authenticator app (TOTP)")
                path, page = self.browser.submit(page, path, {"code": self.code()})
                if path == "/accounts/2fa/totp/activate/":
                    raise WalkFailed(f"TOTP activation refused: {form_errors(page)}")
            elif path == "/accounts/2fa/authenticate/":
                self.step("give the authenticator code")
                path, page = self.browser.submit(page, path, {"code": self.code()})
            else:
                return path, page
        raise WalkFailed(f"stuck at {path}")

    def log_in(self) -> str:
        path, page = self.browser.go("GET", "/accounts/login/")
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        if not stylesheet:
            raise WalkFailed("the log-in page links no stylesheet")
        status, _, _ = self.browser.request("GET", stylesheet[1])
        if status != 200:
            raise WalkFailed(f"static file {stylesheet[1]} answered {status}")
        path, page = self.browser.submit(
            page, path, {"login": self.email, "password": self.password}
        )
        if path == "/accounts/login/":
            raise WalkFailed(f"log-in refused: {form_errors(page)}")
        return self.answer(path, page)[1]

    def run(self) -> None:
        self.step(f"log in as {self.email}")
        self.log_in()
        path, page = self.answer(*self.browser.go("GET", "/"))
        if not self.secret:
            raise WalkFailed("was never asked to set up a second factor")
        if path != "/" or "Eksempel Kommune" not in page:
            raise WalkFailed(f"the start page is not the organisation's ({path})")

        self.step("create a programme")
        path, page = self.browser.go("GET", "/programmes/new/")
        path, page = self.browser.submit(
            page,
            path,
            {
                "name": "Peer-støtte i socialpsykiatrien",
                "description": "",
                "support_type": "paid",
                "model": "supplementary",
                "peer_role": "integrated",
                "purposes": ["wellbeing"],
                "forms": ["individual", "group"],
                "minimum_age": "18",
                "legal_basis": "public_task",
                "is_active": "on",
            },
        )
        if not path.startswith("/programmes/") or path == "/programmes/new/":
            raise WalkFailed(f"the programme was not created: {form_errors(page)}")
        _, page = self.browser.go("GET", "/programmes/")
        if "Peer-støtte i socialpsykiatrien" not in page:
            raise WalkFailed("the new programme is not in the list")

        member = "koordinator@kommune.dk"
        self.step(f"add {member}; the worker e-mails the invitation")
        path, page = self.browser.go("GET", "/members/new/")
        path, page = self.browser.submit(
            page, path, {"full_name": "Kim Koordinator", "email": member, "roles": ["coordinator"]}
        )
        if not path.startswith("/members/") or path == "/members/new/":
            raise WalkFailed(f"the member was not added: {form_errors(page)}")
        self.expect_one_mail(member)

        self.step("log out, and in again with password and authenticator code")
        _, page = self.browser.go("GET", "/accounts/logout/")
        self.browser.submit(page, "/accounts/logout/", {})
        if self.browser.request("GET", "/programmes/")[0] != 302:
            raise WalkFailed("still logged in after logging out")
        self.log_in()
        path, page = self.browser.go("GET", "/programmes/")
        if path != "/programmes/" or "Peer-støtte i socialpsykiatrien" not in page:
            raise WalkFailed(f"the second log-in did not get in ({path})")
        self.step("done")

    def expect_one_mail(self, recipient: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = [
                message_from_bytes(f.read_bytes(), policy=policy.default)
                for f in sorted(self.mail_directory.glob("*.eml"))
            ]
            if messages:
                break
            time.sleep(0.5)
        else:
            raise WalkFailed(f"no e-mail reached the SMTP sink within {timeout:.0f} s")
        time.sleep(2)  # a second, duplicate e-mail would show up now
        messages = sorted(self.mail_directory.glob("*.eml"))
        if len(messages) != 1:
            raise WalkFailed(f"expected one e-mail, the sink got {len(messages)}")
        message = message_from_bytes(messages[0].read_bytes(), policy=policy.default)
        if message["X-Sink-Recipient"] != recipient or "Eksempel Kommune" not in message["Subject"]:
            raise WalkFailed(f"unexpected e-mail to {message['To']}: {message['Subject']}")
        body = message.get_body(("plain",)).get_content()
        if self.browser.origin + "/accounts/password/reset/key/" not in body:
            raise WalkFailed("the invitation holds no link to choose a password")
        self.step(f"the worker sent {message['Subject']!r} to {recipient}")


def main() -> int:
    base_url, email, password, mail_directory = sys.argv[1:5]
    try:
        Walk(base_url, email, password, mail_directory).run()
    except WalkFailed as failure:
        print(f"production walk failed: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
