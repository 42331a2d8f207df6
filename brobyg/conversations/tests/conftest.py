import pytest

from brobyg.support import services
from brobyg.test import in_org, make_waiting_request


@pytest.fixture
def course(personas, bob_peer):
    support_request, _token = make_waiting_request(
        personas.programme_a, name="Lone Holm", email="lone@example.org"
    )
    with in_org(personas.org_a):
        return services.course_create(
            actor=personas.alice,
            citizen=support_request.citizen,
            programme=personas.programme_a,
            peers=[bob_peer],
            data={},
            goals="Komme ud blandt andre igen.",
            support_request=support_request,
        )
