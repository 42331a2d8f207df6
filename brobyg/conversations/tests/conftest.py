import pytest
from django_scopes import scopes_disabled

from brobyg.support import services
from brobyg.test import make_waiting_request


@pytest.fixture
def course(personas, bob_peer):
    support_request, _token = make_waiting_request(
        personas.programme_a, name="Lone Holm", email="lone@example.org"
    )
    with scopes_disabled():
        return services.course_create(
            actor=personas.alice,
            citizen=support_request.citizen,
            programme=personas.programme_a,
            peers=[bob_peer],
            data={},
            goals="Komme ud blandt andre igen.",
            support_request=support_request,
        )
