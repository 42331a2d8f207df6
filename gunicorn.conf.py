"""gunicorn's settings for Brobyg. gunicorn reads them from the directory it starts in (its default
``./gunicorn.conf.py``): the README's web service and ``benchmarks/load.py``. The number of
workers is given on their command lines.

A worker serves one request at a time, as gunicorn's default sync worker does. Unlike the sync
worker, it keeps a connection open after a request (keep-alive), so the proxy in front can send
the next request on it instead of opening a connection for every request. The proxy has to reuse
its connections for this to help: in nginx, ``keepalive`` in the upstream block, with
``proxy_http_version 1.1`` and an empty ``Connection`` header (README, production set-up).
Under ``benchmarks/load.py``, whose clients keep their connections, the daily pages' mix went
from 143-157 to 172-183 requests/s, and the trivial page from 847-969 to 1,214-1,300, in
alternating runs (benchmarks/README.md, "Thirteenth pass").

One difference from the sync worker: gunicorn's ``timeout`` (30 s) no longer ends a request
that runs that long, because the worker's main thread keeps reporting to gunicorn while its one
thread works. Long work (reports, imports) runs in the background worker, not in a request.
"""

worker_class = "gthread"
threads = 1
# Longer than the proxy keeps an idle connection open (nginx: 60 s), so the proxy closes it
# first. A request sent on a connection that gunicorn has just closed would fail.
keepalive = 75
