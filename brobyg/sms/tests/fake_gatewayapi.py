"""A local stand-in for GatewayAPI's REST API, started by the tests in a thread.

It checks each request against GatewayAPI's documented format (``POST /rest/mtsms``, token
authentication, a JSON body of exactly ``sender``, ``message`` and ``recipients: [{msisdn}]``)
and answers as GatewayAPI does: ``200 {"ids": [...]}``, or ``400``/``401`` with
``{"code": ..., "message": ...}``. ``answers`` can hold statuses to give instead (e.g. 500).
"""

import json
import re

from brobyg.test import LocalServer, QuietHandler

TOKEN = "test-token-123"


class FakeGatewayApi(LocalServer):
    def __init__(self):
        self.received: list[dict] = []
        self.problems: list[str] = []
        self.answers: list[int] = []
        fake = self

        class Handler(QuietHandler):
            def do_POST(self):
                fake.handle(self)

        super().__init__(Handler, "/rest/mtsms")

    def check(self, handler, body: bytes) -> tuple[int, list[str]]:
        problems = []
        if handler.path != "/rest/mtsms":
            problems.append(f"path {handler.path}")
        if handler.headers.get("Authorization") != f"Token {TOKEN}":
            return 401, ["token"]
        if handler.headers.get("Content-Type") != "application/json":
            problems.append("content type")
        try:
            data = json.loads(body)
        except ValueError:
            return 400, ["not JSON"]
        if set(data) != {"sender", "message", "recipients"}:
            problems.append(f"keys {sorted(data)}")
        sender = data.get("sender")
        if not isinstance(sender, str) or not re.fullmatch(r"[A-Za-z0-9]{1,11}", sender):
            problems.append("sender")
        if not isinstance(data.get("message"), str) or not data.get("message"):
            problems.append("message")
        recipients = data.get("recipients")
        if not (
            isinstance(recipients, list)
            and recipients
            and all(
                isinstance(r, dict)
                and set(r) == {"msisdn"}
                and isinstance(r["msisdn"], int)
                and 10 <= len(str(r["msisdn"])) <= 15
                for r in recipients
            )
        ):
            problems.append("recipients")
        return (400 if problems else 200), problems

    def handle(self, handler):
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        status, problems = self.check(handler, body)
        if status == 200 and self.answers:
            status = self.answers.pop(0)
        if status == 200:
            self.received.append(json.loads(body))
            answer = {"ids": [4200 + len(self.received)], "usage": {"total_cost": 0.1}}
        else:
            self.problems.extend(problems)
            answer = {"code": str(status), "message": "; ".join(problems) or "error"}
        payload = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def delivery_report(self, *, secret: str, message_id: int, msisdn: int, status: str):
        """The callback GatewayAPI posts when a text's status changes, as documented: a JSON body
        (``id``, ``msisdn``, ``time``, ``status``, ``error``, ``code``, ``userref``,
        ``country_code``, ``country_prefix``) and the same fields as the claims of an HS256 JWT in
        the ``X-Gwapi-Signature`` header. Returns (body, headers) to post."""
        import time

        import jwt

        report = {
            "id": message_id,
            "msisdn": msisdn,
            "time": int(time.time()),
            "status": status,
            "error": None,
            "code": None,
            "userref": None,
            "country_code": "DK",
            "country_prefix": 45,
        }
        signature = jwt.encode(report, secret, algorithm="HS256")
        return json.dumps(report), {"X-Gwapi-Signature": signature}
