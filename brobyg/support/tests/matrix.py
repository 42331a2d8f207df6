"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The course these rows point at is Bob's, not the matrix's own peer user's, so a peer gets 404 for
it: a peer sees only their own courses. The hand-over is between two programmes of organisation A,
so organisation B has no side in it. Empty POSTs: a form with required fields comes back with its
errors (200) or, for the small forms on the course page, as a message after a redirect (302).
"""

from datetime import timedelta

from django.utils import timezone

from brobyg.test import in_org, make_peer, make_programme

# fmt: off
ROWS = [
    ("support_course_list", "GET", None,
     "own:     403 200 200 403 403 403 403 403",
     "foreign: 403 200 200 403 403 403 403 403"),
    ("support_course_create", "GET", "citizen",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("support_course_detail", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_course_edit", "GET", "course",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("support_course_goals", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_course_end", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_course_nudge", "POST", "course",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("support_session_log", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_session_plan", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_session_log_planned", "GET", "session",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_session_cancel", "POST", "session",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_community_join", "POST", "course",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_community_left", "POST", "community_link",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_programme_settings", "GET", "programme",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("support_handover_propose", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_handover_list", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("support_handover_detail", "GET", "handover",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_handover_consent", "GET", "handover",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_handover_answer", "POST", "handover",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("support_handover_withdraw", "POST", "handover",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_follow_up_list", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("support_follow_up_record", "GET", "follow_up",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("support_community_list", "GET", None,
     "own:     403 200 200 200 403 403 403 403",
     "foreign: 403 200 200 200 403 403 403 403"),
    ("support_community_create", "GET", None,
     "own:     403 200 200 403 403 403 403 403",
     "foreign: 403 200 200 403 403 403 403 403"),
    ("support_community_edit", "GET", "community",
     "own:     403 200 200 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("support_drop_in", "GET", None,
     "own:     403 200 200 403 403 403 403 403",
     "foreign: 403 200 200 403 403 403 403 403"),
    ("support_calendar", "GET", None,
     "own:     403 200 200 403 403 403 403 403",
     "foreign: 403 200 200 403 403 403 403 403"),
    ("support_calendar_feed", "POST", None,
     "own:     403 302 302 403 403 403 403 403",
     "foreign: 403 302 302 403 403 403 403 403"),
    # The feed is opened by a calendar program: the secret address is the key, for anyone.
    ("support_calendar_ics", "GET", "calendar_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
]
# fmt: on


def make_targets(personas, targets):
    from brobyg.support import services
    from brobyg.support.models import Community, FollowUp, Session, SessionStatus

    # matching's targets already made Bob's peer profile
    peer = targets.get("peer") or make_peer(personas.org_a, personas.bob, [personas.programme_a])
    other_programme = make_programme(personas.org_a, "Frivillig peer-støtte")
    with in_org(personas.org_a):
        course = services.course_create(
            actor=personas.alice,
            citizen=targets["citizen"],
            programme=personas.programme_a,
            peers=[peer],
            data={},
            goals="Komme ud blandt andre igen.",
        )
        session = Session.objects.create(
            organisation=personas.org_a,
            course=course,
            status=SessionStatus.PLANNED,
            starts_at=timezone.now() + timedelta(days=2),
        )
        community = Community.objects.create(
            organisation=personas.org_a, name="Løbeklubben", kind="sport"
        )
        link = services.community_join(
            actor=personas.alice, course=course, community=community, joined_on=course.started_on
        )
        handover = services.handover_propose(
            actor=personas.alice,
            course=course,
            receiving_programme=other_programme,
            reason="Klar til frivillig støtte.",
        )
        follow_up = FollowUp.objects.filter(community_link=link).first()
        token = services.calendar_feed_renew(
            actor=personas.alice, membership=personas.alice_membership
        )
    return {
        "course": course,
        "session": session,
        "community": community,
        "community_link": link,
        "handover": handover,
        "follow_up": follow_up,
        "calendar_token": token,
    }
