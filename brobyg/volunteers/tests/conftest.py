import pytest
from django_scopes import scope

from brobyg.test import in_org
from brobyg.volunteers import services
from brobyg.volunteers.tests.matrix import APPLICATION


@pytest.fixture
def apply_to(personas):
    """``apply_to(organisation, **changes)``: an application as from the public page."""

    def make(organisation=None, in_crisis=False, **changes):
        organisation = organisation or personas.org_b
        with in_org(organisation):
            return services.application_submit(
                organisation=organisation,
                data={**APPLICATION, **changes},
                in_crisis=in_crisis,
            )

    return make


@pytest.fixture
def stages(personas):
    with scope(organisation=personas.org_b.pk):
        return services.stages_ensure(organisation=personas.org_b)
