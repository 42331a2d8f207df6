"""Management commands and background tasks run outside a request, as in production.

No scope is active here (no middleware, no `scopes_disabled()` around the call): a command or
task that queries an organisation's data without setting its own scope raises django-scopes'
ScopeError, as it would on a server.
"""

import io
import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import get_scope, scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership, Organisation, User
from brobyg.periodic import PERIODIC_TASKS

PASSWORD = "a-long-and-unguessable-pass-phrase"


@pytest.fixture(autouse=True)
def _no_scope():
    """What these tests are about: nothing has set or disabled a scope."""
    assert get_scope() == {}
    yield
    assert get_scope() == {}


def _create_admin(**options):
    arguments = {
        "email": "it@eksempel.dk",
        "name": "Navn Navnesen",
        "organisation": "Eksempel Kommune",
        "kind": "municipality",
    }
    call_command("create_organisation_admin", stdout=io.StringIO(), **(arguments | options))


def _assert_admin_of(email, organisation_name):
    user = User.objects.get(email=email)
    assert user.is_platform_admin
    assert user.check_password(PASSWORD)
    organisation = Organisation.objects.get(name=organisation_name)
    with scopes_disabled():
        membership = Membership.objects.get(user=user, organisation=organisation)
    assert membership.roles == [Role.ADMIN]
    assert LogEntry.objects.filter(action="create", organisation=organisation).exists()


def test_create_organisation_admin_on_a_fresh_database_with_a_password_file(db, tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    _create_admin(password_file=password_file)
    _assert_admin_of("it@eksempel.dk", "Eksempel Kommune")


def test_create_organisation_admin_reads_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("BROBYG_ADMIN_PASSWORD", PASSWORD)
    _create_admin()
    _assert_admin_of("it@eksempel.dk", "Eksempel Kommune")


def test_create_organisation_admin_on_a_populated_database(personas, monkeypatch):
    monkeypatch.setenv("BROBYG_ADMIN_PASSWORD", PASSWORD)
    _create_admin(email="it@gentofte.dk", organisation="Gentofte Kommune")
    _assert_admin_of("it@gentofte.dk", "Gentofte Kommune")
    assert Organisation.objects.count() == 3


def test_create_organisation_admin_without_a_password_and_a_terminal_refuses(db, monkeypatch):
    monkeypatch.delenv("BROBYG_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match="--password-file"):
        _create_admin()
    assert not User.objects.exists()


@pytest.mark.parametrize("content", ["", "\n", "short\n"])
def test_create_organisation_admin_refuses_an_empty_or_weak_password(db, tmp_path, content):
    password_file = tmp_path / "password"
    password_file.write_text(content)
    with pytest.raises(CommandError):
        _create_admin(password_file=password_file)
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_create_organisation_admin_refuses_a_missing_password_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the password file"):
        _create_admin(password_file=tmp_path / "missing")
    assert not User.objects.exists()


def test_create_organisation_admin_refuses_an_existing_organisation_name(personas, monkeypatch):
    monkeypatch.setenv("BROBYG_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError):
        _create_admin(organisation=personas.org_a.name)
    assert not User.objects.filter(email="it@eksempel.dk").exists()


def test_load_instruments_and_periodic_jobs_on_a_fresh_database(db):
    out = io.StringIO()
    call_command("load_instruments", stdout=out)
    call_command("run_periodic_jobs", stdout=out)
    assert "SUCCESSFUL" in out.getvalue()
    assert "FAILED" not in out.getvalue()


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_instruments", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert get_scope() == {}


def test_periodic_jobs_on_a_populated_database(demo):
    out = io.StringIO()
    call_command("run_periodic_jobs", stdout=out)
    call_command("run_periodic_jobs", stdout=out)
    assert "FAILED" not in out.getvalue()
    assert out.getvalue().count("SUCCESSFUL") == 2 * len(PERIODIC_TASKS)


def test_every_task_runs_outside_a_request(demo):
    """The worker runs a task with only the ids it was given, and no scope."""
    from brobyg.intake.models import SupportRequest
    from brobyg.intake.tasks import alert_coordinators
    from brobyg.orgs.tasks import send_invitation as send_member_invitation
    from brobyg.outcomes.models import Invitation, PeerAlert
    from brobyg.outcomes.tasks import notify_peer_alert, send_invitation
    from brobyg.reports.models import ReportRun
    from brobyg.reports.tasks import make_report_file

    with scopes_disabled():
        membership = Membership.objects.select_related("user").first()
        support_request = SupportRequest.objects.filter(urgent=True).first()
        invitation = Invitation.objects.first()
        alert = PeerAlert.objects.first()
        programme_ids = [str(p.public_id) for p in membership.organisation.programmes.all()]
        runs = [
            ReportRun.objects.create(
                organisation=membership.organisation,
                requested_by=membership.user,
                format=export_format,
                parameters={
                    "programmes": programme_ids,
                    "start": "2020-01-01",
                    "end": "2030-12-31",
                },
            )
            for export_format in ("csv", "dataset")
        ]
    mail.outbox.clear()
    send_member_invitation.call(
        user_id=membership.user_id, organisation_id=membership.organisation_id
    )
    assert mail.outbox[-1].to == [membership.user.email]
    assert alert_coordinators.call(support_request_id=support_request.pk) >= 1
    send_invitation.call(invitation_id=invitation.pk)
    assert notify_peer_alert.call(alert_id=alert.pk) >= 0
    for run in runs:
        assert make_report_file.call(run_id=run.pk) == "done"
