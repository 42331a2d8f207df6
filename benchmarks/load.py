"""Requests per second for a mix of daily pages under gunicorn, beside a trivial endpoint.

Run from the repository root against a database that ``benchmarks/pages.py`` loaded:

    BENCHMARK_DATABASE_URL=postgres://.../same_db .venv/bin/python benchmarks/load.py
    BENCHMARK_DATABASE_URL=... .venv/bin/python benchmarks/load.py --threads 10 --seconds 20

It starts gunicorn (``--workers`` processes, DEBUG off, the second-factor middleware on) on a free
local port, with the project's ``gunicorn.conf.py`` (one request at a time per worker, keep-alive).
It logs in one member per role of the big and the small municipality through the real log-in pages
(Django's test client against the same database; the session cookie is then used over HTTP), and
lets ``--threads`` client threads request, each over its own keep-alive connection and as fast as
answers come, for ``--seconds``. By default there is one thread per member of the mix (10). Each
thread requests as every member in turn, so each connection carries the whole mix (before the
thirteenth pass, thread ``i`` requested as member ``i`` alone; the runs of the third pass and
before used 8 threads, leaving out the small municipality's privacy officer and peer).

- ``trivial``: the anonymous welcome page (the whole middleware stack, a small template, no
  query but the session's absence);
- ``mix``: the daily pages of ``pages.py`` of the coordinator, manager, referrer, peer and
  privacy officer in both organisations, round robin (not the report or the matching pages,
  which are background work), each thread in its own member's session.

One line per target on stdout:

    RESULT load target=<trivial|mix> workers=<n> threads=<n> seconds=<s> requests=<n>
        errors=<n> rps=<r> p50_ms=<ms> p95_ms=<ms>    (on one line)

On stderr, at the start and the end, the machine's load and the interpreter
(``benchmarks/machine.py``; gunicorn runs under the same one).

An error is an answer other than 200 or a failed connection. Goal (issue 23): the mix at >= 200
requests/s with 0 errors under 2 workers, on the production machine (a quiet one).
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIX_ROLES = ("coordinator", "manager", "referrer", "peer", "privacy_officer")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "brobyg.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def sessions_and_pages(national, installation, today) -> list[tuple[str, list[str]]]:
    """(session cookie, the member's daily page URLs) for each role of the mix."""
    from django_scopes import scopes_disabled
    from pages import SLOW_PAGES, log_in, pages_for

    members = []
    for key in ("big", "small"):
        organisation = installation[key]
        for role in MIX_ROLES:
            client = log_in(role, organisation, national.PASSWORD)
            with scopes_disabled():
                urls = [
                    url
                    for name, url in pages_for(role, organisation, today)
                    if name not in SLOW_PAGES
                ]
            members.append((client.cookies["sessionid"].value, urls))
    return members


def hammer(port: int, targets: list[tuple[str, list[str]]], threads: int, seconds: float):
    """Each thread requests as each member of ``targets`` (cookie, URLs) in turn, each member's
    pages round robin, until the time is up. So every connection carries the same mix: a worker
    keeps the connections it accepted (keep-alive), and a thread fixed to one member would make
    the mix lean towards the members whose worker has fewer connections."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, step = [], 0, index
        while time.monotonic() < stop:
            cookie, urls = targets[step % len(targets)]
            url = urls[(step // len(targets)) % len(urls)]
            headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
            step += 1
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            times.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    times.sort()
    return {
        "requests": len(times) + errors[0],
        "errors": errors[0],
        "rps": (len(times) + errors[0]) / elapsed,
        "p50_ms": statistics.median(times) if times else 0.0,
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="default: one per member")
    parser.add_argument("--seconds", type=float, default=20)
    arguments = parser.parse_args()
    if "BENCHMARK_DATABASE_URL" not in os.environ:
        raise SystemExit("Set BENCHMARK_DATABASE_URL to a database loaded by benchmarks/pages.py")
    os.environ["DATABASE_URL"] = os.environ["BENCHMARK_DATABASE_URL"]
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))

    import django

    django.setup()
    import national
    from django.utils import timezone
    from machine import describe
    from pages import reloaded

    print(describe(), file=sys.stderr, flush=True)

    members = sessions_and_pages(national, reloaded(national), timezone.localdate())
    threads = arguments.threads or len(members)
    port = free_port()
    server = start_gunicorn(port, arguments.workers, dict(os.environ))
    try:
        runs = {"trivial": [("", ["/"])], "mix": members}
        for target, targets in runs.items():
            hammer(port, targets, threads, 2)  # warm the workers
            figures = hammer(port, targets, threads, arguments.seconds)
            print(
                f"RESULT load target={target} workers={arguments.workers} "
                f"threads={threads} seconds={arguments.seconds:g} "
                f"requests={figures['requests']} errors={figures['errors']} "
                f"rps={figures['rps']:.0f} p50_ms={figures['p50_ms']:.1f} "
                f"p95_ms={figures['p95_ms']:.1f}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        print(describe(), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
