"""Writes for support, one module per topic; every service is importable from here.

- ``services_courses``: courses, goals, settings
- ``services_sessions``: sessions
- ``services_drop_in``: drop-in counts
- ``services_communities``: communities and follow-ups
- ``services_handovers``: hand-overs between services
- ``services_calendar``: the personal calendar feed
"""

from brobyg.support.models import Course
from brobyg.support.services_calendar import (
    calendar_feed_renew,
    calendar_feed_stop,
)
from brobyg.support.services_common import FOLLOW_UP_MONTHS, MAX_PEERS_PER_COURSE
from brobyg.support.services_communities import (
    community_join,
    community_leave,
    community_save,
    follow_up_record,
)
from brobyg.support.services_courses import (
    course_create,
    course_create_for_match,
    course_end,
    course_nudge,
    course_update,
    goals_update,
    settings_update,
)
from brobyg.support.services_drop_in import drop_in_record
from brobyg.support.services_handovers import (
    handover_accept,
    handover_decline,
    handover_propose,
    handover_record_consent,
    handover_withdraw,
    sharing_stands,
)
from brobyg.support.services_sessions import (
    session_cancel,
    session_log,
    session_plan,
)

__all__ = [
    "FOLLOW_UP_MONTHS",
    "MAX_PEERS_PER_COURSE",
    "calendar_feed_renew",
    "calendar_feed_stop",
    "community_join",
    "community_leave",
    "community_save",
    "course_create",
    "course_create_for_match",
    "course_end",
    "course_nudge",
    "course_update",
    "drop_in_record",
    "follow_up_record",
    "goals_update",
    "handover_accept",
    "handover_decline",
    "handover_propose",
    "handover_record_consent",
    "handover_withdraw",
    "move_for_merge",
    "session_cancel",
    "session_log",
    "session_plan",
    "settings_update",
    "sharing_stands",
]


# Merging citizen records


def move_for_merge(*, actor, keep, duplicate) -> dict:
    moved = Course.objects.filter(citizen=duplicate).update(citizen=keep)
    return {"courses": moved}
