"""A group's page costs the same queries however many requests wait and people take part (at
most 15, issue 23's budget); its enrol form offers the first requests and finds the others by
name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.test import assert_queries_do_not_grow, make_waiting_request


def _waiting(personas, count, start):
    for number in range(start, start + count):
        make_waiting_request(
            personas.programme_a,
            name=f"Borger {number}",
            phone=f"4200{number:04d}",
            request_data={"purposes": [], "forms": ["group"]},
        )


@pytest.mark.parametrize("user", ["alice", "bob", "maja"])
def test_the_group_page_does_not_grow_in_queries(client, personas, bob_peer, user):
    group = make_group(personas, facilitators=[bob_peer], capacity=30)
    add_people(group, 2)
    _waiting(personas, 2, 0)
    client.force_login(getattr(personas, user))

    def grow():
        add_people(group, 6, start=100)
        _waiting(personas, 6, 100)

    url = reverse("groups_detail", args=[group.public_id])
    assert_queries_do_not_grow(client, url, grow=grow)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) <= 15


def test_the_enrol_form_offers_the_first_and_finds_others_by_name(
    client, personas, bob_peer, monkeypatch
):
    monkeypatch.setattr("brobyg.groups.views.ENROL_CHOICES", 2)
    group = make_group(personas, facilitators=[bob_peer])
    _waiting(personas, 4, 0)
    client.force_login(personas.alice)
    url = reverse("groups_detail", args=[group.public_id])
    offered = client.get(url).context["enrol_form"].fields["support_request"].choices
    assert [label for _key, label in offered][1:] == [
        f"Borger {n} ({personas.programme_a.name})" for n in (0, 1)
    ]
    response = client.get(url, {"enrol_q": "Borger 3"})
    found = response.context["enrol_form"].fields["support_request"].choices
    assert [label for _key, label in found][1:] == [f"Borger 3 ({personas.programme_a.name})"]
    assert 'value="Borger 3"' in response.content.decode()


def test_it_enrols_a_request_that_was_not_among_the_first_offered(
    client, personas, bob_peer, monkeypatch
):
    monkeypatch.setattr("brobyg.groups.views.ENROL_CHOICES", 1)
    group = make_group(personas, facilitators=[bob_peer])
    _waiting(personas, 3, 0)
    client.force_login(personas.alice)
    url = reverse("groups_detail", args=[group.public_id])
    key = (
        client.get(url, {"enrol_q": "Borger 2"})
        .context["enrol_form"]
        .fields["support_request"]
        .choices[1][0]
    )
    response = client.post(
        reverse("groups_enrol_request", args=[group.public_id]), {"support_request": key}
    )
    assert response.status_code == 302
    assert "Borger 2" in client.get(url).content.decode()


def test_it_keeps_the_form_and_says_what_is_missing_without_a_choice(client, personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer])
    _waiting(personas, 2, 0)
    client.force_login(personas.alice)
    response = client.post(
        reverse("groups_enrol_request", args=[group.public_id]), {"support_request": "nope"}
    )
    form = response.context["enrol_form"]
    assert form.errors["support_request"]
    assert len(form.fields["support_request"].choices) == 3  # the first requests, offered again


def test_the_group_list_does_not_grow_in_queries_and_links_every_row(client, personas, bob_peer):
    """The list's rows read only the columns they show; each row's link and kind label are
    built once per page: they say what ``{% url %}`` and ``get_kind_display`` say."""
    from django.utils import translation

    from brobyg.groups.models import GroupCourse
    from brobyg.test import in_org

    add_people(make_group(personas, facilitators=[bob_peer], title="Gruppe 0"), 2)
    client.force_login(personas.alice)

    def grow():
        for index in range(1, 6):
            add_people(make_group(personas, facilitators=[bob_peer], title=f"Gruppe {index}"), 2)

    response = assert_queries_do_not_grow(client, reverse("groups_list"), grow=grow)
    page = response.content.decode()
    shown = [
        *response.context["running"],
        *response.context["planned"],
        *response.context["ended"],
    ]
    with in_org(personas.org_a):
        assert len(shown) == GroupCourse.objects.filter(organisation=personas.org_a).count() == 6
    with translation.override("da"):
        for group in shown:
            url = reverse("groups_detail", args=[group.public_id])
            assert group.url == url and f'<a href="{url}">{group.title}</a>' in page
            assert group.kind_label == group.get_kind_display()
            assert f"<td>{group.kind_label}</td>" in page
            assert f"<td>{group.programme.name}</td>" in page
