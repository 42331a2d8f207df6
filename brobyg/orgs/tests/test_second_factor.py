from django.urls import reverse

from brobyg.orgs.permissions import requires_second_factor
from brobyg.test import PASSWORD, make_member, make_user


def test_it_sends_staff_who_see_personal_data_to_set_up_a_second_factor(client, personas):
    user = make_user("new@example.org", "Ny Koordinator", with_second_factor=False)
    make_member(personas.org_a, user, ["coordinator"])
    client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    response = client.get(reverse("programme_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before a second factor is added.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_it_lets_staff_in_once_they_have_a_second_factor(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("programme_list")).status_code == 200


def test_it_lets_demo_mode_skip_the_second_factor(client, personas, settings):
    settings.DEMO_MODE = True
    user = make_user("demo@example.org", "Demo Bruger", with_second_factor=False)
    make_member(personas.org_a, user, ["coordinator"])
    client.force_login(user)
    response = client.get(reverse("programme_list"))
    assert response.status_code == 200
    assert "Never enter real personal data" in response.content.decode() or "aldrig" in (
        response.content.decode().lower()
    )


def test_it_requires_a_second_factor_for_every_role_that_sees_identifiable_data():
    for role in ["admin", "coordinator", "peer", "manager", "referrer", "supervisor"]:
        assert requires_second_factor([role]), role
    assert requires_second_factor(["privacy_officer"])
    assert not requires_second_factor(["evaluator"])
