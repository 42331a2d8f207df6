"""Peer profiles: coordinators create and edit them; lived experience stays with coordinators."""

from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.people.models import Peer
from brobyg.test import in_org, make_peer, make_programme


def test_a_coordinator_creates_a_profile_for_a_member_with_the_peer_role(client, personas):
    client.force_login(personas.alice)
    url = reverse("matching_peer_create")
    form = client.get(url).context["form"]
    assert list(form.fields["user"].queryset) == [personas.bob]
    data = {
        "user": personas.bob.public_id,
        "kind": "paid",
        "status": "active",
        "programmes": [personas.programme_a.public_id],
        "capacity": 4,
        "supports_min_age": 18,
        "supports_max_age": 120,
        "forms": ["individual", "phone"],
        "strengths": ["wellbeing"],
        "experience_areas": ["anxiety"],
        "languages": ["da", "ar"],
        "municipalities": ["Rudersdal"],
        "availability": ["mon_morning", "tue_evening"],
    }
    bad = client.post(url, {**data, "supports_min_age": 60, "supports_max_age": 30})
    assert bad.status_code == 200
    assert "Den øvre alder må ikke være lavere end den nedre." in bad.content.decode()
    assert bad.context["form"]["capacity"].value() == "4"  # what was typed is kept
    with in_org(personas.org_a):
        assert not Peer.objects.exists()
    response = client.post(url, data)
    with in_org(personas.org_a):
        peer = Peer.objects.get()
        assert list(peer.programmes.all()) == [personas.programme_a]
    assert response.url == reverse("matching_peer_detail", args=[peer.public_id])
    assert peer.languages == ["da", "ar"] and peer.capacity == 4


def test_lived_experience_is_shown_to_coordinators_not_managers(client, personas):
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a], experience_areas=["ocd"])
    url = reverse("matching_peer_detail", args=[peer.public_id])
    client.force_login(personas.alice)
    assert "OCD" in client.get(url).content.decode()
    client.force_login(personas.maja)
    page = client.get(url).content.decode()
    assert "OCD" not in page and "Bob Nielsen" in page
    with in_org(personas.org_a):
        assert LogEntry.objects.filter(
            actor=personas.maja, action="read", subject_id=str(personas.bob.public_id)
        ).exists()


def test_a_peer_edits_their_own_profile_but_not_their_capacity(client, personas):
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a], capacity=3)
    client.force_login(personas.bob)
    url = reverse("matching_own_profile")
    response = client.post(
        url,
        {
            "presentation": "Jeg går gerne ture.",
            "experience_areas": ["grief"],
            "languages": ["da"],
            "availability": ["sat_afternoon"],
            "capacity": 30,
        },
    )
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.presentation == "Jeg går gerne ture."
    assert peer.experience_areas == ["grief"] and peer.capacity == 3


def test_a_peer_list_row_shows_labels_programmes_load_and_link(client, personas):
    """Each row's labels, programmes, load and link are built once per page, not per row."""
    second = make_programme(personas.org_a, "Aftengruppen")
    peer = make_peer(
        personas.org_a,
        personas.bob,
        [personas.programme_a, second],
        kind="volunteer",
        status="paused",
        capacity=4,
    )
    client.force_login(personas.alice)
    response = client.get(reverse("matching_peer_list"))
    row = response.context["rows"][0]
    assert row["kind"] == "Frivillig peer-støtte"
    assert row["status"] == "På pause"
    assert row["programmes"] == "Aftengruppen, Peer-støtte i socialpsykiatrien"
    assert row["load"] == "0 af 4"
    assert row["url"] == reverse("matching_peer_detail", args=[peer.public_id])
    html = response.content.decode()
    assert f'<a href="{row["url"]}">' in html
    assert '<span class="tag tag--flag">På pause</span>' in html


def test_the_peer_list_shows_load_and_filters_by_status(client, personas):
    make_peer(personas.org_a, personas.bob, [personas.programme_a], status="paused")
    client.force_login(personas.alice)
    url = reverse("matching_peer_list")
    assert [r["peer"].user for r in client.get(url).context["rows"]] == [personas.bob]
    assert client.get(url, {"status": "active"}).context["rows"] == []
