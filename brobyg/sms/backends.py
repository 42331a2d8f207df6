"""Where text messages go, chosen like Django's e-mail backends by ``BROBYG_SMS_BACKEND``.

A backend has one method, ``send(*, msisdn, text, sender) -> str``: it hands one text to its
destination and returns the provider's id for it (empty when there is none), or raises
``SmsError``; ``error.permanent`` says whether trying again can help. The text is never logged.

- ``console``: prints each text (development).
- ``file``: writes each text as a file in ``BROBYG_SMS_DIR`` (the demo, beside its e-mails).
- ``gatewayapi``: GatewayAPI's REST API (see ``GatewayApiBackend``).
- ``locmem``: keeps the texts in ``backends.outbox`` (tests).
"""

import json
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

outbox: list[dict] = []


class SmsError(Exception):
    def __init__(self, code: str, *, permanent: bool):
        super().__init__(code)
        self.code = code
        self.permanent = permanent


class ConsoleBackend:
    def send(self, *, msisdn: str, text: str, sender: str) -> str:
        sys.stdout.write(f"SMS from {sender} to +{msisdn}:\n{text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return ""


class FileBackend:
    def __init__(self, directory=None):
        self.directory = Path(directory or settings.BROBYG_SMS_DIR)

    def send(self, *, msisdn: str, text: str, sender: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (self.directory / name).write_text(
            f"From: {sender}\nTo: +{msisdn}\n\n{text}\n", encoding="utf-8"
        )
        return name


class LocmemBackend:
    def send(self, *, msisdn: str, text: str, sender: str) -> str:
        outbox.append({"msisdn": msisdn, "text": text, "sender": sender})
        return f"locmem-{len(outbox)}"


class GatewayApiBackend:
    """GatewayAPI (gatewayapi.com, a Danish SMS gateway), its REST API for sending:

    ``POST /rest/mtsms`` with ``Authorization: Token <API token>``, ``Content-Type:
    application/json`` and the body ``{"sender": "Brobyg", "message": "...", "recipients":
    [{"msisdn": 4520304050}]}`` (the number as an integer with its country code, no "+"; the
    sender at most 11 letters or digits). It answers ``200`` with ``{"ids": [<id>], ...}``; a
    ``4xx`` means the request itself is wrong (a bad token or number: trying again does not help),
    a ``5xx`` or no answer that it may work later.

    Configured by ``BROBYG_GATEWAYAPI_TOKEN`` and ``BROBYG_GATEWAYAPI_URL`` (default
    ``https://gatewayapi.com/rest/mtsms``; ``https://gatewayapi.eu/rest/mtsms`` keeps the data in
    the EU).
    """

    timeout_seconds = 15

    def __init__(self, url=None, token=None):
        self.url = url or settings.BROBYG_GATEWAYAPI_URL
        self.token = token or settings.BROBYG_GATEWAYAPI_TOKEN
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("BROBYG_GATEWAYAPI_URL must be an https:// address.")

    def send(self, *, msisdn: str, text: str, sender: str) -> str:
        body = json.dumps(
            {"sender": sender, "message": text, "recipients": [{"msisdn": int(msisdn)}]}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SmsError(f"http_{error.code}", permanent=400 <= error.code < 500) from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise SmsError("unreachable", permanent=False) from None
        except ValueError:
            # It answered, so the text may well have gone: not tried again.
            raise SmsError("bad_answer", permanent=True) from None
        ids = answer.get("ids") if isinstance(answer, dict) else None
        return str(ids[0]) if ids else ""


BACKENDS = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "gatewayapi": GatewayApiBackend,
    "locmem": LocmemBackend,
}


def enabled() -> bool:
    return settings.BROBYG_SMS_BACKEND != "disabled"


def get_backend():
    return BACKENDS[settings.BROBYG_SMS_BACKEND]()
