"""The groups' calendar source: the sessions a member facilitates (registered in apps.py).

The feed title names the group's title and the session number only: no participant, and no
place (a place of treatment must not leave the app).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from brobyg.groups import selectors
from brobyg.support.calendar import CalendarEntry


def group_sessions_source(membership, start, end) -> list[CalendarEntry]:
    sessions = selectors.sessions_facilitated(membership.user, membership.organisation, start, end)
    return [
        CalendarEntry(
            uid=f"group-session-{session.public_id}",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            title=_("Group: %(title)s, session %(number)d")
            % {"title": session.group.title, "number": session.number},
            feed_title=_("Group: %(title)s, session %(number)d")
            % {"title": session.group.title, "number": session.number},
            location=session.place_label,
            url=reverse("groups_detail", args=[session.group.public_id]),
            kind="group_session",
        )
        for session in sessions
    ]
