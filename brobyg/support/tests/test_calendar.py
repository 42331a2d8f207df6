"""The week view and the iCal feed, which carries initials only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from brobyg.support import services
from brobyg.test import in_org


def test_the_feed_holds_initials_only_and_stops_when_renewed(client, personas, course):
    starts_at = timezone.now() + timedelta(days=1)
    with in_org(personas.org_a):
        services.session_plan(
            actor=personas.bob,
            course=course,
            data={"starts_at": starts_at, "place": "Café Nord"},
        )
        bob_membership = personas.bob.memberships.get()
        token = services.calendar_feed_renew(actor=personas.bob, membership=bob_membership)
    feed = client.get(reverse("support_calendar_ics", args=[token]))
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "L.H." in body
    assert "Lone" not in body and "Holm" not in body and "Café Nord" not in body

    client.force_login(personas.bob)
    # The local day of the meeting, not "tomorrow": 24 hours on can be two days on across a
    # change to summer time.
    year, week_number, _day = timezone.localdate(starts_at).isocalendar()
    week = client.get(reverse("support_calendar"), {"week": f"{year}-W{week_number:02d}"})
    week = week.content.decode()
    assert "Lone Holm" in week

    client.post(reverse("support_calendar_feed"), {"action": "renew"})
    assert client.get(reverse("support_calendar_ics", args=[token])).status_code == 404
