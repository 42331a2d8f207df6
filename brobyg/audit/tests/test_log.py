import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import AuditLogImmutable, LogEntry
from brobyg.audit.services import log_action, purge_expired_access_entries
from brobyg.test import PASSWORD, log_in_with_second_factor, totp_code


def _entry(**fields):
    return log_action(action=fields.pop("action", "read"), **fields)


def test_it_refuses_to_change_or_delete_an_entry(db):
    entry = _entry(object_type="orgs.programme")
    entry.reason = "changed"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        LogEntry.objects.filter(pk=entry.pk).update(reason="changed")
    with pytest.raises(AuditLogImmutable):
        LogEntry.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        LogEntry.objects.bulk_update([entry], ["reason"])
    assert LogEntry.objects.get(pk=entry.pk).reason == ""


def test_it_removes_only_expired_access_entries(db, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 183
    now = timezone.now()
    old_read = LogEntry.objects.create(action="read", created_at=now - timedelta(days=200))
    old_update = LogEntry.objects.create(action="update", created_at=now - timedelta(days=200))
    recent_read = LogEntry.objects.create(action="read", created_at=now - timedelta(days=100))
    assert purge_expired_access_entries(now=now) == 1
    remaining = set(LogEntry.objects.values_list("pk", flat=True))
    assert old_read.pk not in remaining
    assert {old_update.pk, recent_read.pk} <= remaining


def test_it_runs_retention_as_a_periodic_task(db, settings):
    from django.core.management import call_command

    settings.ACCESS_LOG_RETENTION_DAYS = 30
    LogEntry.objects.create(action="login", created_at=timezone.now() - timedelta(days=31))
    call_command("run_periodic_jobs", stdout=io.StringIO())
    assert not LogEntry.objects.filter(action="login").exists()


def test_it_logs_login_logout_and_failed_login(client, personas):
    client.post(reverse("account_login"), {"login": "bob@example.org", "password": "wrong"})
    failed = LogEntry.objects.get(action="login_failed")
    assert failed.actor == personas.bob
    assert failed.details == {"email": "bob@example.org"}
    assert "wrong" not in str(failed.details)
    log_in_with_second_factor(client, "bob@example.org")
    assert LogEntry.objects.filter(action="login", actor=personas.bob).exists()
    client.post(reverse("account_logout"))
    assert LogEntry.objects.filter(action="logout", actor=personas.bob).exists()


def test_it_locks_an_account_after_five_failures_and_logs_the_lock(client, personas):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "bob@example.org", "password": "wrong"})
    assert LogEntry.objects.filter(action="lockout", actor=personas.bob).exists()
    response = client.post(
        reverse("account_login"), {"login": "bob@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert not LogEntry.objects.filter(action="login", actor=personas.bob).exists()
    # Another account is not affected.
    log_in_with_second_factor(client, "alice@example.org")
    assert LogEntry.objects.filter(action="login", actor=personas.alice).exists()


def test_it_logs_reading_a_staff_record_with_its_data_subject(client, personas):
    client.force_login(personas.ada)
    url = reverse("member_detail", kwargs={"public_id": personas.bob_membership.public_id})
    client.get(url)
    entry = LogEntry.objects.get(action="read", actor=personas.ada)
    assert entry.subject_type == "user"
    assert entry.subject_id == str(personas.bob.public_id)
    assert entry.organisation == personas.org_a
    assert entry.reason == "member details"
    assert entry.object_label == ""  # names stay out of the log


def test_it_lets_the_privacy_officer_filter_by_person_action_and_date(client, personas):
    client.force_login(personas.ada)
    client.get(reverse("member_detail", kwargs={"public_id": personas.bob_membership.public_id}))
    client.force_login(personas.per)
    response = client.get(
        reverse("audit_entry_list"),
        {
            "actor": str(personas.ada.public_id),
            "subject": str(personas.bob.public_id),
            "action": "read",
            "date_from": timezone.localdate().isoformat(),
            "date_to": timezone.localdate().isoformat(),
        },
    )
    page = response.context["page"]
    assert [entry.subject_id for entry in page.object_list] == [str(personas.bob.public_id)]
    assert "Bob Nielsen" in response.content.decode()
    search = LogEntry.objects.get(action="search", actor=personas.per)
    assert search.details["criteria"]["subject_id"] == str(personas.bob.public_id)


def test_it_keeps_the_filter_and_explains_a_reversed_date_range(client, personas):
    client.force_login(personas.per)
    response = client.get(
        reverse("audit_entry_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    form = response.context["form"]
    assert form.errors["date_to"]
    assert 'value="2026-05-02"' in response.content.decode()


def test_it_hides_other_organisations_entries_from_the_privacy_officer(client, personas):
    client.force_login(personas.carl)
    client.get(reverse("programme_list"))
    client.get(reverse("member_detail", kwargs={"public_id": personas.vera_membership.public_id}))
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_list"))
    actors = {entry.actor_id for entry in response.context["page"].object_list}
    assert actors and personas.carl.pk not in actors


def test_it_exports_the_filtered_log_as_csv_and_logs_the_export(client, personas):
    client.force_login(personas.ada)
    client.get(reverse("member_detail", kwargs={"public_id": personas.bob_membership.public_id}))
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_export"), {"action": "read"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["time", "actor_email", "actor_name", "organisation", "action"]
    assert len(rows) == 2
    assert rows[1][1] == "ada@example.org"
    # Not filtered by a person: the subject is an id, never a name.
    assert (rows[1][9], rows[1][10]) == (str(personas.bob.public_id), "")
    export = LogEntry.objects.get(action="export", actor=personas.per)
    assert export.details == {"criteria": {"action": "read"}, "rows": 1, "subjects_named": False}


def test_the_export_names_the_subject_only_when_filtered_by_that_person(client, personas):
    client.force_login(personas.ada)
    client.get(reverse("member_detail", kwargs={"public_id": personas.bob_membership.public_id}))
    client.force_login(personas.per)
    response = client.get(
        reverse("audit_entry_export"), {"action": "read", "subject": str(personas.bob.public_id)}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[10] for row in rows[1:]] == ["Bob Nielsen"]
    assert LogEntry.objects.get(action="export").details["subjects_named"] is True


def test_a_search_for_a_citizen_logs_whom_it_found_not_the_name_typed(client, personas):
    from brobyg.test import make_request

    mette, _token = make_request(personas.programme_a, name="Mette Holm")
    client.force_login(personas.alice)
    client.get(reverse("intake_citizen_detail", args=[mette.citizen.public_id]))
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_export"), {"citizen": "mette"})
    body = b"".join(response.streaming_content).decode()
    assert "Mette Holm" in body
    export = LogEntry.objects.get(action="export")
    assert export.details["criteria"]["citizen"] == [str(mette.citizen.public_id)]
    assert "mette" not in str(export.details).lower()


def test_it_neutralises_spreadsheet_formulas_in_the_export(client, personas):
    log_action(action="login_failed", actor=personas.bob, details={"email": "=cmd|x"})
    personas.bob.full_name = "=HYPERLINK(1)"
    personas.bob.save()
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_export"))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_it_logs_wrong_authenticator_codes_and_stops_guessing(client, personas):
    client.post(reverse("account_login"), {"login": "bob@example.org", "password": PASSWORD})
    for _ in range(12):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    failures = LogEntry.objects.filter(action="login_failed", actor=personas.bob)
    assert failures.count() == 10  # then allauth's rate limit refuses further codes
    assert failures.first().details == {"step": "second_factor"}
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert not LogEntry.objects.filter(action="login", actor=personas.bob).exists()


def test_the_database_itself_refuses_to_change_an_entry(db):
    from django.db import DatabaseError, transaction

    entry = _entry(object_type="orgs.programme")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry._base_manager.filter(pk=entry.pk).update(reason="changed")


def test_the_database_refuses_to_delete_a_change_entry(db):
    from django.db import DatabaseError, connection, transaction

    entry = _entry(action="update", object_type="orgs.programme")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)


def test_it_shows_members_log_ins_only_from_when_they_joined(client, personas):
    from brobyg.test import make_member

    log_action(action="login_failed", actor=personas.carl, details={"email": "carl@example.org"})
    make_member(personas.org_a, personas.carl, ["peer"])
    log_action(action="login", actor=personas.carl)
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_list"), {"actor": str(personas.carl.public_id)})
    assert [e.action for e in response.context["page"].object_list] == ["login"]


def test_it_finds_what_the_log_holds_about_a_citizen_by_name(client, personas):
    from brobyg.test import make_request

    mette, _token = make_request(personas.programme_a, name="Mette Holm")
    other, _token = make_request(personas.programme_a, name="Ole Berg", phone="11223344")
    client.force_login(personas.alice)
    for support_request in (mette, other):
        client.get(reverse("intake_citizen_detail", args=[support_request.citizen.public_id]))
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_list"), {"citizen": "mette", "action": "read"})
    entries = response.context["page"].object_list
    assert entries and {e.subject_id for e in entries} == {str(mette.citizen.public_id)}
    assert "Mette Holm" in response.content.decode()


def test_it_logs_a_read_for_every_member_on_the_staff_list(client, personas):
    client.force_login(personas.maja)
    client.get(reverse("member_list"))
    entries = LogEntry.objects.filter(actor=personas.maja, reason="member list")
    assert {e.subject_id for e in entries} == {
        str(user.public_id)
        for user in (
            personas.ada,
            personas.alice,
            personas.bob,
            personas.maja,
            personas.sara,
            personas.rita,
            personas.eva,
            personas.per,
        )
    }
