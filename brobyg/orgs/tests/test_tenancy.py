"""Organisation B must never see organisation A's data, and every attempt is logged."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope

from brobyg.audit.models import LogEntry
from brobyg.orgs.models import Membership, Programme, User
from brobyg.test import make_member


def _programme_url(programme, name="programme_detail"):
    return reverse(name, kwargs={"public_id": programme.public_id})


def test_it_gives_carl_404_on_alices_programme_and_logs_it_for_organisation_a(client, personas):
    client.force_login(personas.carl)
    response = client.get(_programme_url(personas.programme_a))
    assert response.status_code == 404
    assert personas.programme_a.name not in response.content.decode()
    entry = LogEntry.objects.get(action="denied", actor=personas.carl)
    assert entry.organisation == personas.org_a
    assert entry.object_id == str(personas.programme_a.public_id)
    assert entry.details["actor_organisation"] == str(personas.org_b.public_id)


def test_it_gives_carl_404_on_organisation_a_staff_records(client, personas):
    client.force_login(personas.carl)
    url = reverse("member_detail", kwargs={"public_id": personas.alice_membership.public_id})
    response = client.get(url)
    assert response.status_code == 404
    assert "alice@example.org" not in response.content.decode()
    assert LogEntry.objects.filter(
        action="denied", actor=personas.carl, organisation=personas.org_a
    ).exists()


def test_it_answers_a_missing_object_like_a_foreign_one(client, personas):
    client.force_login(personas.carl)
    missing = reverse(
        "programme_detail", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"}
    )
    foreign = _programme_url(personas.programme_a)
    missing_response, foreign_response = client.get(missing), client.get(foreign)
    assert missing_response.status_code == foreign_response.status_code == 404
    assert missing_response.templates[0].name == foreign_response.templates[0].name == "404.html"
    assert LogEntry.objects.filter(action="denied", actor=personas.carl).count() == 2


def test_it_lists_only_the_current_organisations_data(client, personas):
    client.force_login(personas.carl)
    programmes = client.get(reverse("programme_list")).content.decode()
    assert personas.programme_b.name in programmes
    assert personas.programme_a.name not in programmes
    members = client.get(reverse("member_list")).content.decode()
    assert "vera@example.org" in members
    assert "alice@example.org" not in members


def test_it_refuses_to_query_personal_data_outside_an_organisation_scope(personas):
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with pytest.raises(ScopeError):
        Programme.objects.filter(name="x").first()
    with scope(organisation=personas.org_b.pk):
        assert list(Membership.objects.values_list("user__email", flat=True).order_by("pk")) == [
            "carl@example.org",
            "vera@example.org",
        ]


def test_it_scopes_a_user_without_membership_to_nothing(client, personas):
    user = User.objects.create_user("loner@example.org", "x", full_name="Lone Ensom")
    client.force_login(user)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert client.get(_programme_url(personas.programme_a)).status_code == 403


def test_it_switches_organisation_and_remembers_the_choice(client, personas):
    make_member(personas.org_b, personas.alice, ["coordinator"])
    client.force_login(personas.alice)
    client.post(reverse("organisation_switch"), {"organisation": str(personas.org_a.public_id)})
    assert client.get(_programme_url(personas.programme_a)).status_code == 200
    response = client.post(
        reverse("organisation_switch"), {"organisation": str(personas.org_b.public_id)}
    )
    assert response.status_code == 302
    assert client.get(_programme_url(personas.programme_b)).status_code == 200
    assert client.get(_programme_url(personas.programme_a)).status_code == 404
    personas.alice.refresh_from_db()
    assert personas.alice.last_organisation == personas.org_b
    client.logout()
    client.force_login(personas.alice)
    assert "Frivilligcenter Testby" in client.get(reverse("start")).content.decode()


def test_it_refuses_switching_to_an_organisation_one_is_not_member_of(client, personas):
    client.force_login(personas.carl)
    client.post(reverse("organisation_switch"), {"organisation": str(personas.org_a.public_id)})
    assert client.get(_programme_url(personas.programme_a)).status_code == 404


def test_it_ignores_an_inactive_membership(client, personas):
    with scope(organisation=personas.org_a.pk):
        Membership.objects.filter(pk=personas.alice_membership.pk).update(is_active=False)
    client.force_login(personas.alice)
    assert client.get(_programme_url(personas.programme_a)).status_code == 403


def test_it_starts_a_person_in_the_organisation_they_joined_first(client, personas):
    make_member(personas.org_b, personas.alice, ["coordinator"])
    client.force_login(personas.alice)
    assert "Testkommune" in client.get(reverse("start")).context["current_org"].name


def test_the_organisation_switcher_lists_a_members_organisations_by_name(client, personas):
    make_member(personas.org_b, personas.alice, ["coordinator"])
    client.force_login(personas.alice)
    memberships = client.get(reverse("start")).context["user_memberships"]
    assert [m.organisation.name for m in memberships] == [
        "Frivilligcenter Testby",
        "Testkommune",
    ]
