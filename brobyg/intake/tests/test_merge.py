"""Merging two records of the same person: confirmation, nothing lost, atomic, history kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.intake.models import EventKind, RequestEvent, SupportRequest
from brobyg.people import extensions as people_extensions
from brobyg.people import selectors as people_selectors
from brobyg.people import services as people_services
from brobyg.people.models import Citizen, Consent
from brobyg.test import in_org, make_programme, make_request


@pytest.fixture
def pair(personas):
    """Two records of Mette: the first with one request, the second with two and a withdrawal."""
    keep_request, _token = make_request(
        personas.programme_a, name="Mette Holm", email="mette@example.org"
    )
    other_programme = make_programme(personas.org_a, "Recovery-mentorer")
    duplicate_request, _token = make_request(personas.programme_a, name="M. Holm")
    second, _token = make_request(other_programme, name="Mette", phone="99999999")
    duplicate = duplicate_request.citizen
    with in_org(personas.org_a):
        # A second request of the duplicate's, in another programme.
        SupportRequest.objects.filter(pk=second.pk).update(citizen=duplicate)
        people_services.consent_record(
            actor=personas.alice, citizen=duplicate, purpose="support", given=False, method="phone"
        )
    return keep_request.citizen, duplicate


def _merge_url(citizen):
    return reverse("intake_citizen_merge", kwargs={"public_id": citizen.public_id})


def _snapshot(*citizens):
    with scopes_disabled():
        return {
            "consents": sorted(
                Consent.objects.filter(citizen__in=citizens).values_list(
                    "pk", "purpose", "given", "method", "recorded_at", "recorded_by"
                )
            ),
            "requests": sorted(
                SupportRequest.objects.filter(citizen__in=citizens).values_list("pk", "status")
            ),
            "events": sorted(
                RequestEvent.objects.filter(support_request__citizen__in=citizens).values_list(
                    "pk", "kind", "at"
                )
            ),
        }


def test_it_shows_both_records_side_by_side_before_merging(client, personas, pair):
    keep, duplicate = pair
    client.force_login(personas.alice)
    response = client.post(_merge_url(keep), {"duplicate": duplicate.public_id})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mette Holm" in page and "M. Holm" in page and "mette@example.org" in page
    assert [choice["request_count"] for choice in response.context["records"]] == [1, 2]
    with in_org(personas.org_a):
        assert Citizen.objects.get(pk=duplicate.pk).merged_into is None
    reads = LogEntry.objects.filter(actor=personas.alice, action="read")
    assert {entry.subject_id for entry in reads} == {str(keep.public_id), str(duplicate.public_id)}


def test_it_moves_requests_and_consent_history_and_loses_nothing(client, personas, pair):
    keep, duplicate = pair
    before = _snapshot(keep, duplicate)
    client.force_login(personas.alice)
    response = client.post(
        _merge_url(keep), {"duplicate": duplicate.public_id, "keep": "this", "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("intake_citizen_detail", args=[keep.public_id])
    after = _snapshot(keep)
    assert after["consents"] == before["consents"]
    assert after["requests"] == before["requests"]
    merged_events = [event for event in after["events"] if event[1] == EventKind.MERGED]
    assert len(merged_events) == 2
    assert sorted(set(after["events"]) - set(merged_events)) == before["events"]
    with in_org(personas.org_a):
        stored = Citizen.objects.get(pk=duplicate.pk)
        assert stored.merged_into_id == keep.pk
        assert (stored.name, stored.phone) == ("M. Holm", duplicate.phone)
        assert not Consent.objects.filter(citizen=duplicate).exists()
        assert set(
            RequestEvent.objects.filter(kind=EventKind.MERGED).values_list("actor", flat=True)
        ) == {personas.alice.pk}
    entry = LogEntry.objects.get(action="update", subject_id=str(keep.public_id))
    assert entry.details["merge"] == {
        "keep": str(keep.public_id),
        "duplicate": str(duplicate.public_id),
    }
    assert entry.details["moved"]["consents"] == 2
    assert len(entry.details["moved"]["support_requests"]) == 2


def test_it_keeps_the_other_record_when_chosen(client, personas, pair):
    keep, duplicate = pair
    client.force_login(personas.alice)
    response = client.post(
        _merge_url(keep), {"duplicate": duplicate.public_id, "keep": "other", "confirm": "1"}
    )
    assert response["Location"] == reverse("intake_citizen_detail", args=[duplicate.public_id])
    with in_org(personas.org_a):
        assert Citizen.objects.get(pk=keep.pk).merged_into_id == duplicate.pk
        assert SupportRequest.objects.filter(citizen=duplicate).count() == 3


def test_it_asks_which_record_to_keep(client, personas, pair):
    keep, duplicate = pair
    client.force_login(personas.alice)
    response = client.post(_merge_url(keep), {"duplicate": duplicate.public_id, "confirm": "1"})
    assert response.status_code == 200
    assert "keep" in response.context["form"].errors
    with in_org(personas.org_a):
        assert Citizen.objects.get(pk=duplicate.pk).merged_into is None


def test_it_undoes_everything_when_a_step_fails(personas, pair, monkeypatch):
    keep, duplicate = pair
    before = _snapshot(keep, duplicate)
    entries = LogEntry.objects.count()

    def fail(**kwargs):
        raise RuntimeError("a later step failed")

    monkeypatch.setitem(people_extensions._MERGE_STEPS, "failing", fail)
    with scope(organisation=personas.org_a.pk), pytest.raises(RuntimeError):
        people_services.citizens_merge(actor=personas.alice, keep=keep, duplicate=duplicate)
    assert _snapshot(keep, duplicate) == before
    with in_org(personas.org_a):
        assert SupportRequest.objects.filter(citizen=duplicate).count() == 2
        assert Consent.objects.filter(citizen=duplicate).count() == 2
        assert Citizen.objects.get(pk=duplicate.pk).merged_into is None
    assert LogEntry.objects.count() == entries


def test_it_refuses_the_same_record_another_organisation_or_a_merged_one(personas, pair):
    keep, duplicate = pair
    foreign, _token = make_request(personas.programme_b)
    with in_org(personas.org_a):
        for other in (keep, foreign.citizen):
            with pytest.raises(ValidationError):
                people_services.citizens_merge(actor=personas.alice, keep=keep, duplicate=other)
        people_services.citizens_merge(actor=personas.alice, keep=keep, duplicate=duplicate)
        with pytest.raises(ValidationError):
            people_services.citizens_merge(actor=personas.alice, keep=duplicate, duplicate=keep)


def test_it_shows_a_refusal_on_the_confirmation_page(client, personas, pair):
    keep, duplicate = pair
    third, _token = make_request(personas.programme_a, name="Mette")
    with in_org(personas.org_a):
        people_services.citizens_merge(actor=personas.alice, keep=duplicate, duplicate=keep)
    client.force_login(personas.alice)
    response = client.post(
        _merge_url(keep), {"duplicate": third.citizen.public_id, "keep": "this", "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    with in_org(personas.org_a):
        assert Citizen.objects.get(pk=third.citizen_id).merged_into is None


def test_it_sends_an_empty_or_unknown_choice_back_to_the_citizen_page(client, personas, pair):
    keep, _duplicate = pair
    foreign, _token = make_request(personas.programme_b)
    client.force_login(personas.alice)
    citizen_page = reverse("intake_citizen_detail", args=[keep.public_id])
    assert client.post(_merge_url(keep))["Location"] == citizen_page
    response = client.post(_merge_url(keep), {"duplicate": foreign.citizen.public_id})
    assert response["Location"] == citizen_page
    response = client.post(_merge_url(keep), {"duplicate": keep.public_id})
    assert response["Location"] == citizen_page


def test_it_leaves_merged_records_out_of_duplicate_detection(personas, pair):
    keep, duplicate = pair
    with scope(organisation=personas.org_a.pk):
        assert list(people_selectors.possible_duplicates(keep)) == [duplicate]
        people_services.citizens_merge(actor=personas.alice, keep=keep, duplicate=duplicate)
        assert not people_selectors.possible_duplicates(keep).exists()
        assert people_selectors.possible_duplicate_ids([keep]) == set()


def test_it_points_earlier_merges_at_the_record_kept(personas, pair):
    keep, duplicate = pair
    earlier, _token = make_request(personas.programme_a, name="Mette H.")
    with scope(organisation=personas.org_a.pk):
        people_services.citizens_merge(
            actor=personas.alice, keep=duplicate, duplicate=earlier.citizen
        )
        people_services.citizens_merge(actor=personas.alice, keep=keep, duplicate=duplicate)
        assert Citizen.objects.get(pk=earlier.citizen_id).merged_into_id == keep.pk
        assert SupportRequest.objects.filter(citizen=keep).count() == 4


def test_it_still_never_changes_consent_records_otherwise(personas, pair):
    keep, _duplicate = pair
    with scope(organisation=personas.org_a.pk), pytest.raises(ValidationError):
        Consent.objects.filter(citizen=keep).update(given=False)


def test_it_refuses_to_merge_records_with_different_cpr_numbers(personas):
    with in_org(personas.org_a):
        mother, son = (
            people_services.citizen_create(
                actor=personas.alice,
                organisation=personas.org_a,
                data={"name": name, "phone": "20304050"},
                cpr=cpr,
            )
            for name, cpr in (("Mor", "0101601234"), ("Søn", "0101951234"))
        )
        with pytest.raises(ValidationError):
            people_services.citizens_merge(actor=personas.alice, keep=mother, duplicate=son)
        assert Citizen.objects.get(pk=son.pk).merged_into is None


def test_it_ends_the_moved_requests_personal_links(client, personas, pair):
    from brobyg.lib.links import new_link_token, token_digest

    keep, duplicate = pair
    with in_org(personas.org_a):
        moved = SupportRequest.objects.filter(citizen=duplicate).first()
        kept = SupportRequest.objects.get(citizen=keep)
    tokens = {}
    for support_request in (moved, kept):
        tokens[support_request.pk] = new_link_token()
        with in_org(personas.org_a):
            SupportRequest.objects.filter(pk=support_request.pk).update(
                token_digest=token_digest(tokens[support_request.pk])
            )

    def personal_page(support_request):
        return reverse("intake_personal_page", kwargs={"token": tokens[support_request.pk]})

    assert client.get(personal_page(moved)).status_code == 200
    client.force_login(personas.alice)
    response = client.post(
        _merge_url(keep), {"duplicate": duplicate.public_id, "keep": "this", "confirm": "1"}
    )
    assert response.status_code == 302
    client.logout()
    # The moved request's link would now show and edit the kept record: it no longer works.
    assert client.get(personal_page(moved)).status_code == 404
    assert client.get(personal_page(kept)).status_code == 200
