"""Errors of the JSON API as RFC 9457 problem details, in Danish or English (Accept-Language).

Every error the API gives is one of these documents with ``Content-Type:
application/problem+json``: ``type`` (a stable URI naming the kind of problem), ``title``,
``status``, ``detail`` and, for invalid input, ``errors`` (one per field).
"""

import json

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

PROBLEM_TYPE_BASE = "https://brobyg.dk/problems/"

# kind -> (status, title)
KINDS = {
    "invalid-input": (422, gettext_lazy("The request has invalid or missing data")),
    "malformed": (400, gettext_lazy("The request could not be read")),
    "unauthenticated": (401, gettext_lazy("A valid bearer token is needed")),
    "forbidden": (403, gettext_lazy("This client may not do this")),
    "not-found": (404, gettext_lazy("Not found")),
    "method-not-allowed": (405, gettext_lazy("This method is not allowed here")),
    "too-large": (413, gettext_lazy("The request body is too large")),
    "unsupported-media-type": (415, gettext_lazy("Send the body as JSON")),
    "rate-limited": (429, gettext_lazy("Too many requests")),
    "server-error": (500, gettext_lazy("Something went wrong on our side")),
}


class Problem(Exception):
    """Raise in an operation to answer with a problem document."""

    def __init__(self, kind: str, detail: str = "", *, errors=None, headers=None):
        super().__init__(kind)
        self.kind = kind
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def api_language(request) -> str:
    """English when the caller's Accept-Language prefers it to Danish; Danish otherwise."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in ("da", "en"):
            return base
    return "da"


def problem_response(request, kind: str, detail: str = "", *, errors=None, headers=None):
    status, title = KINDS[kind]
    with translation.override(api_language(request)):
        body = {
            "type": PROBLEM_TYPE_BASE + kind,
            "title": str(title),
            "status": status,
            "detail": str(detail) or str(title),
            "instance": request.path,
        }
        if errors:
            body["errors"] = [
                {"field": error["field"], "message": str(error["message"])} for error in errors
            ]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/problem+json",
    )
    response.headers["Content-Language"] = api_language(request)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def form_errors(form) -> list[dict]:
    """A Django form's errors as the problem's ``errors`` (``field`` None: the whole request)."""
    return [
        {"field": None if field == "__all__" else field, "message": message}
        for field, messages in form.errors.items()
        for message in messages
    ]


def validation_errors(errors) -> list[dict]:
    """django-ninja's (pydantic's) validation errors as the problem's ``errors``."""
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        result.append(
            {
                "field": ".".join(location) or None,
                "message": _("This value is missing or not valid here."),
            }
        )
    return result
