"""The peer check-in: a clear drop or a wish to talk tells the supervisors and coordinators, who
never see the answers unless the peer shares them."""

import pytest
from django.core import mail
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.outcomes import services, services_answers
from brobyg.outcomes.models import PeerAlert, Response
from brobyg.outcomes.tests.helpers import make_peer
from brobyg.test import in_org

STEADY = {"w1": 3, "w2": 3, "w3": 3, "k1": 1, "k2": 1, "u1": 3, "talk": 0}
LOW = {"w1": 1, "w2": 1, "w3": 2, "k1": 3, "k2": 3, "u1": 1, "talk": 0}


@pytest.fixture
def peer(personas):
    return make_peer(personas.org_a, personas.bob, [personas.programme_a])


def checkin(peer, instruments, answers, capture, *, number=1, share=False):
    with in_org(peer.organisation), capture(execute=True):
        invitation, _token = services.invitation_create(
            organisation=peer.organisation,
            instrument=instruments["peer-checkin"],
            anchor_kind="peer",
            anchor_id=str(peer.public_id),
            timepoint=f"2026-01-{number:02d}",
            user=peer.user,
            peer=peer,
            send=False,
        )
        services_answers.response_save(invitation=invitation, answers=answers)
        return services_answers.response_complete(
            invitation=invitation, shared_with_supervisor=share
        )


def test_asking_for_a_talk_tells_supervisors_and_coordinators_without_the_answers(
    personas, instruments, peer, django_capture_on_commit_callbacks
):
    response = checkin(peer, instruments, {**STEADY, "talk": 1}, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        alert = PeerAlert.objects.get()
    assert alert.response == response and alert.reasons == ["asked"]
    [message] = mail.outbox
    assert sorted(message.to) == sorted([personas.alice.email, personas.sara.email])
    assert personas.bob.full_name in message.subject
    # It says why, never what the peer answered.
    for item_text in ("energi", "Jeg har", "Kunne du"):
        assert item_text not in message.body


def test_a_clear_drop_since_the_last_check_in_tells_them_too(
    personas, instruments, peer, django_capture_on_commit_callbacks
):
    checkin(peer, instruments, STEADY, django_capture_on_commit_callbacks)
    assert not mail.outbox
    checkin(peer, instruments, LOW, django_capture_on_commit_callbacks, number=2)
    with in_org(personas.org_a):
        assert PeerAlert.objects.get().reasons == ["drop"]
    assert len(mail.outbox) == 1
    # A small change does not.
    checkin(peer, instruments, {**LOW, "w3": 3}, django_capture_on_commit_callbacks, number=3)
    with in_org(personas.org_a):
        assert PeerAlert.objects.count() == 1


def test_the_start_page_shows_the_alert_and_it_can_be_marked_handled(
    client, personas, instruments, peer, django_capture_on_commit_callbacks
):
    checkin(peer, instruments, {**STEADY, "talk": 1}, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        alert = PeerAlert.objects.get()
    client.force_login(personas.sara)
    page = client.get(reverse("start")).content.decode()
    assert personas.bob.full_name in page
    assert reverse("outcomes_alert_handled", args=[alert.public_id]) in page
    response = client.post(reverse("outcomes_alert_handled", args=[alert.public_id]))
    assert response.status_code == 302
    with in_org(personas.org_a):
        alert.refresh_from_db()
    assert alert.handled_by == personas.sara
    assert (
        reverse("outcomes_alert_handled", args=[alert.public_id])
        not in client.get(reverse("start")).content.decode()
    )
    # Carl, in another organisation, never sees it.
    client.force_login(personas.carl)
    assert personas.bob.full_name not in client.get(reverse("start")).content.decode()


def test_only_the_peer_sees_the_answers_unless_shared(
    client, personas, instruments, peer, django_capture_on_commit_callbacks
):
    response = checkin(peer, instruments, STEADY, django_capture_on_commit_callbacks)
    client.force_login(personas.bob)
    own = client.get(reverse("outcomes_my_checkins"))
    assert own.status_code == 200 and "<svg" in own.content.decode()
    supervisor_page = reverse("outcomes_peer_checkins", args=[peer.public_id])
    client.force_login(personas.sara)
    assert "<svg" not in client.get(supervisor_page).content.decode()
    # The coordinator cannot open the peer's answers at all, not even as FHIR.
    client.force_login(personas.alice)
    assert client.get(supervisor_page).status_code == 403
    assert client.get(reverse("outcomes_response_fhir", args=[response.public_id])).status_code == (
        404
    )
    # The peer shares it; now the supervisor sees it.
    client.force_login(personas.bob)
    share = reverse("outcomes_checkin_share", args=[response.public_id])
    assert client.post(share, {"shared": "1"}).status_code == 302
    client.force_login(personas.sara)
    assert "<svg" in client.get(supervisor_page).content.decode()
    assert LogEntry.objects.filter(
        action="read", subject_id=str(personas.bob.public_id), actor=personas.sara
    ).exists()
    # And stops sharing.
    client.force_login(personas.bob)
    client.post(share, {"shared": "0"})
    with in_org(personas.org_a):
        assert not Response.objects.get(pk=response.pk).shared_with_supervisor


def test_a_peer_can_share_when_answering(
    personas, instruments, peer, django_capture_on_commit_callbacks
):
    response = checkin(peer, instruments, STEADY, django_capture_on_commit_callbacks, share=True)
    assert response.shared_with_supervisor


def test_nobody_else_can_share_a_peers_check_in(
    client, personas, instruments, peer, django_capture_on_commit_callbacks
):
    response = checkin(peer, instruments, STEADY, django_capture_on_commit_callbacks)
    other = make_peer(personas.org_a, personas.rita, [personas.programme_a])
    with in_org(personas.org_a):
        membership = personas.rita_membership
        membership.roles = ["peer"]
        membership.save()
    client.force_login(other.user)
    share = reverse("outcomes_checkin_share", args=[response.public_id])
    assert client.post(share, {"shared": "1"}).status_code == 404
    with in_org(personas.org_a):
        assert not Response.objects.get(pk=response.pk).shared_with_supervisor
