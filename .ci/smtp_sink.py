"""A tiny SMTP server for CI (stdlib only): every message it receives is written to a directory.

    python3 .ci/smtp_sink.py PORT DIRECTORY

It speaks just enough SMTP for Django's SMTP backend without TLS or authentication (EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT). Message n is stored as DIRECTORY/n.eml, written to a
temporary name first so a reader never sees half a message.
"""

import itertools
import os
import socketserver
import sys
import threading
from pathlib import Path

_numbers = itertools.count(1)
_lock = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    directory: Path

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost smtp-sink")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.store(recipients, self.read_data())
                self.reply("250 OK")
            elif verb in ("RSET", "NOOP"):
                recipients = [] if verb == "RSET" else recipients
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def store(self, recipients: list[str], data: bytes) -> None:
        with _lock:
            number = next(_numbers)
        header = "".join(f"X-Sink-Recipient: {recipient}\r\n" for recipient in recipients)
        temporary = self.directory / f".{number}.tmp"
        temporary.write_bytes(header.encode() + data)
        os.replace(temporary, self.directory / f"{number}.eml")


def main() -> None:
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    Handler.directory = directory
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
