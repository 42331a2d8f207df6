import time_machine
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.rights.models import DataRequest, LegalHold, RequestStatus
from brobyg.test import in_org


@time_machine.travel("2026-03-10 10:00 +01:00", tick=False)
def test_the_privacy_officer_finds_the_citizen_and_registers_a_request(client, personas, lone):
    client.force_login(personas.per)
    response = client.get(reverse("rights_request_list"), {"q": "lone"})
    assert "Lone Holm" in response.content.decode()
    search = LogEntry.objects.get(action="search", actor=personas.per)
    assert search.subject_id == str(lone.public_id)
    assert "lone" not in str(search.details)  # the typed search stays out of the log
    response = client.post(
        reverse("rights_request_create", args=[lone.public_id]),
        {"kind": "erasure", "received_on": "2026-03-09", "description": "Slet alt om mig."},
    )
    with in_org(personas.org_a):
        data_request = DataRequest.objects.get()
    assert response.status_code == 302
    assert data_request.deadline.isoformat() == "2026-04-08"
    assert data_request.registered_by == personas.per
    created = LogEntry.objects.get(action="create", object_type="rights.datarequest")
    assert "Slet" not in str(created.details)
    page = client.get(reverse("rights_request_list")).content.decode()
    assert "8. apr. 2026" in page


def test_a_future_day_of_receipt_is_refused(client, personas, lone):
    client.force_login(personas.per)
    with time_machine.travel("2026-03-10 10:00 +01:00", tick=False):
        response = client.post(
            reverse("rights_request_create", args=[lone.public_id]),
            {"kind": "access", "received_on": "2026-03-11"},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"]


def _erasure(personas, lone):
    from brobyg.rights.services import data_request_register

    with in_org(personas.org_a):
        return data_request_register(actor=personas.per, citizen=lone, kind="erasure")


def test_a_legal_hold_stops_the_erasure_on_the_page_until_it_is_lifted(client, personas, lone):
    data_request = _erasure(personas, lone)
    client.force_login(personas.per)
    detail = reverse("rights_request_detail", args=[data_request.public_id])
    client.post(
        reverse("rights_hold_place", args=[data_request.public_id]),
        {"category": "support", "reason": "Journalpligt efter serviceloven"},
    )
    response = client.post(
        reverse("rights_request_decide", args=[data_request.public_id]), {"decision": "erase"}
    )
    page = response.content.decode()
    assert "Nothing was erased" in page or "Intet blev slettet" in page
    with in_org(personas.org_a):
        lone.refresh_from_db()
        hold = LegalHold.objects.get()
    assert lone.name == "Lone Holm"
    assert LogEntry.objects.filter(reason="erasure refused by a legal hold").exists()
    client.post(reverse("rights_hold_lift", args=[hold.public_id]))
    response = client.post(
        reverse("rights_request_decide", args=[data_request.public_id]),
        {"decision": "erase", "note": "Dine oplysninger er slettet."},
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        lone.refresh_from_db()
        data_request.refresh_from_db()
    assert lone.name == "—"
    assert data_request.status == RequestStatus.DONE
    assert "Lone" not in client.get(detail).content.decode()


def test_refusing_needs_a_reason_for_the_citizen(client, personas, lone):
    data_request = _erasure(personas, lone)
    client.force_login(personas.per)
    response = client.post(
        reverse("rights_request_decide", args=[data_request.public_id]), {"decision": "refuse"}
    )
    assert response.status_code == 200
    with in_org(personas.org_a):
        data_request.refresh_from_db()
    assert data_request.status == RequestStatus.OPEN


def test_carl_cannot_reach_organisation_as_requests(client, personas, lone):
    from brobyg.test import make_member, make_user

    data_request = _erasure(personas, lone)
    officer_b = make_user("officer-b@example.org", "Olga Berg")
    make_member(personas.org_b, officer_b, ["privacy_officer"])
    client.force_login(officer_b)
    assert "Lone" not in client.get(reverse("rights_request_list")).content.decode()
    response = client.post(
        reverse("rights_request_decide", args=[data_request.public_id]), {"decision": "erase"}
    )
    assert response.status_code == 404
    with in_org(personas.org_a):
        lone.refresh_from_db()
    assert lone.name == "Lone Holm"
