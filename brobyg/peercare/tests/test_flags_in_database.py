""" "Needs attention" is found by the database (``selectors.flagged_condition``) with the same
rules as the flags peer care builds in Python (``selectors.peer_care_rows``), and costs the same
queries however many peers are flagged."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.peercare import selectors
from brobyg.peercare.models import ProgrammePeerCare, TrainingKind, TrainingRecord
from brobyg.peercare.tests.conftest import held_session
from brobyg.peercare.tests.test_list_queries import _peers
from brobyg.people.models import Peer, PeerStatus
from brobyg.test import in_org, make_member, make_peer, make_programme, make_user

# A fixed Wednesday noon: no rule here may depend on the hour, the weekday or the date.
NOON = datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _peer(personas, name, *, programmes=None, created_days_ago=0, status=PeerStatus.ACTIVE):
    with scopes_disabled():
        user = make_user(f"{name.lower()}@example.org", name)
        make_member(personas.org_a, user, ["peer"])
        peer = make_peer(personas.org_a, user, programmes or [personas.programme_a], status=status)
        Peer.objects.filter(pk=peer.pk).update(
            created_at=timezone.now() - timedelta(days=created_days_ago)
        )
    return peer


def _record(personas, peer, *, kind=TrainingKind.CREDENTIAL, title="First aid", tool="", **days):
    today = timezone.localdate()
    with scopes_disabled():
        return TrainingRecord.objects.create(
            organisation=personas.org_a,
            peer=peer,
            kind=kind,
            title=title,
            recovery_tool=tool,
            completed_on=today - timedelta(days=days.get("completed_days_ago", 300)),
            expires_on=today + timedelta(days=days["expires_in"]),
            recorded_by=personas.alice,
        )


def _programme_with_weeks(personas, name, weeks):
    programme = make_programme(personas.org_a, name)
    with scopes_disabled():
        ProgrammePeerCare.objects.create(
            organisation=personas.org_a,
            programme=programme,
            supervision_weeks=weeks,
            updated_by=personas.alice,
        )
    return programme


def _shown(flags):
    return [(flag.kind, flag.when, flag.record and flag.record.pk, flag.occasion) for flag in flags]


@time_machine.travel(NOON, tick=False)
def test_the_database_flags_the_same_peers_as_the_python_rules(personas):
    eight_weeks, four_weeks = (
        _programme_with_weeks(personas, name, weeks)
        for name, weeks in (("Otte uger", 8), ("Fire uger", 4))
    )
    children = make_programme(personas.org_a, "Ung til ung", minimum_age=13)

    expected = set()
    never = _peer(personas, "Never", created_days_ago=365)
    expected.add(never.pk)
    held_session(personas, [_peer(personas, "Recent", created_days_ago=365)], days_ago=1)
    # Seven weeks without supervision: overdue after six weeks (the default), not after eight;
    # a programme without peer-care settings leaves the other programme's weeks.
    six = _peer(personas, "Six", created_days_ago=365)
    eight = _peer(personas, "Eight", programmes=[eight_weeks], created_days_ago=365)
    both = _peer(
        personas, "Both", programmes=[personas.programme_a, eight_weeks], created_days_ago=365
    )
    held_session(personas, [six, eight, both], days_ago=49)
    expected.add(six.pk)
    # Five weeks: overdue in a programme of four weeks, fewer than the default.
    four = _peer(personas, "Four", programmes=[four_weeks], created_days_ago=365)
    held_session(personas, [four, _peer(personas, "Five", created_days_ago=365)], days_ago=35)
    expected.add(four.pk)
    # Joined six weeks and a day ago, never supervised: overdue; six weeks to the day: not yet.
    joined = _peer(personas, "Joined", created_days_ago=43)
    _peer(personas, "Justjoined", created_days_ago=42)
    expected.add(joined.pk)
    # On a break: never overdue; onboarding: overdue like an active peer.
    _peer(personas, "Paused", created_days_ago=365, status=PeerStatus.PAUSED)
    onboarding = _peer(personas, "Onboarding", created_days_ago=365, status=PeerStatus.ONBOARDING)
    expected.add(onboarding.pk)
    # Credentials: expiring within 30 days, expired, 31 days ahead, renewed (title differently
    # written), and an expired tool beside a valid one.
    soon, expired, later, renewed = (
        _peer(personas, name) for name in ("Soon", "Expired", "Later", "Renewed")
    )
    held_session(personas, [soon, expired, later, renewed], days_ago=1)
    _record(personas, soon, expires_in=30)
    _record(personas, expired, expires_in=-1)
    _record(personas, later, expires_in=31)
    _record(personas, renewed, expires_in=-100)
    _record(personas, renewed, title=" First AID ", completed_days_ago=10, expires_in=300)
    expected |= {soon.pk, expired.pk}
    # Recovery tools: each tool is its own series; a renewed tool is current.
    other_tool, renewed_tool = _peer(personas, "Othertool"), _peer(personas, "Renewedtool")
    held_session(personas, [other_tool, renewed_tool], days_ago=1)
    for peer, tools in ((other_tool, ("wrap", "five_ways")), (renewed_tool, ("wrap", "wrap"))):
        _record(personas, peer, kind=TrainingKind.RECOVERY_TOOL, expires_in=-5, tool=tools[0])
        _record(
            personas,
            peer,
            kind=TrainingKind.RECOVERY_TOOL,
            completed_days_ago=10,
            expires_in=300,
            tool=tools[1],
        )
    expected.add(other_tool.pk)
    # Children: no certificate is flagged, a valid one is not, an expired one is (as expired).
    missing, valid, old = (
        _peer(personas, name, programmes=[children]) for name in ("Missing", "Valid", "Old")
    )
    held_session(personas, [missing, valid, old], days_ago=1)
    _record(personas, valid, kind=TrainingKind.CHILD_PROTECTION, title="", expires_in=200)
    _record(personas, old, kind=TrainingKind.CHILD_PROTECTION, title="", expires_in=-5)
    expected |= {missing.pk, old.pk}
    renewed_certificate = _peer(personas, "Renewedcertificate", programmes=[children])
    held_session(personas, [renewed_certificate], days_ago=1)
    _record(personas, renewed_certificate, kind=TrainingKind.CHILD_PROTECTION, expires_in=-5)
    _record(
        personas,
        renewed_certificate,
        kind=TrainingKind.CHILD_PROTECTION,
        title="Fornyet",
        completed_days_ago=10,
        expires_in=300,
    )

    with in_org(personas.org_a):
        cared = selectors.peers_cared_for(personas.org_a)
        rows = selectors.peer_care_rows(personas.org_a, cared)
        every = selectors.needs_attention(personas.org_a)
        first = selectors.needs_attention(personas.org_a, limit=3)
        paused = selectors.peers_on_a_break(personas.org_a).count()
    in_python = {row.peer.pk: _shown(row.flags) for row in rows if row.flags}
    assert set(in_python) == expected
    # The list of flags reads less than a whole row and shows the same flags.
    assert {row.peer.pk: _shown(row.flags) for row in every.rows} == in_python
    assert every.count == first.count == len(expected)
    assert [row.peer.pk for row in first.rows] == [row.peer.pk for row in every.rows][:3]
    assert paused == 1


@time_machine.travel(NOON, tick=False)
def test_the_start_page_panel_does_not_grow_with_flagged_peers(client, personas):
    # Overdue peers (a year without supervision): first fewer, then more than the panel shows.
    _peers(personas, 2, 0)
    client.force_login(personas.alice)
    url = reverse("start")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _peers(personas, 25, 100)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    (panel,) = [
        panel
        for section in response.context["sections"]
        for panel in section["panels"]
        if panel["name"] == "peercare_flags"
    ]
    assert len(panel["flagged"]) == 20
    assert panel["more"] == 7
    assert len(many) == len(few)
    page = response.content.decode()
    assert reverse("peercare_attention") in page
    assert all(row.url in page for row in panel["flagged"])
