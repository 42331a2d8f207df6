import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from django_scopes import ScopeError, scope

from brobyg.audit.models import LogEntry
from brobyg.people import selectors, services
from brobyg.people.models import Citizen, Consent
from brobyg.test import in_org

CPR = "0101901234"


def _citizen(personas, organisation=None, cpr="", **fields):
    data = {"name": "Mette Holm", "phone": "+45 20 30 40 50", **fields}
    with in_org(personas.org_a):
        return services.citizen_create(
            actor=personas.alice, organisation=organisation or personas.org_a, data=data, cpr=cpr
        )


def test_it_stores_the_cpr_number_encrypted_and_shows_it_masked(personas):
    citizen = _citizen(personas, cpr="010190-1234")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cpr_encrypted FROM people_citizen WHERE id = %s", [citizen.pk])
        (stored,) = cursor.fetchone()
    assert CPR not in stored and "1234" not in stored
    assert citizen.cpr_masked == "010190-xxxx"


def test_it_refuses_an_invalid_cpr_number_with_a_danish_message(personas):
    with translation.override("da"), pytest.raises(ValidationError) as error:
        _citizen(personas, cpr="320190-1234")
    assert "cpr" in error.value.message_dict
    assert "CPR-nummer" in error.value.message_dict["cpr"][0]
    with in_org(personas.org_a):
        assert not Citizen.objects.exists()


def test_it_needs_a_phone_number_or_an_email_address(personas):
    with pytest.raises(ValidationError):
        _citizen(personas, phone="")
    assert _citizen(personas, phone="", email="mette@example.org").email == "mette@example.org"


def test_it_logs_creation_and_changes_without_the_values(personas):
    citizen = _citizen(personas, cpr=CPR)
    with in_org(personas.org_a):
        services.citizen_update(
            actor=personas.alice, citizen=citizen, data={"municipality": "Rudersdal"}, cpr=""
        )
    update = LogEntry.objects.get(action="update", subject_id=str(citizen.public_id))
    assert update.details == {"fields": ["municipality", "cpr"]}
    assert update.subject_type == "citizen"
    assert "Mette" not in str(list(LogEntry.objects.values_list("details", "object_label")))
    citizen.refresh_from_db()
    assert not citizen.has_cpr


def test_it_keeps_citizens_inside_their_organisation(personas):
    citizen = _citizen(personas)
    with pytest.raises(ScopeError):
        Citizen.objects.count()
    with scope(organisation=personas.org_b.pk):
        assert not Citizen.objects.filter(pk=citizen.pk).exists()
    with scope(organisation=personas.org_a.pk):
        assert Citizen.objects.get(pk=citizen.pk) == citizen


def test_it_finds_possible_duplicates_by_phone_email_or_cpr(personas):
    first = _citizen(personas, cpr=CPR, email="mette@example.org")
    same_phone = _citizen(personas, name="M. Holm")
    same_cpr = _citizen(personas, name="Mette H.", phone="11111111", cpr="010190-1234")
    same_email = _citizen(personas, name="Mette", phone="", email="METTE@example.org")
    other_org = _citizen(personas, organisation=personas.org_b)
    unrelated = _citizen(personas, name="Ole", phone="99999999")
    with scope(organisation=personas.org_a.pk):
        found = set(selectors.possible_duplicates(first))
    assert found == {same_phone, same_cpr, same_email}
    assert other_org not in found and unrelated not in found


def test_a_withdrawal_takes_effect_at_once_and_history_is_kept(personas):
    citizen = _citizen(personas)
    with scope(organisation=personas.org_a.pk):
        services.consent_record(
            actor=None, citizen=citizen, purpose="evaluation", given=True, method="self_referral"
        )
        assert selectors.has_consent(citizen, "evaluation")
        services.consent_record(
            actor=personas.alice, citizen=citizen, purpose="evaluation", given=False, method="phone"
        )
        assert not selectors.has_consent(citizen, "evaluation")
        history = list(selectors.consent_history(citizen))
    assert [(c.given, c.method, c.recorded_by) for c in history] == [
        (True, "self_referral", None),
        (False, "phone", personas.alice),
    ]
    assert LogEntry.objects.filter(subject_id=str(citizen.public_id), action="create").count() == 3


def test_consent_to_share_names_the_organisation(personas):
    citizen = _citizen(personas)
    with scope(organisation=personas.org_a.pk):
        with pytest.raises(ValidationError):
            services.consent_record(
                actor=personas.alice,
                citizen=citizen,
                purpose="share_with_organisation",
                given=True,
                method="in_person",
            )
        services.consent_record(
            actor=personas.alice,
            citizen=citizen,
            purpose="share_with_organisation",
            shared_with=personas.org_b,
            given=True,
            method="in_person",
        )
        assert selectors.has_consent(citizen, "share_with_organisation", shared_with=personas.org_b)
        assert not selectors.has_consent(citizen, "share_with_organisation")


def test_consent_records_are_never_changed_or_deleted(personas):
    citizen = _citizen(personas)
    with scope(organisation=personas.org_a.pk):
        consent = services.consent_record(
            actor=None, citizen=citizen, purpose="support", given=True, method="self_referral"
        )
        with pytest.raises(ValidationError):
            consent.save()
        with pytest.raises(ValidationError):
            consent.delete()
        with pytest.raises(ValidationError):
            Consent.objects.filter(pk=consent.pk).update(given=False)
        with pytest.raises(ValidationError):
            Consent.objects.filter(pk=consent.pk).delete()
