import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy and Permissions-Policy with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class DanishFirstLocaleMiddleware:
    """Danish unless the person chose English with the switch in the header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, showing English to a
    Danish social worker whose work PC happens to be set up in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# The idle timeout is the session's expiry (SESSION_COOKIE_AGE), which runs from the session's
# last save. Saving it on every request cost three queries a page; it is saved when its
# last-activity stamp is a minute old or more. So a session ends between 29 and 30 minutes (by
# default) after the member's last request: up to a minute early, never late.
SESSION_ACTIVITY_KEY = "_last_activity"


class SessionActivityMiddleware:
    """Extend a live session's idle timeout at most once a minute (after SessionMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            stamp = session.get(SESSION_ACTIVITY_KEY)
            now = int(time.time())
            # An unknown or expired session key loads as empty: nothing to keep alive.
            if not session.is_empty() and not (
                stamp is not None and 0 <= now - stamp < settings.SESSION_ACTIVITY_SECONDS
            ):
                session[SESSION_ACTIVITY_KEY] = now
        return self.get_response(request)
