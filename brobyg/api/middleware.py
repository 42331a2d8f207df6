from django.conf import settings
from django.utils import translation

from brobyg.api.problems import api_language, problem_response

API_PREFIX = "/api/"
DOCS_PATH = "/api/v1/docs/"

ERROR_KINDS = {400: "malformed", 403: "forbidden", 404: "not-found", 405: "method-not-allowed"}


class ApiLimitsMiddleware:
    """For the JSON API: its language from Accept-Language (not the site's cookie), a request
    body over ``BROBYG_API_MAX_BODY_BYTES`` refused before anything reads it, and every error
    answered as a problem document."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        translation.activate(api_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            return problem_response(request, "malformed")
        if length > settings.BROBYG_API_MAX_BODY_BYTES:
            return problem_response(
                request,
                "too-large",
                translation.gettext("Send at most %(limit)d bytes.")
                % {"limit": settings.BROBYG_API_MAX_BODY_BYTES},
            )
        return self._as_problem(request, self.get_response(request))

    @staticmethod
    def _as_problem(request, response):
        """An error Django answered itself (an unknown path, a wrong method, a crash) as a
        problem document too; the docs page keeps the site's own error pages."""
        if response.status_code < 400 or request.path.startswith(DOCS_PATH):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        kind = ERROR_KINDS.get(response.status_code, "server-error")
        if response.status_code < 500 and kind == "server-error":
            kind = "malformed"
        allow = {"Allow": response["Allow"]} if response.has_header("Allow") else None
        return problem_response(request, kind, headers=allow)
