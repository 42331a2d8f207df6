"""List pages use a fixed number of queries however long the list (no N+1)."""

from django.urls import reverse

from brobyg.audit.services import log_action
from brobyg.test import in_org, make_programme


def test_it_lists_programmes_in_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    with in_org(personas.org_a):
        for number in range(25):
            make_programme(personas.org_a, f"Indsats {number}").units.set([personas.unit_a])
    client.force_login(personas.alice)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programme_list"))
    assert response.content.decode().count("/programmes/") >= 26


def test_it_lists_services_in_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.alice)
    with django_assert_max_num_queries(10):
        client.get(reverse("unit_list"))


def test_it_lists_audit_entries_in_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    for _ in range(60):
        log_action(
            action="read",
            actor=personas.alice,
            organisation=personas.org_a,
            subject=personas.bob,
            target=personas.bob_membership,
        )
    client.force_login(personas.per)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("audit_entry_list"))
    assert len(response.context["page"].object_list) == 50
