"""Supervision: sessions and notes private to the supervisor and the peer; coverage and the
overdue flag; coordinators and managers see dates only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from brobyg.peercare import selectors, services
from brobyg.peercare.models import SessionKind, SupervisionNote
from brobyg.peercare.tests.conftest import held_session
from brobyg.people.models import Peer, PeerStatus
from brobyg.test import assert_queries_do_not_grow, in_org, make_member, make_peer, make_user


def test_it_records_a_group_session_with_notes_per_peer_and_for_the_group(
    client, personas, bob_peer, pia_peer
):
    client.force_login(personas.sara)
    response = client.post(
        reverse("peercare_session_create"),
        {
            "kind": SessionKind.GROUP,
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": 90,
            "attendees": [str(bob_peer.public_id), str(pia_peer.public_id)],
        },
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        session = bob_peer.supervision_sessions.get()
    note_url = reverse("peercare_session_note", args=[session.public_id])
    client.post(note_url, {"peer": str(bob_peer.public_id), "text": "Bob's private note"})
    client.post(note_url, {"peer": str(pia_peer.public_id), "text": "Pia's private note"})
    client.post(note_url, {"peer": "", "text": "Group note for everyone"})
    page = client.get(reverse("peercare_session", args=[session.public_id])).content.decode()
    assert "Bob&#x27;s private note" in page and "Pia&#x27;s private note" in page
    assert "Group note for everyone" in page

    client.force_login(personas.bob)
    own = client.get(reverse("peercare_own_session", args=[session.public_id])).content.decode()
    assert "Bob&#x27;s private note" in own and "Group note for everyone" in own
    assert "Pia&#x27;s private note" not in own


def test_notes_are_never_shown_to_coordinators_or_managers(client, personas, bob_peer):
    session = held_session(personas, [bob_peer])
    with in_org(personas.org_a):
        SupervisionNote.objects.create(
            organisation=personas.org_a,
            session=session,
            peer=bob_peer,
            text="Very private supervision note",
            author=personas.sara,
        )
    for user in (personas.alice, personas.maja):
        client.force_login(user)
        assert client.get(reverse("peercare_session", args=[session.public_id])).status_code == 403
        page = client.get(reverse("peercare_peer", args=[bob_peer.public_id]))
        assert page.status_code == 200
        assert "Very private supervision note" not in page.content.decode()
        # The date is shown: coverage, not content.
        assert session.held_on.strftime("%Y") in page.content.decode()
        overview = client.get(reverse("peercare_overview")).content.decode()
        assert "Very private supervision note" not in overview


def test_another_supervisor_cannot_open_the_session(client, personas, bob_peer):
    from brobyg.test import make_member, make_user

    other = make_user("otto@example.org", "Otto Berg")
    make_member(personas.org_a, other, ["supervisor"])
    session = held_session(personas, [bob_peer])
    client.force_login(other)
    assert client.get(reverse("peercare_session", args=[session.public_id])).status_code == 404


def test_a_peer_writes_notes_about_themself_only(personas, bob_peer, pia_peer):
    session = held_session(personas, [bob_peer, pia_peer], kind=SessionKind.GROUP)
    with scope(organisation=personas.org_a.pk):
        services.note_add(actor=personas.bob, session=session, peer=bob_peer, text="Mine")
        with pytest.raises(ValidationError):
            services.note_add(actor=personas.bob, session=session, peer=pia_peer, text="Hers")
        with pytest.raises(ValidationError):
            services.note_add(actor=personas.bob, session=session, peer=None, text="Group")


def test_an_individual_session_has_one_peer_and_is_not_in_the_future(personas, bob_peer, pia_peer):
    with scope(organisation=personas.org_a.pk), pytest.raises(ValidationError) as error:
        services.session_record(
            actor=personas.sara,
            organisation=personas.org_a,
            kind=SessionKind.INDIVIDUAL,
            held_on=timezone.localdate() + timedelta(days=1),
            duration_minutes=60,
            attendees=[bob_peer, pia_peer],
        )
    assert set(error.value.error_dict) == {"attendees", "held_on"}


def test_recording_a_session_keeps_each_attendees_last_supervision(personas, bob_peer, pia_peer):
    today = timezone.localdate()
    with scope(organisation=personas.org_a.pk):
        for days_ago, attendees in ((3, [bob_peer]), (10, [bob_peer, pia_peer])):
            services.session_record(
                actor=personas.sara,
                organisation=personas.org_a,
                kind=SessionKind.GROUP,
                held_on=today - timedelta(days=days_ago),
                duration_minutes=90,
                attendees=[Peer.objects.get(pk=peer.pk) for peer in attendees],
            )
        stored = dict(Peer.objects.values_list("pk", "last_supervised_on"))
        # The session recorded afterwards for an earlier day leaves Bob's later one.
        assert stored[bob_peer.pk] == today - timedelta(days=3)
        assert stored[pia_peer.pk] == today - timedelta(days=10)
        Peer.objects.update(last_supervised_on=None)
        assert services.last_supervision_recount(Peer.objects.all()) == len(stored)
        assert dict(Peer.objects.values_list("pk", "last_supervised_on")) == stored


def test_coverage_flags_a_peer_without_supervision_for_the_programmes_weeks(
    personas, bob_peer, pia_peer
):
    held_session(personas, [bob_peer], days_ago=8 * 7)
    held_session(personas, [pia_peer], days_ago=7)
    with scope(organisation=personas.org_a.pk):
        rows = {
            r.peer.pk: r for r in selectors.peer_care_rows(personas.org_a, [bob_peer, pia_peer])
        }
        assert rows[bob_peer.pk].overdue and rows[bob_peer.pk].weeks == 6
        assert not rows[pia_peer.pk].overdue
        services.care_update(
            actor=personas.alice, programme=personas.programme_a, data={"supervision_weeks": 10}
        )
        rows = {r.peer.pk: r for r in selectors.peer_care_rows(personas.org_a, [bob_peer])}
        assert not rows[bob_peer.pk].overdue


def test_a_paused_peer_is_not_flagged_for_supervision(personas, bob_peer):
    held_session(personas, [bob_peer], days_ago=100)
    with in_org(personas.org_a):
        Peer.objects.filter(pk=bob_peer.pk).update(status="paused")
    with scope(organisation=personas.org_a.pk):
        assert selectors.organisation_flags(personas.org_a) == []


def test_the_supervisor_start_page_shows_overdue_supervisees(client, english, personas, bob_peer):
    held_session(personas, [bob_peer], days_ago=60)
    with scope(organisation=personas.org_a.pk):
        services.supervisor_assign(actor=personas.alice, peer=bob_peer, supervisor=personas.sara)
    client.force_login(personas.sara)
    page = client.get(reverse("start")).content.decode()
    assert "no supervision for longer than their programme asks" in page
    assert personas.bob.full_name in page


def test_only_a_supervisor_of_the_organisation_can_be_assigned(personas, bob_peer):
    with scope(organisation=personas.org_a.pk), pytest.raises(ValidationError):
        services.supervisor_assign(actor=personas.alice, peer=bob_peer, supervisor=personas.maja)


def test_the_supervision_page_names_each_sessions_attendees_in_the_same_queries(
    client, personas, bob_peer, pia_peer
):
    held_session(personas, [pia_peer, bob_peer], days_ago=3, kind=SessionKind.GROUP)
    other = held_session(personas, [bob_peer], days_ago=20, supervisor=personas.alice)

    def grow():
        for number in range(6):
            user = make_user(f"group{number}@example.org", f"Gruppe Deltager {number}")
            make_member(personas.org_a, user, ["peer"])
            peer = make_peer(personas.org_a, user, [personas.programme_a])
            if number == 5:  # named whatever the peer's status now
                with in_org(personas.org_a):
                    Peer.objects.filter(pk=peer.pk).update(status=PeerStatus.PAUSED)
            held_session(personas, [peer, bob_peer], days_ago=10 + number, kind=SessionKind.GROUP)

    client.force_login(personas.sara)
    response = assert_queries_do_not_grow(client, reverse("peercare_supervision"), grow)
    sessions = response.context["sessions"]
    bob = personas.bob.full_name
    assert [session.attendee_names for session in sessions[:2]] == [
        sorted([bob, "Pia Holm"]),
        sorted([bob, "Gruppe Deltager 0"]),
    ]
    assert len(sessions) == 7 and other not in sessions
    assert ", ".join(sorted([bob, "Pia Holm"])) in response.content.decode()
