"""The demo's report: Københavns Kommune's figures for the last year are stored, so its report
page opens at once with their time."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.orgs.models import User
from brobyg.reports.models import ReportSnapshot, SnapshotStatus


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.DEMO_MODE = True
    # As in the command, where the demo commits (and its callbacks run) without a scope.
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_report_opens_with_stored_figures(demo, client):
    with scopes_disabled():
        stored = list(ReportSnapshot.objects.filter(organisation__name="Københavns Kommune"))
        manager = User.objects.get(email="leder@brobyg.demo")  # manager in Københavns Kommune
    assert sorted(snapshot.suppressed for snapshot in stored) == [False, True]
    assert all(snapshot.status == SnapshotStatus.DONE for snapshot in stored)
    client.force_login(manager)
    page = client.get(reverse("reports_report")).content.decode()
    assert "Tallene er beregnet" in page and "Beregn igen" in page
    with scopes_disabled():
        again = {snapshot.pk: snapshot.computed_at for snapshot in ReportSnapshot.objects.all()}
    assert again == {snapshot.pk: snapshot.computed_at for snapshot in stored}
