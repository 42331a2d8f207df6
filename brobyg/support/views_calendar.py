"""A member's week of appointments, and the personal iCal feed that carries initials only."""

from datetime import date, timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from brobyg.audit.services import log_list_read
from brobyg.lib.days import start_of_day
from brobyg.lib.links import token_digest
from brobyg.lib.views import personal_link_response
from brobyg.orgs.permissions import org_permission_required
from brobyg.support import services
from brobyg.support.extensions import entries_for
from brobyg.support.models import CalendarFeed

FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180


def _week_start(value: str) -> date:
    """Monday of the ISO week ``2026-W48``, or of this week."""
    try:
        year, week = value.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        today = timezone.localdate()
        return today - timedelta(days=today.weekday())


def _iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@org_permission_required("view_calendar")
def week(request):
    monday = _week_start(request.GET.get("week", ""))
    entries = entries_for(
        request.membership, start_of_day(monday), start_of_day(monday + timedelta(days=7))
    )
    log_list_read(
        request=request,
        subjects=[entry.subject for entry in entries if entry.subject is not None],
        object_type="support.session",
        reason=gettext_noop("own calendar"),
        details={"results": len(entries)},
    )
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append(
            {
                "day": day,
                "is_today": day == timezone.localdate(),
                "entries": [e for e in entries if timezone.localtime(e.starts_at).date() == day],
            }
        )
    return render(
        request,
        "support/calendar.html",
        {
            "days": days,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": _iso_week(monday - timedelta(days=7)),
            "next": _iso_week(monday + timedelta(days=7)),
            "this_week": _iso_week(timezone.localdate()),
            "has_feed": CalendarFeed.objects.filter(membership=request.membership).exists(),
            "feed_url": request.session.pop("calendar_feed_url", ""),
        },
    )


@org_permission_required("view_calendar")
@require_POST
def feed(request):
    """Make a new feed address (shown once) or stop the feed."""
    if request.POST.get("action") == "stop":
        services.calendar_feed_stop(
            actor=request.user, membership=request.membership, request=request
        )
        messages.success(
            request, _("The calendar feed is stopped. The old address no longer works.")
        )
    else:
        token = services.calendar_feed_renew(
            actor=request.user, membership=request.membership, request=request
        )
        request.session["calendar_feed_url"] = settings.SITE_URL.rstrip("/") + reverse(
            "support_calendar_ics", args=[token]
        )
        messages.success(
            request,
            _("Your calendar address is below. Copy it now: it is shown only once."),
        )
    return redirect("support_calendar")


def ics(request, token):
    """The feed a phone or calendar program subscribes to: no log-in, the token is the key."""
    with scopes_disabled():
        found = (
            CalendarFeed.objects.filter(token_digest=token_digest(token))
            .select_related("membership__organisation", "membership__user")
            .first()
        )
    membership = found.membership if found else None
    if membership is None or not membership.is_active or not membership.user.is_active:
        raise Http404
    now = timezone.now()
    with scope(organisation=membership.organisation):
        entries = entries_for(
            membership, now - timedelta(days=FEED_DAYS_BACK), now + timedelta(days=FEED_DAYS_AHEAD)
        )
        CalendarFeed.objects.filter(pk=found.pk).update(last_fetched_at=now)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Brobyg//peer support//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Brobyg")
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@brobyg")
        event.add("dtstamp", now)
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.ends_at)
        event.add("summary", entry.feed_title)
        if entry.url:
            event.add("url", settings.SITE_URL.rstrip("/") + entry.url)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return personal_link_response(response)
