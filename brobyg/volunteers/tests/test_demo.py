"""The demo volunteer centre: applicants in every stage, an active volunteer, a "not now"."""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from brobyg.volunteers.models import Application, Stage


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_volunteer_centre_has_applicants_in_every_stage(demo):
    with scopes_disabled():
        applications = Application.objects.filter(organisation__name="Frivilligcenter Rudersdal")
        stages = Stage.objects.filter(organisation__name="Frivilligcenter Rudersdal")
        occupied = set(applications.values_list("stage__position", flat=True))
        assert occupied == set(stages.values_list("position", flat=True))
        assert applications.filter(status="active", peer__status="active").exists()
        assert applications.filter(status="not_now").exists()
