"""The coordinators' waiting list: order, filters, flags, audit and a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.intake import services
from brobyg.intake.models import Status, SupportRequest
from brobyg.lib.templatetags.dates import short_date
from brobyg.people import selectors as people_selectors
from brobyg.test import in_org, make_programme, make_request

URL = reverse("intake_waiting_list")


def _request(programme, name, phone, *, days_ago=0, **fields):
    support_request, _token = make_request(programme, name=name, phone=phone, **fields)
    if days_ago:
        with scopes_disabled():
            SupportRequest.objects.filter(pk=support_request.pk).update(
                created_at=timezone.now() - timedelta(days=days_ago)
            )
            support_request.refresh_from_db()
    return support_request


def _names(response):
    return [row["request"].citizen.name for row in response.context["rows"]]


def test_it_lists_urgent_requests_first_then_the_longest_waiting(client, personas):
    _request(personas.programme_a, "Anna", "11111111", days_ago=2)
    _request(personas.programme_a, "Bent", "22222222", days_ago=9)
    _request(personas.programme_a, "Cille", "33333333", in_crisis=True)
    client.force_login(personas.alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert _names(response) == ["Cille", "Bent", "Anna"]
    assert [row["days_waiting"] for row in response.context["rows"]] == [0, 9, 2]
    page = response.content.decode()
    assert "Urgent" in page or "Haster" in page


def test_it_shows_only_open_requests_unless_a_status_is_chosen(client, personas):
    closed = _request(personas.programme_a, "Anna", "11111111")
    _request(personas.programme_a, "Bent", "22222222")
    with scope(organisation=personas.org_a.pk):
        services.request_change_status(
            actor=personas.alice, support_request=closed, status=Status.WITHDRAWN
        )
    client.force_login(personas.alice)
    assert _names(client.get(URL)) == ["Bent"]
    assert _names(client.get(URL, {"status": "withdrawn"})) == ["Anna"]


def test_it_filters_by_programme_urgency_and_name_phone_or_email(client, personas):
    other = make_programme(personas.org_a, "Recovery-mentorer")
    _request(personas.programme_a, "Anna Holm", "11111111", email="anna@example.org")
    _request(other, "Bent Lund", "22222222", in_crisis=True)
    client.force_login(personas.alice)
    assert _names(client.get(URL, {"programme": other.public_id})) == ["Bent Lund"]
    assert _names(client.get(URL, {"urgent": "on"})) == ["Bent Lund"]
    assert _names(client.get(URL, {"q": "holm"})) == ["Anna Holm"]
    assert _names(client.get(URL, {"q": "2222"})) == ["Bent Lund"]
    assert _names(client.get(URL, {"q": "ANNA@example"})) == ["Anna Holm"]


def test_a_search_takes_wildcards_literally_and_never_spans_two_fields(client, personas):
    _request(personas.programme_a, "Anna 100%", "11111111")
    _request(personas.programme_a, "Bent_Lund", "22222222")
    _request(personas.programme_a, "Cille", "33333333", email="cille@example.org")
    client.force_login(personas.alice)
    assert _names(client.get(URL, {"q": "%"})) == ["Anna 100%"]
    assert _names(client.get(URL, {"q": "t_l"})) == ["Bent_Lund"]
    assert _names(client.get(URL, {"q": "lle3333"})) == []
    assert _names(client.get(URL, {"q": "3333cille"})) == []


def test_a_search_finds_a_citizen_by_the_name_they_have_now(client, personas):
    support_request = _request(personas.programme_a, "Anna Holm", "11111111")
    with scopes_disabled():
        type(support_request.citizen).objects.filter(pk=support_request.citizen_id).update(
            name="Anne Berg"
        )
    client.force_login(personas.alice)
    assert _names(client.get(URL, {"q": "holm"})) == []
    assert _names(client.get(URL, {"q": "berg"})) == ["Anne Berg"]


def test_it_refuses_another_organisations_programme_as_a_filter(client, personas):
    _request(personas.programme_a, "Anna", "11111111")
    client.force_login(personas.alice)
    response = client.get(URL, {"programme": personas.programme_b.public_id})
    assert response.status_code == 200
    assert "programme" in response.context["filters"].errors
    assert _names(response) == []


def test_it_never_shows_another_organisations_requests(client, personas):
    _request(personas.programme_a, "Anna", "11111111")
    client.force_login(personas.carl)
    response = client.get(URL)
    assert _names(response) == []
    assert "Anna" not in response.content.decode()


def test_it_shows_source_first_contact_duplicates_and_minimum_age(client, personas):
    young = _request(
        personas.programme_a, "Unge Ulla", "11111111", birth_year=timezone.localdate().year - 15
    )
    first = _request(personas.programme_a, "Mette", "22222222")
    _request(personas.programme_a, "Mette H.", "22222222")
    with scope(organisation=personas.org_a.pk):
        services.request_record_first_contact(
            actor=personas.alice,
            support_request=first,
            date=timezone.localdate(),
            method="phone",
        )
    client.force_login(personas.alice)
    rows = {row["request"].citizen.name: row for row in client.get(URL).context["rows"]}
    assert rows["Unge Ulla"]["request"].below_minimum_age
    assert not rows["Unge Ulla"]["possible_duplicate"]
    assert rows["Mette"]["possible_duplicate"] and rows["Mette H."]["possible_duplicate"]
    assert rows["Mette"]["request"].first_contact_at == timezone.localdate()
    assert young.source == "self_referral"


def test_a_row_shows_its_labels_first_contact_and_link_as_before(client, personas):
    """A row's labels, first contact and link are built once per page, not per row."""
    contacted = _request(personas.programme_a, "Anna", "11111111", days_ago=3)
    waiting = _request(personas.programme_a, "Bent", "22222222", days_ago=1)
    day = timezone.localdate()
    with scope(organisation=personas.org_a.pk):
        services.request_record_first_contact(
            actor=personas.alice, support_request=contacted, date=day, method="phone"
        )
    client.force_login(personas.alice)
    response = client.get(URL)
    rows = {row["request"].citizen.name: row for row in response.context["rows"]}
    assert rows["Anna"]["status"] == "Ny" and rows["Anna"]["source"] == "Selvhenvendelse"
    assert rows["Anna"]["first_contact"] == f"Ja, {short_date(day)}"
    assert rows["Bent"]["first_contact"] == "Endnu ikke"
    assert rows["Bent"]["programme"] == personas.programme_a.name
    assert not rows["Bent"]["urgent"] and not rows["Bent"]["below_minimum_age"]
    url = reverse("intake_request_detail", args=[waiting.public_id])
    assert rows["Bent"]["url"] == url
    assert f'<a href="{url}">Bent</a>' in response.content.decode()


def test_it_logs_a_read_without_filters_and_a_search_with_its_criteria(client, personas):
    other = make_programme(personas.org_a, "Recovery-mentorer")
    _request(personas.programme_a, "Anna", "11111111")
    client.force_login(personas.alice)
    client.get(URL)
    client.get(URL, {"programme": other.public_id, "urgent": "on", "q": "anna"})
    read, search = LogEntry.objects.filter(
        actor=personas.alice, object_type="intake.supportrequest"
    ).order_by("pk")
    assert read.action == "read" and read.organisation == personas.org_a
    assert read.object_type == "intake.supportrequest"
    assert read.details["results"] == 1
    assert search.action == "search"
    assert search.details["criteria"] == {
        "programme": str(other.public_id),
        "urgent": True,
        "q": "anna",
    }
    assert search.details["results"] == 0


def test_it_shows_fifty_requests_a_page(client, personas):
    for number in range(51):
        _request(personas.programme_a, f"Borger {number}", f"{number:08d}")
    client.force_login(personas.alice)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    assert 'page=2"' in first.content.decode()
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 1


def _add_requests(personas, start, stop):
    for number in range(start, stop):
        # Every three citizens share a phone number: possible duplicates to flag.
        _request(personas.programme_a, f"Borger {number}", f"{number // 3:08d}")


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    return len(queries), len(response.context["rows"])


def test_it_lists_requests_in_a_fixed_number_of_queries(client, personas):
    client.force_login(personas.alice)
    client.get(URL)  # the first request stamps the session's activity (a save)
    _add_requests(personas, 0, 3)
    few, rows = _count_queries(client)
    assert rows == 3
    _add_requests(personas, 3, 30)
    many, rows = _count_queries(client)
    assert rows == 30
    assert many == few
    assert many <= 12


def test_it_flags_the_same_citizens_as_possible_duplicates_finds(personas):
    with in_org(personas.org_a):
        citizens = [
            _request(personas.programme_a, name, phone, **extra).citizen
            for name, phone, extra in [
                ("A", "11111111", {"email": "a@example.org"}),
                ("B", "22222222", {"email": "A@EXAMPLE.org"}),
                ("C", "33333333", {}),
                ("D", "33333333", {}),
                ("E", "44444444", {}),
            ]
        ]
    with scope(organisation=personas.org_a.pk):
        expected = {c.pk for c in citizens if people_selectors.possible_duplicates(c).exists()}
        assert people_selectors.possible_duplicate_ids(citizens) == expected
    assert expected == {citizens[0].pk, citizens[1].pk, citizens[2].pk, citizens[3].pk}


def test_it_logs_a_read_for_every_citizen_on_the_page(client, personas):
    shown = [
        _request(personas.programme_a, name, phone).citizen
        for name, phone in (("Anna", "11111111"), ("Bo", "22222222"))
    ]
    client.force_login(personas.alice)
    client.get(reverse("intake_waiting_list"))
    entries = LogEntry.objects.filter(actor=personas.alice, reason="waiting list")
    assert {entry.subject_id for entry in entries} == {str(c.public_id) for c in shown}
