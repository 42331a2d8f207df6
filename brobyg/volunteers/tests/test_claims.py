"""Hours and expenses: a claim returned with a note and sent again, receipts checked by their
content and shown only to the volunteer and the coordinators, the bookkeeper's export, the
yearly statement, hours counted from sessions and groups, and a list whose queries do not grow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from brobyg.groups.tests.helpers import make_group
from brobyg.lib.pagination import PAGE_SIZE
from brobyg.support.models import Session
from brobyg.test import (
    assert_queries_do_not_grow,
    in_org,
    make_course,
    make_member,
    make_peer,
    make_user,
)
from brobyg.volunteers import selectors, services_claims
from brobyg.volunteers.models import Claim, HoursEntry
from brobyg.volunteers.tests.matrix import PNG

TODAY = "2026-03-18 12:00 +01:00"


@pytest.fixture
def rate(personas):
    with scope(organisation=personas.org_b.pk):
        return services_claims.mileage_rate_set(
            actor=personas.carl,
            organisation=personas.org_b,
            valid_from=date(2026, 1, 1),
            rate_per_km=Decimal("3.81"),
        )


def receipt(content=PNG, name="kvittering.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def claim_data(**changes):
    return {
        "claim-kind": "cafe",
        "claim-day": "2026-03-10",
        "claim-description": "Kaffe med en borger på biblioteket",
        "claim-amount": "62",
        "claim-km": "",
        **changes,
    }


@time_machine.travel(TODAY, tick=False)
def test_a_returned_claim_is_corrected_and_sent_again(client, personas, vera_peer, rate):
    client.force_login(personas.vera)
    response = client.post(reverse("volunteers_mine"), {**claim_data(), "claim-receipt": receipt()})
    assert response.status_code == 302
    client.post(
        reverse("volunteers_mine"),
        claim_data(**{"claim-kind": "transport", "claim-km": "12", "claim-amount": ""}),
    )
    with in_org(personas.org_b):
        cafe, transport = Claim.objects.order_by("pk")
    assert transport.amount == Decimal("45.72")  # 12 km at 3.81

    client.force_login(personas.carl)
    page = client.get(reverse("volunteers_claims")).content.decode()
    assert "Kaffe med en borger på biblioteket" in page
    response = client.post(
        reverse("volunteers_claim_decide", args=[cafe.public_id]), {"decision": "return"}
    )
    with in_org(personas.org_b):
        cafe.refresh_from_db()
    assert cafe.status == "submitted"  # a return needs a note
    client.post(
        reverse("volunteers_claim_decide", args=[cafe.public_id]),
        {"decision": "return", "note": "Beløbet på kvitteringen er 52 kr."},
    )
    client.post(
        reverse("volunteers_claim_decide", args=[transport.public_id]), {"decision": "approve"}
    )

    client.force_login(personas.vera)
    page = client.get(reverse("volunteers_mine") + "?month=2026-03").content.decode()
    assert "Beløbet på kvitteringen er 52 kr." in page
    response = client.post(
        reverse("volunteers_claim_edit", args=[cafe.public_id]),
        claim_data(**{"claim-amount": "52"}),
    )
    assert response.status_code == 302
    with in_org(personas.org_b):
        cafe.refresh_from_db()
    assert (cafe.status, cafe.amount, cafe.times_submitted) == ("submitted", Decimal("52"), 2)
    assert cafe.has_receipt  # the first receipt is kept

    client.force_login(personas.carl)
    client.post(reverse("volunteers_claim_decide", args=[cafe.public_id]), {"decision": "approve"})
    export = client.get(reverse("volunteers_claims_export") + "?month=2026-03&format=csv")
    text = export.content.decode("utf-8-sig")
    assert "Vera Madsen" in text and "52.00" in text and "45.72" in text
    xlsx = client.get(reverse("volunteers_claims_export") + "?month=2026-03&format=xlsx")
    assert xlsx.content[:2] == b"PK"
    statement = client.get(reverse("volunteers_statement", args=[vera_peer.public_id]))
    assert "97,72" in statement.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_receipt_is_checked_by_its_content(client, personas, vera_peer):
    client.force_login(personas.vera)
    fake = receipt(b"MZ this is a program, not a photo", name="kvittering.jpg")
    response = client.post(reverse("volunteers_mine"), {**claim_data(), "claim-receipt": fake})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kvitteringen skal være et foto" in page
    assert "Kaffe med en borger på biblioteket" in page
    big = receipt(PNG + b"0" * services_claims.RECEIPT_MAX_BYTES)
    response = client.post(reverse("volunteers_mine"), {**claim_data(), "claim-receipt": big})
    assert "højst 5 MB" in response.content.decode()
    with in_org(personas.org_b):
        assert not Claim.objects.exists()
    assert services_claims.receipt_type(b"%PDF-1.7\n") == "application/pdf"
    assert services_claims.receipt_type(b"\x00\x00\x00\x18ftypheic") == "image/heic"


@time_machine.travel(TODAY, tick=False)
def test_only_the_volunteer_and_coordinators_see_the_receipt(client, personas, vera_peer):
    with scope(organisation=personas.org_b.pk):
        claim = services_claims.claim_submit(
            actor=personas.vera,
            peer=vera_peer,
            kind="ticket",
            day=date(2026, 3, 2),
            description="Bus",
            amount=Decimal("24"),
            receipt=PNG,
        )
    other = make_user("otto@example.org", "Otto Frivillig")
    make_member(personas.org_b, other, ["peer"])
    make_peer(personas.org_b, other, [personas.programme_b], kind="volunteer")
    own_url = reverse("volunteers_claim_receipt_own", args=[claim.public_id])
    client.force_login(personas.vera)
    response = client.get(own_url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response.content == PNG
    client.force_login(other)
    assert client.get(own_url).status_code == 404
    client.force_login(personas.carl)
    assert client.get(reverse("volunteers_claim_receipt", args=[claim.public_id])).content == PNG
    client.force_login(personas.alice)  # a coordinator of another organisation
    assert (
        client.get(reverse("volunteers_claim_receipt", args=[claim.public_id])).status_code == 404
    )


def test_paid_peers_record_no_expenses(personas, bob_peer):
    with scope(organisation=personas.org_a.pk), pytest.raises(ValidationError):
        services_claims.hours_record(
            actor=personas.bob, peer=bob_peer, day=date(2026, 1, 5), minutes=60, task="Møde"
        )


@time_machine.travel(TODAY, tick=False)
def test_hours_come_from_sessions_groups_and_other_tasks(personas, vera_peer):
    course = make_course(
        personas.programme_b,
        vera_peer,
        actor=personas.carl,
        goals="Komme ud blandt andre.",
        name="Lone Holm",
    )
    with in_org(personas.org_b):
        Session.objects.create(
            organisation=personas.org_b,
            course=course,
            status="held",
            starts_at=timezone.now() - timedelta(days=2),
            duration_minutes=90,
            peer=vera_peer,
        )
    make_group(
        personas,
        facilitators=[vera_peer],
        organisation=personas.org_b,
        programme=personas.programme_b,
        first_session_at=timezone.now() - timedelta(hours=3),
    )
    with scope(organisation=personas.org_b.pk):
        services_claims.hours_record(
            actor=personas.vera, peer=vera_peer, day=date(2026, 3, 3), minutes=45, task="Kursusdag"
        )
        hours = selectors.hours_of(vera_peer, date(2026, 3, 1), date(2026, 4, 1))
    assert (hours["sessions"], hours["groups"], hours["other"]) == (90, 120, 45)
    with in_org(personas.org_b):
        assert HoursEntry.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_claims_list_costs_the_same_however_many_claim(client, personas, vera_peer):
    client.force_login(personas.carl)

    def grow():
        for number in range(3):
            user = make_user(f"frivillig{number}@example.org", f"Frivillig {number}")
            make_member(personas.org_b, user, ["peer"])
            peer = make_peer(personas.org_b, user, [personas.programme_b], kind="volunteer")
            with scope(organisation=personas.org_b.pk):
                services_claims.claim_submit(
                    actor=user,
                    peer=peer,
                    kind="ticket",
                    day=date(2026, 3, 2),
                    description=f"Billet {number}",
                    amount=Decimal("30"),
                    receipt=PNG,
                )

    response = assert_queries_do_not_grow(client, reverse("volunteers_claims"), grow)
    assert "Billet 2" in response.content.decode()


def test_the_yearly_statements_list_pages_the_volunteers(client, personas, vera_peer):
    for number in range(PAGE_SIZE + 1):
        user = make_user(f"frivillig{number:02d}@example.org", f"Frivillig {number:02d}")
        make_peer(personas.org_b, user, [personas.programme_b], kind="volunteer")
    client.force_login(personas.carl)
    first = client.get(reverse("volunteers_claims")).content.decode()
    assert "Frivillig 00" in first and "Vera Madsen" not in first
    assert "?page=2" in first
    second = client.get(reverse("volunteers_claims") + "?page=2").content.decode()
    assert "Vera Madsen" in second and "Frivillig 00" not in second
