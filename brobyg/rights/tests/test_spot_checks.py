import time_machine
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.audit.services import log_action
from brobyg.rights.models import SpotCheck, SpotCheckItem
from brobyg.rights.services import SPOT_CHECK_SIZE
from brobyg.test import in_org

MARCH = time_machine.travel("2026-03-15 10:00 +01:00", tick=False)


def _reads(personas, citizen, count, when):
    with time_machine.travel(when, tick=False):
        for _ in range(count):
            log_action(
                action="read",
                actor=personas.alice,
                organisation=personas.org_a,
                target=citizen,
                subject=citizen,
                reason="citizen page",
            )


@MARCH
def test_the_privacy_officer_draws_a_months_sample_and_marks_it(client, personas, lone):
    _reads(personas, lone, 30, "2026-02-10 12:00 +01:00")
    _reads(personas, lone, 5, "2026-03-02 12:00 +01:00")
    client.force_login(personas.per)
    response = client.post(reverse("rights_spot_check_list"), {"month": "2026-02"})
    assert response.status_code == 302
    with in_org(personas.org_a):
        spot_check = SpotCheck.objects.get()
        items = list(spot_check.items.all())
    assert spot_check.population == 30
    assert len(items) == SPOT_CHECK_SIZE
    assert all(item.read_at.month == 2 for item in items)
    page = client.get(reverse("rights_spot_check_detail", args=[spot_check.public_id]))
    assert "Lone Holm" in page.content.decode()
    item = items[0]
    client.post(
        reverse("rights_spot_check_mark", args=[item.public_id]),
        {f"{item.public_id}-justified": "no", f"{item.public_id}-note": "Ikke i forløb."},
    )
    with in_org(personas.org_a):
        item.refresh_from_db()
    assert item.justified is False and item.note == "Ikke i forløb."
    marked = LogEntry.objects.get(object_type="rights.spotcheckitem")
    assert "Ikke" not in str(marked.details)


@MARCH
def test_a_month_is_checked_once_and_only_when_it_has_ended(client, personas, lone):
    client.force_login(personas.per)
    client.post(reverse("rights_spot_check_list"), {"month": "2026-02"})
    again = client.post(reverse("rights_spot_check_list"), {"month": "2026-02"})
    current = client.post(reverse("rights_spot_check_list"), {"month": "2026-03"})
    assert again.status_code == current.status_code == 200
    with in_org(personas.org_a):
        assert SpotCheck.objects.count() == 1


@MARCH
def test_the_sample_outlives_the_reads_in_the_log(client, personas, lone, settings):
    from brobyg.audit.services import purge_expired_access_entries

    _reads(personas, lone, 3, "2026-02-10 12:00 +01:00")
    client.force_login(personas.per)
    client.post(reverse("rights_spot_check_list"), {"month": "2026-02"})
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=False):
        purge_expired_access_entries()
    assert not LogEntry.objects.filter(action="read", reason="citizen page").exists()
    with in_org(personas.org_a):
        assert SpotCheckItem.objects.count() == 3
