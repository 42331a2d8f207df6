"""The flagged peers' query is compiled once per organisation, day, time zone and flagging
sections (``lib.compiled``): a new day, another organisation or a new section is asked afresh."""

from datetime import timedelta

import time_machine
from django.db.models import Q

from brobyg.lib import compiled
from brobyg.peercare import extensions, selectors
from brobyg.peercare.extensions import PeerCareSection
from brobyg.peercare.tests.test_flags_in_database import NOON, _peer
from brobyg.test import in_org


def _flagged(personas):
    with in_org(personas.org_a):
        return selectors.flagged_peer_ids(personas.org_a)


def test_a_peer_turns_overdue_on_the_next_day_and_in_no_other_organisation(personas):
    compiled.forget()
    with time_machine.travel(NOON, tick=False):
        joined = _peer(personas, "Joined", created_days_ago=42)
        assert joined.pk not in _flagged(personas)
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert joined.pk in _flagged(personas)
        with in_org(personas.org_b):
            assert selectors.flagged_peer_ids(personas.org_b) == []


@time_machine.travel(NOON, tick=False)
def test_a_new_flagging_section_is_asked_afresh(personas, monkeypatch):
    compiled.forget()
    quiet = _peer(personas, "Quiet", created_days_ago=1)
    assert quiet.pk not in _flagged(personas)
    monkeypatch.setitem(
        extensions._SECTIONS,
        "everyone",
        PeerCareSection(
            name="everyone",
            peer_template="peercare/_records.html",
            peer_build=lambda request, peer: {},
            flags=lambda organisation, peer_ids: {pk: ["Everyone"] for pk in peer_ids},
            flagged=lambda organisation: Q(pk__isnull=False),
        ),
    )
    assert quiet.pk in _flagged(personas)
