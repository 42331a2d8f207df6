import pytest
from django_scopes import scope, scopes_disabled

from brobyg.volunteers import services
from brobyg.volunteers.tests.matrix import APPLICATION


@pytest.fixture
def apply_to(personas):
    """``apply_to(organisation, **changes)``: an application as from the public page."""

    def make(organisation=None, in_crisis=False, **changes):
        with scopes_disabled():
            return services.application_submit(
                organisation=organisation or personas.org_b,
                data={**APPLICATION, **changes},
                in_crisis=in_crisis,
            )

    return make


@pytest.fixture
def stages(personas):
    with scope(organisation=personas.org_b.pk):
        return services.stages_ensure(organisation=personas.org_b)
