"""A client system's webhook receiver for tests: http.server in a thread on a free localhost
port. It checks each delivery's signature as a real receiver must (``webhooks.verify``) and
answers with the next of ``answers`` (then 200)."""

import time

from brobyg.api import webhooks
from brobyg.test import LocalServer, QuietHandler


class Receiver(LocalServer):
    def __init__(self):
        self.secret = ""
        self.answers: list[int] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {
                        "headers": dict(self.headers),
                        "body": body,
                        "signed": webhooks.verify(
                            receiver.secret,
                            self.headers.get(webhooks.SIGNATURE_HEADER, ""),
                            body,
                            now=int(time.time()),
                        ),
                    }
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        super().__init__(Handler, "/brobyg/events", poll_interval=0.05)
