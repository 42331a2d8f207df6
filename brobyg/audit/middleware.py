"""Pages that show personal data are not kept by the browser: every response to a request that
wrote a read, search or export entry to the audit log is sent with ``Cache-Control: no-store``
(a shared municipal PC's browser would otherwise keep them on disk and in its history)."""

from django.utils.cache import add_never_cache_headers

from brobyg.audit.services import reads_logged, start_counting_reads


class NoStoreWhenReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = start_counting_reads()
        try:
            response = self.get_response(request)
            if reads_logged():
                add_never_cache_headers(response)
        finally:
            token.var.reset(token)
        return response
