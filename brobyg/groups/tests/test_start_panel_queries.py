"""The facilitators' start panel reads only the columns it shows and costs the same queries
however many sessions wait for attendance or come next (no session or group read row by row)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.urls import reverse

from brobyg.groups.tests.helpers import make_group
from brobyg.groups.tests.test_group_pages import as_user
from brobyg.test import assert_queries_do_not_grow

NOW = datetime(2027, 1, 13, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


@time_machine.travel(NOW, tick=False)
def test_the_facilitators_panel_does_not_grow_in_queries(client, personas, bob_peer):
    make_group(personas, facilitators=[bob_peer], first_session_at=NOW + timedelta(days=1, hours=2))

    def grow():
        for number in range(3):
            make_group(
                personas,
                facilitators=[bob_peer],
                title=f"Gruppe {number}",
                first_session_at=NOW - timedelta(days=3, hours=number),
                interval_days=1,
            )

    response = assert_queries_do_not_grow(
        as_user(client, personas.bob), reverse("start"), grow=grow
    )
    page = response.content.decode()
    assert "Gruppe 2" in page and "Waiting for attendance" in page and "Today" in page
