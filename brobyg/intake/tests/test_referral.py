"""Staff refer a citizen to peer support, and referrers follow the status of their referrals."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.intake import services
from brobyg.intake.models import SupportRequest
from brobyg.intake.tests.test_self_referral import valid_data
from brobyg.orgs.choices import Role
from brobyg.people.models import Consent
from brobyg.test import in_org, make_member, make_request, make_user

CREATE = reverse("intake_referral_create")
LIST = reverse("intake_referral_list")


def referral(personas, **overrides) -> dict:
    data = valid_data(
        programme=str(personas.programme_a.public_id),
        referring_unit=str(personas.unit_a.public_id),
        referral_reason="Borgeren flytter fra bostedet og ønsker følgeskab i overgangen.",
        consent_method="in_person",
        website=None,
    )
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def refer(client, personas, captured, **overrides):
    with captured(execute=True):
        return client.post(CREATE, referral(personas, **overrides))


def a_second_referrer(personas):
    rolf = make_user("rolf@example.org", "Rolf Krogh")
    make_member(personas.org_a, rolf, [Role.REFERRER])
    return rolf


def test_it_offers_only_the_organisations_own_programmes_and_services(client, personas):
    client.force_login(personas.rita)
    html = client.get(CREATE).content.decode()
    assert personas.programme_a.name in html and personas.unit_a.name in html
    assert personas.programme_b.name not in html and personas.unit_b.name not in html
    assert 'name="consent_method" value="in_person"' in html
    assert 'value="self_referral"' not in html and 'value="personal_link"' not in html
    assert 'name="website"' not in html


def test_it_lets_a_referrer_refer_a_citizen(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.rita)
    response = refer(client, personas, django_capture_on_commit_callbacks)

    with in_org(personas.org_a):
        support_request = SupportRequest.objects.select_related("citizen").get()
        consents = list(Consent.objects.values_list("purpose", "method", "recorded_by"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "intake_referral_sent", kwargs={"public_id": support_request.public_id}
    )
    assert support_request.source == "staff_referral"
    assert support_request.referred_by == personas.rita
    assert support_request.referring_unit == personas.unit_a
    assert support_request.referral_reason.startswith("Borgeren flytter")
    assert support_request.citizen.organisation == personas.org_a
    assert sorted(consents) == [
        ("questionnaires", "in_person", personas.rita.pk),
        ("support", "in_person", personas.rita.pk),
    ]
    # The citizen gets the receipt with their personal link; the referrer never sees the link.
    assert [message.to for message in mail.outbox] == [["mette@example.org"]]
    sent = client.get(response["Location"]).content.decode()
    assert "Mette Holm" in sent and personas.programme_a.name in sent
    assert "/my-request/" not in sent
    assert LogEntry.objects.filter(
        action="read", actor=personas.rita, object_id=str(support_request.public_id)
    ).exists()


def test_it_lets_a_coordinator_refer_a_citizen(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.alice)
    response = refer(client, personas, django_capture_on_commit_callbacks, referring_unit="")
    assert response.status_code == 302
    with in_org(personas.org_a):
        support_request = SupportRequest.objects.get()
    assert support_request.referred_by == personas.alice
    assert support_request.referring_unit is None
    assert client.get(response["Location"]).status_code == 200


def test_it_shows_emergency_numbers_and_alerts_the_coordinators_for_a_citizen_in_crisis(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.rita)
    response = refer(
        client, personas, django_capture_on_commit_callbacks, in_crisis="yes", email=""
    )
    with in_org(personas.org_a):
        assert SupportRequest.objects.get().urgent
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    sent = client.get(response["Location"]).content.decode()
    main = sent[sent.index("<main") : sent.index("</main>")]
    assert 'href="tel:112"' in main and 'href="tel:1813"' in main
    assert main.index('href="tel:112"') < main.index("Mette Holm")


def test_it_refuses_another_organisations_programme_and_service(client, personas):
    client.force_login(personas.rita)
    response = client.post(
        CREATE,
        referral(
            personas,
            programme=str(personas.programme_b.public_id),
            referring_unit=str(personas.unit_b.public_id),
        ),
    )
    assert set(response.context["form"].errors) == {"programme", "referring_unit"}

    client.force_login(personas.carl)
    response = client.post(CREATE, referral(personas, referring_unit=""))
    assert set(response.context["form"].errors) == {"programme"}
    with in_org(personas.org_a):
        assert not SupportRequest.objects.exists()


def test_it_needs_the_reason_and_how_consent_was_obtained(client, personas):
    client.force_login(personas.rita)
    response = client.post(
        CREATE,
        referral(personas, referral_reason="", consent_method="self_referral", name=""),
    )
    html = response.content.decode()
    assert set(response.context["form"].errors) == {"referral_reason", "consent_method", "name"}
    assert "Dette felt er påkrævet." in html
    assert "prøvet at have angst" in html
    with in_org(personas.org_a):
        assert not SupportRequest.objects.exists()


def test_it_shows_the_referrer_the_status_of_their_own_referrals_only(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.rita)
    refer(client, personas, django_capture_on_commit_callbacks, name="Mette Holm")
    rolf = a_second_referrer(personas)
    client.force_login(rolf)
    refer(client, personas, django_capture_on_commit_callbacks, name="Ole Berg")
    make_request(personas.programme_a, name="Karen Dahl")
    with in_org(personas.org_a):
        mine = SupportRequest.objects.get(citizen__name="Mette Holm")
    with scope(organisation=personas.org_a.pk):
        services.request_change_status(
            actor=personas.alice, support_request=mine, status="screened"
        )

    client.force_login(personas.rita)
    response = client.get(LIST)
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert response.status_code == 200
    assert "Mette Holm" in main and mine.get_status_display() in main
    assert personas.programme_a.name in main
    for hidden in (
        "Ole Berg",
        "Karen Dahl",
        "20 30 40 50",
        "mette@example.org",
        "prøvet at have angst",
        "Borgeren flytter",
        "Hverdage før middag",
    ):
        assert hidden not in main
    entry = LogEntry.objects.filter(action="read", actor=personas.rita).latest("pk")
    assert entry.details == {"results": 1}
    # One entry per citizen shown, so the citizen's access request finds this read too.
    with in_org(personas.org_a):
        shown = SupportRequest.objects.get(referred_by=personas.rita).citizen
    assert entry.subject_type == "citizen" and entry.subject_id == str(shown.public_id)
    assert entry.organisation == personas.org_a


def test_it_lists_referrals_in_a_fixed_number_of_queries(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.rita)
    refer(client, personas, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for name in ("Ole Berg", "Karen Dahl", "Ib Lund"):
        refer(client, personas, django_capture_on_commit_callbacks, name=name)
    with CaptureQueriesContext(connection) as four:
        html = client.get(LIST).content.decode()
    assert "Ib Lund" in html
    assert len(four) == len(one)


def test_it_confirms_a_referral_only_to_the_one_who_sent_it(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.rita)
    sent = refer(client, personas, django_capture_on_commit_callbacks)["Location"]
    client.force_login(a_second_referrer(personas))
    assert client.get(sent).status_code == 404
    client.force_login(personas.carl)
    assert client.get(sent).status_code == 404
    assert LogEntry.objects.filter(action="denied", actor=personas.carl).exists()
