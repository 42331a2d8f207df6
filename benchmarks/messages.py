"""How the conversation pages of secure messages behave as a conversation grows.

Run from the repository root (SQLite in a temporary folder, or an empty PostgreSQL database):

    .venv/bin/python benchmarks/messages.py
    .venv/bin/python benchmarks/messages.py --sizes 10,100,1000,10000 --runs 30
    BENCHMARK_DATABASE_URL=postgres://.../empty_db .venv/bin/python benchmarks/messages.py

It migrates the database, makes the test personas (``brobyg.test``) and one support course of
Bob's, and grows its conversation to each size (messages from the peer, the coordinator and the
citizen in turn). At each size it logs in as Bob (password and authenticator, through the real
log-in pages; DEBUG off) and requests the staff page, the citizen's page by personal link and a
poll with nothing new (``after`` = the latest message) and one returning every message after
the tenth-to-last. Each page is requested once to warm caches, then ``--runs`` times. One line
per page and size on stdout:

    RESULT messages page=<staff|citizen|poll_empty|poll_10> messages=<n> status=<code>
        median_ms=<ms> p95_ms=<ms> queries=<n> kb=<size>    (on one line)
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "status": response.status_code,
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": count,
        "kb": len(response.content) / 1024,
    }


def grow(conversation, personas, count: int) -> None:
    from brobyg.conversations.models import Message

    authors = (personas.bob, personas.alice, None)
    Message.objects.bulk_create(
        (
            Message(
                organisation=conversation.organisation,
                conversation=conversation,
                author=authors[number % 3],
                from_citizen=authors[number % 3] is None,
                text=f"Besked nummer {number}: hvordan gik det i dag? " * 3,
            )
            for number in range(count)
        ),
        batch_size=1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    sizes = sorted(int(size) for size in arguments.sizes.split(","))

    workdir = Path(tempfile.mkdtemp(prefix="brobyg-bench-messages-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    )
    os.environ["DEBUG"] = "0"
    # The benchmark's notices to the citizen go nowhere, and only RESULT lines reach stdout.
    os.environ["BROBYG_SMS_BACKEND"] = "disabled"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from brobyg.conversations import services
    from brobyg.conversations.models import Message
    from brobyg.support import services as support_services
    from brobyg.test import (
        create_personas,
        log_in_with_second_factor,
        make_peer,
        make_waiting_request,
    )

    try:
        call_command("migrate", verbosity=0)
        with scopes_disabled():
            personas = create_personas()
            peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
            support_request, _token = make_waiting_request(personas.programme_a, name="Lone Holm")
            course = support_services.course_create(
                actor=personas.alice,
                citizen=support_request.citizen,
                programme=personas.programme_a,
                peers=[peer],
                data={},
                goals="",
            )
            conversation = services.message_write(
                actor=personas.bob, course=course, text="Hej"
            ).conversation
            token = services.link_create(conversation=conversation)
        client = Client()
        log_in_with_second_factor(client, personas.bob.email)
        citizen = Client()
        staff_url = reverse("conversations_conversation", args=[course.public_id])
        poll_url = reverse("conversations_new", args=[course.public_id])
        citizen_url = reverse("conversations_citizen", args=[token])
        have = 1
        for size in sizes:
            with scopes_disabled():
                grow(conversation, personas, size - have)
                have = size
                ids = list(
                    Message.objects.filter(conversation=conversation)
                    .order_by("-id")
                    .values_list("id", flat=True)[:11]
                )
            pages = [
                ("staff", client, staff_url),
                ("citizen", citizen, citizen_url),
                ("poll_empty", client, f"{poll_url}?after={ids[0]}"),
                ("poll_10", client, f"{poll_url}?after={ids[-1]}"),
            ]
            for name, who, url in pages:
                figures = measure(who, url, arguments.runs)
                print(
                    f"RESULT messages page={name} messages={size} status={figures['status']} "
                    f"median_ms={figures['median_ms']:.1f} p95_ms={figures['p95_ms']:.1f} "
                    f"queries={figures['queries']} kb={figures['kb']:.0f}",
                    flush=True,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
