"""The facilitators' start panel: its query is compiled once an organisation and day, the
facilitator its argument (``lib.compiled``), and reads a little past the panel's reach; the
panel still shows the next sessions within 60 days of now only, and the next day's panel reads
that day's sessions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings

from brobyg.groups.selectors import START_PAGE_DAYS_AHEAD, start_page_sessions
from brobyg.groups.tests.helpers import make_group
from brobyg.test import in_org


def test_the_panel_shows_the_sessions_within_its_reach_and_follows_the_day(personas, bob_peer):
    copenhagen = ZoneInfo(settings.TIME_ZONE)
    now = datetime(2027, 3, 10, 15, 0, tzinfo=copenhagen)
    with time_machine.travel(now, tick=False):
        # One session an hour inside the panel's reach of 60 days, one an hour past it.
        make_group(
            personas,
            facilitators=[bob_peer],
            first_session_at=now + timedelta(days=START_PAGE_DAYS_AHEAD, hours=1),
            session_count=1,
            title="Efter rækkevidden",
        )
        make_group(
            personas,
            facilitators=[bob_peer],
            first_session_at=now + timedelta(days=START_PAGE_DAYS_AHEAD, hours=-1),
            session_count=1,
            title="Inden for rækkevidden",
        )
        with in_org(personas.org_a):
            awaiting, coming = start_page_sessions(personas.bob, personas.org_a)
            again = start_page_sessions(personas.bob, personas.org_a)
            # The same kept query, run for someone who facilitates nothing.
            assert start_page_sessions(personas.alice, personas.org_a) == ([], [])
        assert awaiting == [] and again[0] == []
        assert [s.group.title for s in coming] == ["Inden for rækkevidden"]
        assert [s.public_id for s in again[1]] == [s.public_id for s in coming]
    with time_machine.travel(now + timedelta(hours=3), tick=False):
        # Later the same day the reach has moved: the second group's session is within it.
        with in_org(personas.org_a):
            _awaiting, coming = start_page_sessions(personas.bob, personas.org_a)
        assert [s.group.title for s in coming] == ["Inden for rækkevidden", "Efter rækkevidden"]
    with time_machine.travel(now + timedelta(days=1), tick=False):
        with in_org(personas.org_a):
            _awaiting, coming = start_page_sessions(personas.bob, personas.org_a)
        assert [s.group.title for s in coming] == ["Inden for rækkevidden", "Efter rækkevidden"]
        # The rows are sessions as ``.only()`` reads them: other columns load on demand.
        assert coming[0].group.public_id and coming[0].number == 1
        with in_org(personas.org_a):
            assert coming[0].organisation_id == personas.org_a.pk
