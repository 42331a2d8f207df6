import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.intake.models import Status, SupportRequest
from brobyg.rights import registry
from brobyg.rights.models import RequestKind, RequestStatus
from brobyg.rights.services import (
    LegalHoldRefusal,
    citizen_erase,
    data_request_register,
    legal_hold_lift,
    legal_hold_place,
)
from brobyg.support.models import Course, CourseStatus, GoalVersion, Session
from brobyg.test import in_org

CITIZEN = "people.Citizen"


def _models_about_citizens() -> set[str]:
    """Every model of ours with a chain of relations ending at a citizen (a request points to a
    citizen, an event to a request, ...), not counting relations through staff or peers."""
    ours = [model for model in apps.get_models() if model.__module__.startswith("brobyg.")]
    about = {CITIZEN}
    grew = True
    while grew:
        grew = False
        for model in ours:
            label = model._meta.label
            if label in about:
                continue
            targets = {
                field.related_model._meta.label
                for field in model._meta.get_fields()
                if field.is_relation and field.concrete and field.related_model is not None
            }
            if targets & about:
                about.add(label)
                grew = True
    return about


def test_every_model_about_a_citizen_is_covered_by_a_shredder():
    about = _models_about_citizens()
    assert {"intake.RequestEvent", "support.Session", "outcomes.Score"} <= about
    assert not about - registry.covered_models(), "add these models to their app's shredder"


def test_every_shredder_names_only_real_models():
    for label in registry.covered_models():
        apps.get_model(label)


def _erasure_request(personas, citizen):
    with in_org(personas.org_a):
        return data_request_register(actor=personas.per, citizen=citizen, kind=RequestKind.ERASURE)


def test_erasure_removes_what_identifies_the_person_and_keeps_the_counts(personas, lone):
    data_request = _erasure_request(personas, lone)
    with in_org(personas.org_a):
        citizen_erase(actor=personas.per, data_request=data_request)
        lone.refresh_from_db()
        assert (lone.name, lone.phone, lone.email, lone.birth_year) == ("—", "", "", None)
        support_request = SupportRequest.objects.get(citizen=lone)
        assert support_request.own_words == ""
        assert support_request.status == Status.WITHDRAWN
        course = Course.objects.get(citizen=lone)
        assert course.status == CourseStatus.ENDED
        assert not GoalVersion.objects.filter(course=course).exists()
        assert Session.objects.get(course=course).note == ""
        assert Course.objects.filter(programme=personas.programme_a).count() == 1
        data_request.refresh_from_db()
    assert data_request.status == RequestStatus.DONE
    assert data_request.result["shredders"]["support"]["goal_versions_deleted"] == 1


def test_the_erasure_is_logged_without_the_erased_data(personas, lone):
    data_request = _erasure_request(personas, lone)
    with in_org(personas.org_a):
        citizen_erase(actor=personas.per, data_request=data_request)
    entry = LogEntry.objects.get(action="delete", actor=personas.per)
    assert entry.subject_id == str(lone.public_id)
    logged = str(entry.details) + entry.object_label + entry.reason
    for erased in ("Lone", "lone@example.org", "20304050", "søster", "lejligheden"):
        assert erased not in logged
    assert entry.details["shredders"]["people"]["citizen_records_anonymised"] == 1


def test_a_legal_hold_makes_its_shredder_refuse_and_nothing_is_erased(personas, lone):
    data_request = _erasure_request(personas, lone)
    with in_org(personas.org_a):
        hold = legal_hold_place(
            actor=personas.per,
            citizen=lone,
            category="support",
            reason="Journalpligt, serviceloven",
        )
        with pytest.raises(LegalHoldRefusal) as refusal:
            citizen_erase(actor=personas.per, data_request=data_request)
        assert [h.category for h in refusal.value.holds] == ["support"]
        lone.refresh_from_db()
        assert lone.name == "Lone Holm"
        assert SupportRequest.objects.get(citizen=lone).own_words  # intake ran first: undone
        data_request.refresh_from_db()
        assert data_request.status == RequestStatus.OPEN
        legal_hold_lift(actor=personas.per, hold=hold)
        citizen_erase(actor=personas.per, data_request=data_request)
        lone.refresh_from_db()
    assert lone.name == "—"


def test_a_failing_shredder_undoes_the_whole_erasure(personas, lone):
    def fail(*, citizens):
        raise RuntimeError("disk full")

    registry.register_shredder(
        registry.Shredder(name="failing", label="x", models=(), export=dict, erase=fail, order=99)
    )
    data_request = _erasure_request(personas, lone)
    try:
        with in_org(personas.org_a), pytest.raises(RuntimeError):
            citizen_erase(actor=personas.per, data_request=data_request)
    finally:
        registry.unregister_shredder("failing")
    with in_org(personas.org_a):
        lone.refresh_from_db()
        assert lone.name == "Lone Holm"
        assert GoalVersion.objects.filter(course__citizen=lone).exists()
    assert not LogEntry.objects.filter(action="delete").exists()


def test_the_records_merged_into_the_person_are_erased_too(personas, lone):
    from brobyg.people.services import citizen_create, citizens_merge

    with in_org(personas.org_a):
        duplicate = citizen_create(
            actor=personas.alice,
            organisation=personas.org_a,
            data={"name": "Lone H.", "phone": "20304050"},
        )
        citizens_merge(actor=personas.alice, keep=lone, duplicate=duplicate)
        citizen_erase(actor=personas.per, data_request=_erasure_request(personas, lone))
        duplicate.refresh_from_db()
    assert (duplicate.name, duplicate.phone) == ("—", "")


def test_an_answered_request_cannot_be_carried_out_again(personas, lone):
    data_request = _erasure_request(personas, lone)
    with in_org(personas.org_a):
        citizen_erase(actor=personas.per, data_request=data_request)
        with pytest.raises(ValidationError):
            citizen_erase(actor=personas.per, data_request=data_request)


def test_the_deadline_is_30_days_after_the_request_arrived(personas, lone):
    import time_machine

    with time_machine.travel("2026-01-31 10:00 +01:00", tick=False), in_org(personas.org_a):
        data_request = data_request_register(
            actor=personas.per, citizen=lone, kind=RequestKind.ACCESS
        )
    assert data_request.deadline.isoformat() == "2026-03-02"


def test_merging_two_records_moves_requests_holds_and_the_key_to_the_kept_one(personas):
    from brobyg.people.services import citizens_merge
    from brobyg.rights.models import DataRequest, LegalHold, SubjectKey
    from brobyg.rights.services import citizen_correct
    from brobyg.test import make_waiting_request

    first, _token = make_waiting_request(personas.programme_a, name="Lone Holm")
    second, _token = make_waiting_request(personas.programme_a, name="Lone H.", phone="29998877")
    duplicate, keep = first.citizen, second.citizen
    with scope(organisation=personas.org_a.pk):
        citizen_correct(actor=personas.per, citizen=duplicate, data={"name": "Lone Holm Berg"})
        data_request_register(actor=personas.per, citizen=duplicate, kind=RequestKind.ACCESS)
        legal_hold_place(
            actor=personas.per, citizen=duplicate, category="support", reason="Journalpligt."
        )
        citizens_merge(actor=personas.alice, keep=keep, duplicate=duplicate)
        assert DataRequest.objects.get().citizen == keep
        assert LegalHold.objects.get().citizen == keep
        assert SubjectKey.objects.get().citizen == keep
