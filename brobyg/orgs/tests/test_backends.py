"""The signed-in user is read with a kept query (brobyg.orgs.backends), as Django reads them."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from brobyg.lib import compiled
from brobyg.orgs.backends import AuthenticationBackend


def test_it_reads_each_user_with_one_kept_query(personas):
    compiled.forget()
    backend = AuthenticationBackend()
    alice, bob = backend.get_user(personas.alice.pk), backend.get_user(personas.bob.pk)
    assert (alice.pk, alice.email, alice.full_name) == (
        personas.alice.pk,
        personas.alice.email,
        personas.alice.full_name,
    )
    assert alice.password == personas.alice.password
    assert alice.last_organisation_id == personas.alice.last_organisation_id
    assert bob.pk == personas.bob.pk
    assert len(compiled._kept) == 1


def test_an_unknown_or_deactivated_user_is_nobody(personas):
    backend = AuthenticationBackend()
    assert backend.get_user(10**9) is None
    get_user_model().objects.filter(pk=personas.bob.pk).update(is_active=False)
    assert backend.get_user(personas.bob.pk) is None


def test_a_signed_in_member_stays_signed_in_until_deactivated(client, personas):
    client.force_login(personas.bob)
    assert client.get(reverse("support_course_list")).status_code == 200
    get_user_model().objects.filter(pk=personas.bob.pk).update(is_active=False)
    assert client.get(reverse("support_course_list")).status_code == 302
