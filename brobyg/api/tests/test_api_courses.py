"""A coordinator client reads courses as dates and counts (never notes) and a citizen's
consents."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.audit.models import LogEntry
from brobyg.support import services
from brobyg.test import in_org, make_waiting_request

pytestmark = pytest.mark.django_db

NOTE = "Talte om angsten for jobcentret"


@pytest.fixture
def course(course, personas):
    """The shared course with one session held an hour ago."""
    with in_org(personas.org_a):
        services.session_log(
            actor=personas.bob,
            course=course,
            data={"starts_at": timezone.now() - timedelta(hours=1), "note": NOTE},
        )
    return course


@pytest.fixture
def headers(client, personas):
    _api_client, client_id, secret = make_api_client(
        personas.org_a, ["coordinator"], actor=personas.alice
    )
    return bearer(client, client_id, secret)


def test_it_gives_courses_as_dates_and_counts_without_notes(client, course, headers):
    response = client.get("/api/v1/courses", **headers)
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == str(course.public_id)
    assert item["request"] == str(course.support_request.public_id)
    assert item["sessions_held"] == 1 and item["sessions_planned"] == 0
    assert NOTE not in response.content.decode()
    assert "Lone Holm" not in response.content.decode()
    assert LogEntry.objects.filter(
        object_type="support.course", subject_id=str(course.citizen.public_id)
    ).exists()


def test_it_gives_a_citizens_current_consents(client, personas, course, headers):
    response = client.get(f"/api/v1/citizens/{course.citizen.public_id}/consents", **headers)
    assert response.status_code == 200
    assert {(item["purpose"], item["given"]) for item in response.json()} >= {("support", True)}
    other, _token = make_waiting_request(personas.programme_b)
    foreign = client.get(f"/api/v1/citizens/{other.citizen.public_id}/consents", **headers)
    assert foreign.status_code == 404
