import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
application = get_wsgi_application()

# What is loaded by now (the code, the URLs) lives as long as the process. Frozen, the cyclic
# garbage collector no longer walks it in its full collections, a few of which every hundred
# requests otherwise cost (benchmarks/README.md, "Fourth pass").
get_resolver().url_patterns  # noqa: B018 (loads the URLconf now rather than at the first request)
gc.collect()
gc.freeze()
