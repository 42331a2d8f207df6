"""The SMS path beside the e-mails: match proposals and questionnaires (the self-referral's
receipt is in test_texts)."""

from django_scopes import scope

from brobyg.matching import services as matching_services
from brobyg.outcomes import services as outcome_services
from brobyg.outcomes.tests.helpers import consenting_citizen, load_instruments
from brobyg.sms.models import TextKind, TextMessage
from brobyg.sms.tests.helpers import make_anna_peer
from brobyg.test import in_org, make_waiting_request


def test_a_match_proposal_reaches_a_citizen_with_only_a_phone(
    personas, _sms_outbox, django_capture_on_commit_callbacks
):
    user, peer = make_anna_peer(personas)
    support_request, _token = make_waiting_request(personas.programme_a)
    with scope(organisation=personas.org_a.pk), django_capture_on_commit_callbacks(execute=True):
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peer
        )
        matching_services.match_peer_answer(actor=user, match=match, accept=True)
    assert len(_sms_outbox) == 1
    assert "har et forslag til dig" in _sms_outbox[0]["text"]
    assert "Anna" not in _sms_outbox[0]["text"]
    with scope(organisation=personas.org_a.pk), django_capture_on_commit_callbacks(execute=True):
        match.refresh_from_db()
        matching_services.match_send_citizen_link(actor=personas.alice, match=match)
    assert len(_sms_outbox) == 2
    with in_org(personas.org_a):
        assert set(TextMessage.objects.values_list("kind", flat=True)) == {TextKind.MATCH}


def test_a_questionnaire_and_its_reminder_go_by_text(
    personas, _sms_outbox, django_capture_on_commit_callbacks
):
    from brobyg.outcomes import notifications

    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a, email="")
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        invitation, token = outcome_services.invitation_create(
            organisation=personas.org_a,
            instrument=instruments["who-5"],
            anchor_kind="manual",
            anchor_id="x",
            timepoint="baseline",
            citizen=citizen,
            programme=personas.programme_a,
        )
    assert len(_sms_outbox) == 1
    assert token in _sms_outbox[0]["text"]
    assert "WHO" not in _sms_outbox[0]["text"]
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_invitation_mail(invitation, reminder=True)
    assert "påmindelse" in _sms_outbox[1]["text"]
    with in_org(personas.org_a):
        kinds = sorted(TextMessage.objects.values_list("kind", flat=True))
    assert kinds == [TextKind.QUESTIONNAIRE, TextKind.REMINDER]
