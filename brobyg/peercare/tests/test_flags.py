"""Overdue supervision and expiring credentials: on the coordinator's start page, and e-mailed
once per flag and occasion, not daily."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from brobyg.lib.templatetags.dates import short_date
from brobyg.peercare import selectors, services, tasks
from brobyg.peercare.models import FlagNotice, TrainingKind
from brobyg.peercare.tests.conftest import held_session
from brobyg.test import in_org, make_programme


def _credential(personas, peer, *, expires_in, kind=TrainingKind.CREDENTIAL, title="First aid"):
    today = timezone.localdate()
    with scope(organisation=personas.org_a.pk):
        return services.training_add(
            actor=personas.alice,
            peer=peer,
            data={
                "kind": kind,
                "title": title if kind == TrainingKind.CREDENTIAL else "",
                "completed_on": today - timedelta(days=300),
                "expires_on": today + timedelta(days=expires_in),
            },
        )


def _run(capture, today=None):
    with capture(execute=True):
        if today is None:
            return tasks.send_peer_care_flags.call()
        with scopes_disabled():
            from brobyg.orgs.models import Organisation

            organisations = list(Organisation.objects.all())
        sent = 0
        for organisation in organisations:
            with scope(organisation=organisation.pk):
                sent += services.flags_send(organisation=organisation, today=today)
        return sent


def test_flags_appear_on_the_coordinators_start_page(client, english, personas, bob_peer):
    held_session(personas, [bob_peer], days_ago=50)
    _credential(personas, bob_peer, expires_in=20, title="First aid & <CPR>")
    client.force_login(personas.alice)
    page = client.get(reverse("start")).content.decode()
    today = timezone.localdate()
    due = short_date(today - timedelta(days=50) + timedelta(weeks=6))
    expires = short_date(today + timedelta(days=20))
    assert f'<span class="tag tag--flag">Supervision overdue ({due})</span>' in page
    assert (
        '<span class="tag tag--flag">Credential expires soon: First aid &amp; &lt;CPR&gt; '
        f"({expires})</span>"
    ) in page
    assert personas.bob.full_name in page


def test_a_credential_more_than_30_days_ahead_is_not_flagged(personas, bob_peer):
    held_session(personas, [bob_peer], days_ago=1)
    _credential(personas, bob_peer, expires_in=31)
    with scope(organisation=personas.org_a.pk):
        assert selectors.organisation_flags(personas.org_a) == []


def test_flags_are_e_mailed_once_not_daily(personas, bob_peer, django_capture_on_commit_callbacks):
    held_session(personas, [bob_peer], days_ago=50)
    _credential(personas, bob_peer, expires_in=20)
    with scope(organisation=personas.org_a.pk):
        services.supervisor_assign(actor=personas.alice, peer=bob_peer, supervisor=personas.sara)
    assert _run(django_capture_on_commit_callbacks) == 2
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([personas.alice.email, personas.sara.email])
    for message in mail.outbox:
        assert personas.bob.full_name not in message.body
        assert "First aid" not in message.body
    # The same day again, and the next day: nothing new.
    assert _run(django_capture_on_commit_callbacks) == 0
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _run(django_capture_on_commit_callbacks, today=tomorrow) == 0
    assert len(mail.outbox) == 2
    with in_org(personas.org_a):
        assert FlagNotice.objects.count() == 2


def test_expiry_is_a_new_occasion_and_so_is_a_renewal(
    personas, bob_peer, django_capture_on_commit_callbacks
):
    held_session(personas, [bob_peer], days_ago=1)
    _credential(personas, bob_peer, expires_in=10)
    assert _run(django_capture_on_commit_callbacks) == 1
    in_eleven_days = timezone.localdate() + timedelta(days=11)
    assert _run(django_capture_on_commit_callbacks, today=in_eleven_days) == 1  # now expired
    assert _run(django_capture_on_commit_callbacks, today=in_eleven_days) == 0
    # Renewed, and months later expiring again: a new occasion.
    renewal = _credential(personas, bob_peer, expires_in=12)
    assert _run(django_capture_on_commit_callbacks) == 1
    with in_org(personas.org_a):
        assert FlagNotice.objects.filter(occasion=f"record:{renewal.pk}").exists()


def test_a_new_overdue_period_is_a_new_occasion(
    personas, bob_peer, django_capture_on_commit_callbacks
):
    held_session(personas, [bob_peer], days_ago=50)
    assert _run(django_capture_on_commit_callbacks) == 1
    held_session(personas, [bob_peer], days_ago=1)
    assert _run(django_capture_on_commit_callbacks) == 0
    in_seven_weeks = timezone.localdate() + timedelta(weeks=7)
    assert _run(django_capture_on_commit_callbacks, today=in_seven_weeks) == 1


def test_a_programme_with_children_needs_a_valid_child_protection_certificate(personas, bob_peer):
    young = make_programme(personas.org_a, "Ung til ung", minimum_age=13)
    bob_peer.programmes.add(young)
    held_session(personas, [bob_peer], days_ago=1)
    with scope(organisation=personas.org_a.pk):
        [flag] = selectors.organisation_flags(personas.org_a)
        assert flag.kind == selectors.FlagKind.CHILD_PROTECTION_MISSING
    record = _credential(personas, bob_peer, expires_in=-1, kind=TrainingKind.CHILD_PROTECTION)
    with scope(organisation=personas.org_a.pk):
        [flag] = selectors.organisation_flags(personas.org_a)
        assert flag.kind == selectors.FlagKind.CREDENTIAL_EXPIRED and flag.record == record
        (row,) = selectors.peer_care_rows(personas.org_a, [bob_peer])
        item = next(i for i in row.checklist if i["key"] == "child_protection")
        assert not item["done"]


def test_a_peer_whose_credential_expired_is_suggested_last_and_flagged(personas, bob_peer):
    from django.utils import translation

    from brobyg.matching import selectors as matching_selectors
    from brobyg.matching.explain import explanation_lines
    from brobyg.test import make_member, make_peer, make_user, make_waiting_request

    anna = make_user("anna@example.org", "Anna Lund")
    make_member(personas.org_a, anna, ["peer"])
    other = make_peer(personas.org_a, anna, [personas.programme_a])
    support_request, _token = make_waiting_request(personas.programme_a)
    _credential(personas, bob_peer, expires_in=-1)
    with scope(organisation=personas.org_a.pk):
        found = matching_selectors.candidates_for_request(support_request).candidates
    assert [c.peer for c in found] == [other, bob_peer]
    with translation.override("en"):
        texts = [line["text"] for line in explanation_lines(found[1].explanation)]
    assert "A credential the peer needs has expired" in texts
    assert "First aid" not in " ".join(texts)
    with scope(organisation=personas.org_a.pk):
        assert selectors.expired_credentials(personas.org_a, [bob_peer.pk, other.pk]) == {
            bob_peer.pk: ["credential_expired"]
        }
    # Renewed (a later record of the same series): no longer a caution.
    _credential(personas, bob_peer, expires_in=300)
    with scope(organisation=personas.org_a.pk):
        assert selectors.expired_credentials(personas.org_a, [bob_peer.pk, other.pk]) == {}
