"""The JSON API v1: one django-ninja instance, its operations (``ops_*.py``) and its errors."""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from brobyg.api import ops_intake, ops_orgs, ops_outcomes, ops_people, ops_reports
from brobyg.api.problems import Problem, problem_response, validation_errors

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"


class Utf8JSONRenderer(JSONRenderer):
    """Danish letters as themselves (UTF-8), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Brobyg API",
    version="1",
    description=(
        "Referrals in, status and outcomes out, for case systems and data warehouses. "
        "Authenticate with OAuth 2.0 client credentials at /api/v1/oauth/token/ and send "
        "the token as `Authorization: Bearer <token>`. Errors are RFC 9457 problem documents "
        "(Danish or English by Accept-Language)."
    ),
    renderer=Utf8JSONRenderer(),
    openapi_url=None,
    docs_url=None,
)

api.add_router("/", ops_orgs.router)
api.add_router("/", ops_intake.router)
api.add_router("/", ops_people.router)
api.add_router("/", ops_outcomes.router)
api.add_router("/", ops_reports.router)


@api.exception_handler(Problem)
def _problem(request, exc):
    return problem_response(request, exc.kind, exc.detail, errors=exc.errors, headers=exc.headers)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return problem_response(request, "invalid-input", errors=validation_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(
        request,
        "unauthenticated",
        _("Get a token at /api/v1/oauth/token/ with the client's id and secret."),
        headers={"WWW-Authenticate": 'Bearer realm="brobyg"'},
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, "not-found")


@api.exception_handler(HttpError)
def _http_error(request, exc):
    kind = {401: "unauthenticated", 403: "forbidden", 404: "not-found", 413: "too-large"}.get(
        exc.status_code, "malformed"
    )
    return problem_response(request, kind)


@api.exception_handler(Exception)
def _server_error(request, exc):
    logger.exception("API error in %s %s", request.method, request.path)
    return problem_response(request, "server-error")


def openapi_document() -> dict:
    """The OpenAPI document, its error answers described as the problem documents they are."""
    document = api.get_openapi_schema(path_prefix=PREFIX)
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
    return document
