"""A client system's webhook receiver for tests: http.server in a thread on a free localhost
port. It checks each delivery's signature as a real receiver must (``webhooks.verify``) and
answers with the next of ``answers`` (then 200)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from brobyg.api import webhooks


class Receiver:
    def __init__(self):
        self.secret = ""
        self.answers: list[int] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
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

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/brobyg/events"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
