"""The admin sets up organisations, services, programmes and staff through the app's pages."""

from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.orgs.models import Membership, Organisation, Programme, Unit, User
from brobyg.test import in_org

PROGRAMME_FORM = {
    "name": "Peer-støtte på værestedet",
    "description": "Samtaler og følgeskab.",
    "support_type": "paid",
    "model": "separate",
    "peer_role": "special",
    "purposes": ["wellbeing", "community"],
    "forms": ["individual", "drop_in"],
    "minimum_age": "18",
    "legal_basis": "public_task",
    "is_active": "on",
}


def test_it_creates_a_programme_with_services_and_logs_it(client, personas):
    client.force_login(personas.ada)
    response = client.post(
        reverse("programme_create"), {**PROGRAMME_FORM, "units": [personas.unit_a.public_id]}
    )
    with scope(organisation=personas.org_a.pk):
        programme = Programme.objects.get(name="Peer-støtte på værestedet")
        assert list(programme.units.all()) == [personas.unit_a]
    assert response["Location"] == reverse("programme_detail", args=[programme.public_id])
    assert programme.forms == ["individual", "drop_in"]
    assert LogEntry.objects.filter(
        action="create", object_id=str(programme.public_id), organisation=personas.org_a
    ).exists()


def test_it_explains_errors_in_danish_and_keeps_what_was_typed(client, personas):
    client.force_login(personas.ada)
    data = {**PROGRAMME_FORM, "forms": [], "minimum_age": "200"}
    with translation.override("da"):
        response = client.post(reverse("programme_create"), data, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"forms", "minimum_age"}
    html = response.content.decode()
    assert 'value="Peer-støtte på værestedet"' in html
    assert "Samtaler og følgeskab." in html
    with translation.override("da"):
        message = gettext("Choose at least one form of support.")
    assert message != "Choose at least one form of support."
    assert message in html
    with scope(organisation=personas.org_a.pk):
        assert not Programme.objects.filter(name="Peer-støtte på værestedet").exists()


def test_it_refuses_a_duplicate_programme_name_in_the_same_organisation(client, personas):
    client.force_login(personas.ada)
    data = {**PROGRAMME_FORM, "name": personas.programme_a.name}
    response = client.post(reverse("programme_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_does_not_offer_or_accept_another_organisations_services(client, personas):
    client.force_login(personas.ada)
    page = client.get(reverse("programme_create")).content.decode()
    assert personas.unit_a.name in page
    assert personas.unit_b.name not in page
    response = client.post(
        reverse("programme_create"), {**PROGRAMME_FORM, "units": [personas.unit_b.public_id]}
    )
    assert response.status_code == 200
    assert "units" in response.context["form"].errors


def test_it_edits_a_programme_and_logs_the_changed_fields(client, personas):
    client.force_login(personas.ada)
    url = reverse("programme_edit", args=[personas.programme_a.public_id])
    data = {**PROGRAMME_FORM, "name": personas.programme_a.name, "minimum_age": "16"}
    assert client.post(url, data).status_code == 302
    entry = LogEntry.objects.get(action="update", object_id=str(personas.programme_a.public_id))
    assert "minimum_age" in entry.details["fields"]
    assert "units" in entry.details["fields"]


def test_it_creates_and_edits_a_service(client, personas):
    client.force_login(personas.ada)
    client.post(
        reverse("unit_create"),
        {"name": "OPUS Syd", "kind": "opus_team", "address": "", "is_active": "on"},
    )
    with scope(organisation=personas.org_a.pk):
        unit = Unit.objects.get(name="OPUS Syd")
    client.post(
        reverse("unit_edit", args=[unit.public_id]),
        {"name": "OPUS Syd", "kind": "opus_team", "address": "Valby"},
    )
    unit.refresh_from_db()
    assert unit.address == "Valby"
    assert unit.is_active is False


def test_it_creates_an_organisation_with_its_creator_as_administrator(client, personas):
    personas.ada.is_platform_admin = True
    personas.ada.save()
    client.force_login(personas.ada)
    response = client.post(
        reverse("organisation_create"), {"name": "Gentofte Kommune", "kind": "municipality"}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Gentofte Kommune")
    with in_org(organisation):
        assert Membership.objects.get(organisation=organisation, user=personas.ada).roles == [
            "admin"
        ]
    assert "Gentofte Kommune" in client.get(reverse("start")).content.decode()


def test_it_edits_the_current_organisation(client, personas):
    client.force_login(personas.ada)
    client.post(
        reverse("organisation_edit"),
        {"name": "Testkommune", "kind": "municipality", "phone": "70 10 20 30"},
    )
    personas.org_a.refresh_from_db()
    assert personas.org_a.phone == "70 10 20 30"


def test_it_adds_a_new_person_and_emails_an_invitation(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.ada)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_add"),
            {"full_name": "Hanne Holm", "email": "Hanne@Example.org", "roles": ["peer"]},
        )
    assert response.status_code == 302
    user = User.objects.get(email="hanne@example.org")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanne@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    entry = LogEntry.objects.get(action="create", object_type="orgs.membership")
    assert entry.subject_id == str(user.public_id)


def test_it_adds_an_existing_user_and_tells_them_without_revealing_it_to_the_admin(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.ada)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_add"),
            {"full_name": "Carl", "email": "carl@example.org", "roles": ["referrer"]},
            follow=True,
        )
    # The admin is told the same as for a new person; Carl is told and gets no password link.
    with translation.override("da"):
        told = gettext("The person was added and has been told by e-mail.")
    assert [str(message) for message in response.context["messages"]] == [told]
    assert [message.to for message in mail.outbox] == [["carl@example.org"]]
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body
    with in_org(personas.org_a, personas.org_b):
        assert Membership.objects.filter(user=personas.carl).count() == 2


def test_it_refuses_adding_someone_twice(client, personas):
    client.force_login(personas.ada)
    response = client.post(
        reverse("member_add"),
        {"full_name": "Bob", "email": "bob@example.org", "roles": ["peer"]},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_it_changes_roles_and_keeps_at_least_one_administrator(client, personas):
    client.force_login(personas.ada)
    bob_url = reverse("member_edit", args=[personas.bob_membership.public_id])
    client.post(bob_url, {"roles": ["peer", "coordinator"], "is_active": "on"})
    personas.bob_membership.refresh_from_db()
    assert personas.bob_membership.roles == ["coordinator", "peer"]
    ada_url = reverse("member_edit", args=[personas.ada_membership.public_id])
    response = client.post(ada_url, {"roles": ["coordinator"], "is_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors
    personas.ada_membership.refresh_from_db()
    assert personas.ada_membership.roles == ["admin"]


def test_it_keeps_the_member_list_free_of_extra_queries(
    client, personas, django_assert_max_num_queries
):
    from brobyg.test import make_member, make_user

    for number in range(20):
        make_member(
            personas.org_a,
            make_user(f"p{number}@example.org", f"P {number}", with_second_factor=False),
            ["peer"],
        )
    client.force_login(personas.maja)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("member_list"))
    assert response.content.decode().count("/members/") >= 28


def test_it_refuses_an_administrator_changing_their_own_roles(client, personas):
    from brobyg.test import make_member, make_user

    make_member(personas.org_a, make_user("ada2@example.org", "Ada To"), ["admin"])
    client.force_login(personas.ada)
    url = reverse("member_edit", args=[personas.ada_membership.public_id])
    response = client.post(url, {"roles": ["admin", "privacy_officer"], "is_active": "on"})
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    personas.ada_membership.refresh_from_db()
    assert personas.ada_membership.roles == ["admin"]


def test_it_lets_only_platform_administrators_create_organisations(client, personas):
    client.force_login(personas.ada)
    response = client.post(
        reverse("organisation_create"), {"name": "Region Nordjylland", "kind": "region"}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Region Nordjylland").exists()
    assert LogEntry.objects.filter(action="denied", actor=personas.ada).exists()


def test_it_closes_the_self_service_email_page(client, personas):
    client.force_login(personas.ada)
    assert client.get("/accounts/email/").status_code == 404


def test_the_evaluators_start_page_links_to_the_report_and_the_dataset(client, english, personas):
    """An evaluator reads pseudonymised data; they do not "work in" the organisation."""
    client.force_login(personas.eva)
    page = client.get(reverse("start")).content.decode()
    assert "You are working in" not in page
    assert f"You are looking at the pseudonymised data of {personas.org_a.name}" in page
    assert f'href="{reverse("reports_report")}"' in page
    assert f'href="{reverse("reports_report")}#export-title"' in page
    assert "Download the pseudonymised dataset" in page
    client.force_login(personas.alice)
    assert "You are working in" in client.get(reverse("start")).content.decode()
