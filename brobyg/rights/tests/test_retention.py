from datetime import date, timedelta

import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import LogEntry
from brobyg.audit.services import log_action
from brobyg.intake.models import Status, SupportRequest
from brobyg.periodic import PERIODIC_TASKS
from brobyg.rights import retention
from brobyg.rights.models import AccessCode, RetentionSetting
from brobyg.rights.selectors import retention_preview
from brobyg.rights.services import legal_hold_place
from brobyg.rights.tasks import apply_retention_rules
from brobyg.support.models import Course, CourseStatus, GoalVersion, Session
from brobyg.test import in_org, make_waiting_request

NOON = time_machine.travel("2026-06-10 12:00 +02:00", tick=False)
TODAY = date(2026, 6, 10)


def _run():
    return apply_retention_rules.call()


def _due(organisation, name):
    rows = {row["rule"].name: row for row in retention_preview(organisation, today=TODAY)}
    return rows[name]["due"], rows[name]["held"]


def test_every_model_with_personal_data_belongs_to_one_category():
    ours = {
        model._meta.label for model in apps.get_models() if model.__module__.startswith("brobyg.")
    }
    placed = [label for rule in retention.categories() for label in rule.models]
    assert len(placed) == len(set(placed)), "a model belongs to one category only"
    assert not set(placed) & set(retention.NOT_PERSONAL)
    missing = ours - set(placed) - set(retention.NOT_PERSONAL)
    assert not missing, "put these models in a retention category (or NOT_PERSONAL with a reason)"
    for label in [*placed, *retention.NOT_PERSONAL]:
        apps.get_model(label)


def test_every_category_has_an_ending_and_a_period_or_a_reason():
    for rule in retention.categories():
        assert str(rule.ending)
        if rule.has_period:
            assert rule.min_days <= rule.days <= rule.max_days
            assert rule.due and rule.held and rule.apply
        else:
            assert str(rule.kept)


def test_the_retention_job_runs_periodically():
    assert apply_retention_rules in PERIODIC_TASKS


def _end_course(citizen, ended_on):
    with in_org(citizen.organisation):
        Course.objects.filter(citizen=citizen).update(status=CourseStatus.ENDED, ended_on=ended_on)
        return Course.objects.get(citizen=citizen)


@NOON
def test_an_ended_course_past_its_period_loses_its_words_and_stays_counted(personas, lone):
    course = _end_course(lone, TODAY - timedelta(days=1826))
    with in_org(personas.org_a):
        assert _due(personas.org_a, "ended_courses") == (1, 0)
        _run()
        course.refresh_from_db()
        assert not GoalVersion.objects.filter(course=course).exists()
        assert Session.objects.get(course=course).note == ""
        assert Course.objects.filter(pk=course.pk).exists()
        assert _due(personas.org_a, "ended_courses") == (0, 0)
        run = LogEntry.objects.get(organisation=personas.org_a, object_type="rights.retention")
    assert run.details["categories"]["ended_courses"]["removed"] == 1
    assert run.details["categories"]["ended_courses"]["days"] == 1825
    assert "Vi talte" not in str(run.details)


@NOON
def test_a_course_ended_inside_its_period_is_kept(personas, lone):
    course = _end_course(lone, TODAY - timedelta(days=1824))
    with in_org(personas.org_a):
        assert _due(personas.org_a, "ended_courses") == (0, 0)
        _run()
        assert Session.objects.get(course=course).note == "Vi talte om hendes søster."


@NOON
def test_a_legal_hold_keeps_an_ended_course(personas, lone):
    course = _end_course(lone, TODAY - timedelta(days=2000))
    with in_org(personas.org_a):
        legal_hold_place(actor=personas.per, citizen=lone, category="support", reason="Journal")
        assert _due(personas.org_a, "ended_courses") == (0, 1)
        _run()
        assert GoalVersion.objects.filter(course=course).exists()


def _declined_request(personas, name, days_ago):
    support_request, _token = make_waiting_request(
        personas.programme_a, name=name, email=f"{name.split()[0].lower()}@example.org"
    )
    with in_org(personas.org_a):
        SupportRequest.objects.filter(pk=support_request.pk).update(
            status=Status.DECLINED,
            status_changed_at=timezone.now() - timedelta(days=days_ago),
            own_words="Jeg har det svært.",
        )
    return support_request.citizen


@NOON
def test_a_person_whose_requests_were_never_matched_is_anonymised_after_a_year(personas):
    old = _declined_request(personas, "Kim Berg", 400)
    recent = _declined_request(personas, "Ida Lund", 300)
    held = _declined_request(personas, "Ole Dahl", 400)
    with in_org(personas.org_a):
        legal_hold_place(actor=personas.per, citizen=held, category="intake", reason="Sag")
        assert _due(personas.org_a, "requests_never_matched") == (1, 1)
        _run()
        for citizen in (old, recent, held):
            citizen.refresh_from_db()
        assert (old.name, old.email) == ("—", "")
        assert SupportRequest.objects.get(citizen=old).own_words == ""
        assert recent.name == "Ida Lund"
        assert held.name == "Ole Dahl"
        erased = LogEntry.objects.get(action="delete", subject_id=str(old.public_id))
    assert erased.reason == "retention rules applied"
    assert "Kim" not in str(erased.details)


@NOON
def test_each_organisation_keeps_access_entries_for_its_own_period(personas, lone):
    with in_org(personas.org_a):
        RetentionSetting.objects.create(
            organisation=personas.org_a, category="access_log", days=365, changed_by=personas.per
        )
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        for organisation in (personas.org_a, personas.org_b):
            log_action(action="read", actor=personas.alice, organisation=organisation, target=lone)
        log_action(action="login_failed")
    with in_org(personas.org_a):
        assert _due(personas.org_a, "access_log") == (0, 0)
    with in_org(personas.org_b):
        assert _due(personas.org_b, "access_log") == (1, 0)
    _run()
    reads = LogEntry.objects.filter(action__in=["read", "login_failed"])
    assert list(reads.values_list("organisation", flat=True)) == [personas.org_a.pk]


@NOON
def test_expired_one_time_codes_go_a_day_later(db):
    for hours in (1, 30):
        AccessCode.objects.create(
            address_digest="a" * 64,
            code_digest="b" * 64,
            expires_at=timezone.now() - timedelta(hours=hours),
        )
    _run()
    assert AccessCode.objects.count() == 1


@NOON
def test_the_privacy_officer_sees_the_dry_run_without_personal_data(client, personas, lone):
    _end_course(lone, TODAY - timedelta(days=1900))
    client.force_login(personas.per)
    response = client.get(reverse("rights_retention"))
    page = response.content.decode()
    rows = {row["rule"].name: row for row in response.context["rows"]}
    assert rows["ended_courses"]["due"] == 1
    assert "Lone" not in page
    assert "Vi talte" not in page


@NOON
def test_the_privacy_officer_chooses_a_period_within_the_limits(client, personas):
    client.force_login(personas.per)
    fields = {
        "requests_never_matched": 365,
        "ended_courses": 1825,
        "questionnaire_answers": 1095,
        "messages": 365,
        "access_log": 183,
    }
    response = client.post(reverse("rights_retention"), {**fields, "messages": 90})
    assert response.status_code == 302
    with in_org(personas.org_a):
        setting = RetentionSetting.objects.get()
        assert (setting.category, setting.days) == ("messages", 90)
        entry = LogEntry.objects.get(object_type="rights.retentionsetting")
    assert entry.details == {"category": "messages", "earlier_days": 365, "days": 90}


@NOON
def test_a_period_outside_the_limits_is_refused_and_nothing_is_saved(client, personas):
    client.force_login(personas.per)
    response = client.post(
        reverse("rights_retention"),
        {
            "requests_never_matched": 200,
            "ended_courses": 1825,
            "questionnaire_answers": 1095,
            "messages": 90,
            "access_log": 30,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "183" in page
    assert 'value="90"' in page
    with in_org(personas.org_a):
        assert not RetentionSetting.objects.exists()
