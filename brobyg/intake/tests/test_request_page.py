"""The request page: what the citizen or referrer wrote, status, first contact, age override."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import LogEntry
from brobyg.intake import services
from brobyg.intake.models import EventKind, RequestEvent, Status, SupportRequest
from brobyg.test import in_org, make_request


def _url(name, support_request):
    return reverse(name, kwargs={"public_id": support_request.public_id})


def _detail(support_request):
    return _url("intake_request_detail", support_request)


def _reload(support_request):
    with in_org(support_request.organisation):
        return SupportRequest.objects.get(pk=support_request.pk)


def test_it_shows_everything_the_citizen_wrote(client, english, personas):
    with in_org(personas.org_a):
        support_request, _token = services.request_submit(
            programme=personas.programme_a,
            citizen_data={"name": "Mette Holm", "phone": "20304050", "contact_times": "Formiddag"},
            request_data={
                "purposes": ["wellbeing", "community"],
                "own_words": "Jeg vil gerne gå ture med en, der forstår det.",
                "forms": ["individual", "activity"],
                "peer_type": "volunteer",
                "wish_gender": "woman",
                "wish_age_band": "30_50",
                "wish_language": "Arabisk",
                "wish_shared_experience": "Angst",
                "availability": ["evenings"],
            },
            consents=["support"],
            in_crisis=True,
        )
    client.force_login(personas.alice)
    response = client.get(_detail(support_request))
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Mette Holm",
        "20304050",
        "Formiddag",
        "Jeg vil gerne gå ture med en, der forstår det.",
        "Arabisk",
        "Angst",
        personas.programme_a.name,
        "Urgent",
    ]:
        assert text in page, text
    context = response.context
    assert context["purposes"] == ["Well-being", "Belonging to the local community"]
    assert context["preferred_forms"] == ["Individual conversations", "Built around an activity"]
    assert context["availability"] == ["Evenings"]
    assert context["wish_gender"] == "Woman"


def test_it_shows_the_referrers_reason_and_unit(client, personas):
    with in_org(personas.org_a):
        support_request, _token = services.request_submit(
            programme=personas.programme_a,
            citizen_data={"name": "Ole Berg", "phone": "30405060"},
            request_data={"purposes": ["navigation"]},
            consents=["support"],
            in_crisis=False,
            actor=personas.rita,
            referring_unit=personas.unit_a,
            referral_reason="Flytter fra bostedet til egen bolig.",
            consent_method="referrer",
        )
    client.force_login(personas.alice)
    page = client.get(_detail(support_request)).content.decode()
    assert "Flytter fra bostedet til egen bolig." in page
    assert personas.unit_a.name in page
    assert personas.rita.full_name in page


def test_it_logs_every_view_as_a_read_about_the_citizen(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.maja)
    client.get(_detail(support_request))
    client.get(_detail(support_request))
    entries = LogEntry.objects.filter(actor=personas.maja, action="read")
    assert entries.count() == 2
    entry = entries.first()
    assert entry.object_id == str(support_request.public_id)
    assert entry.subject_type == "citizen"
    assert entry.subject_id == str(support_request.citizen.public_id)
    assert entry.reason == "request page"


def test_it_offers_only_the_allowed_next_statuses(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    form = client.get(_detail(support_request)).context["status_form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        Status.SCREENED,
        Status.REFERRED_ELSEWHERE,
        Status.WITHDRAWN,
        Status.DECLINED,
    ]


def test_it_changes_the_status_and_records_it_in_the_history(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    response = client.post(
        _url("intake_request_status", support_request), {"status": "screened", "reason": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == _detail(support_request)
    assert _reload(support_request).status == Status.SCREENED
    with in_org(personas.org_a):
        event = RequestEvent.objects.filter(support_request=support_request).last()
    assert (event.kind, event.actor, event.to_status) == (
        EventKind.STATUS_CHANGED,
        personas.alice,
        Status.SCREENED,
    )
    page = client.get(_detail(support_request)).content.decode()
    assert personas.alice.full_name in page


def test_it_keeps_what_was_typed_when_the_service_refuses(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    response = client.post(
        _url("intake_request_status", support_request), {"status": "declined", "reason": "  "}
    )
    assert response.status_code == 200
    form = response.context["status_form"]
    assert "reason" in form.errors
    assert form["status"].value() == "declined"
    assert response.context["failed"] == "status_form"
    assert 'href="#change-status"' in response.content.decode()
    assert _reload(support_request).status == Status.NEW


def test_it_keeps_the_typed_reason_when_the_status_is_not_allowed(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    response = client.post(
        _url("intake_request_status", support_request),
        {"status": "matched", "reason": "Borgeren har fået en peer."},
    )
    assert response.status_code == 200
    assert "status" in response.context["status_form"].errors
    assert "Borgeren har fået en peer." in response.content.decode()
    assert _reload(support_request).status == Status.NEW


def test_it_records_the_first_contact_by_the_current_user(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    today = timezone.localdate()
    response = client.post(
        _url("intake_request_first_contact", support_request),
        {"date": today.isoformat(), "method": "phone"},
    )
    assert response.status_code == 302
    stored = _reload(support_request)
    assert (stored.first_contact_at, stored.first_contact_by, stored.first_contact_method) == (
        today,
        personas.alice,
        "phone",
    )


def test_it_refuses_a_first_contact_in_the_future_and_keeps_the_form(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        _url("intake_request_first_contact", support_request),
        {"date": tomorrow.isoformat(), "method": "email"},
    )
    assert response.status_code == 200
    form = response.context["first_contact_form"]
    assert "date" in form.errors
    assert form["method"].value() == "email"
    assert _reload(support_request).first_contact_at is None


def test_it_needs_a_written_reason_to_put_a_young_citizen_on_the_waiting_list(client, personas):
    young = timezone.localdate().year - 14
    support_request, _token = make_request(personas.programme_a, birth_year=young)
    assert support_request.below_minimum_age
    client.force_login(personas.alice)
    status_url = _url("intake_request_status", support_request)
    client.post(status_url, {"status": "screened"})
    refused = client.post(status_url, {"status": "waiting"})
    assert refused.status_code == 200
    assert "status" in refused.context["status_form"].errors

    empty = client.post(_url("intake_request_age_override", support_request), {"reason": ""})
    assert empty.status_code == 200
    assert "reason" in empty.context["age_override_form"].errors
    done = client.post(
        _url("intake_request_age_override", support_request),
        {"reason": "Forældrene og ungdomsindsatsen støtter det; 17 år om en måned."},
    )
    assert done.status_code == 302
    assert client.post(status_url, {"status": "waiting"}).status_code == 302
    stored = _reload(support_request)
    assert stored.status == Status.WAITING
    assert stored.age_override_reason.startswith("Forældrene")


def test_it_does_not_offer_the_age_override_when_the_citizen_is_old_enough(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    assert 'id="minimum-age"' not in client.get(_detail(support_request)).content.decode()
    response = client.post(
        _url("intake_request_age_override", support_request), {"reason": "Ingen grund"}
    )
    assert response.status_code == 200
    assert response.context["age_override_form"].non_field_errors()


def test_it_lets_a_manager_read_the_request_but_not_act_on_it(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.maja)
    page = client.get(_detail(support_request)).content.decode()
    assert _url("intake_request_status", support_request) not in page
    response = client.post(_url("intake_request_status", support_request), {"status": "screened"})
    assert response.status_code == 403
    assert _reload(support_request).status == Status.NEW


def test_it_answers_404_for_another_organisations_request_and_logs_it(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.carl)
    response = client.post(_url("intake_request_status", support_request), {"status": "screened"})
    assert response.status_code == 404
    denied = LogEntry.objects.get(actor=personas.carl, action="denied")
    assert denied.organisation == personas.org_a
    assert _reload(support_request).status == Status.NEW


def test_it_only_accepts_actions_by_post(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.alice)
    assert client.get(_url("intake_request_status", support_request)).status_code == 405
