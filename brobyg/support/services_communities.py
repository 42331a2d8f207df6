"""Writes for the register of local communities, a citizen's links to them and follow-ups."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.support.models import (
    CommunityLink,
    Course,
    FollowUp,
    FollowUpKind,
)
from brobyg.support.services_common import (
    log,
    plan_follow_ups,
)


@transaction.atomic
def community_save(*, actor, community, request=None):
    was_new = community.pk is None
    community.full_clean()
    community.save()
    log(Action.CREATE if was_new else Action.UPDATE, actor, community, None, {}, request)
    return community


@transaction.atomic
def community_join(*, actor, course: Course, community, joined_on: date, request=None):
    if community.organisation_id != course.organisation_id:
        raise ValidationError({"community": _("Choose a community from the register.")})
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("Give today's date or an earlier one.")})
    if course.communities.filter(community=community, left_on__isnull=True).exists():
        raise ValidationError({"community": _("The citizen is already part of this community.")})
    link = CommunityLink(
        organisation=course.organisation,
        course=course,
        community=community,
        joined_on=joined_on,
        recorded_by=actor,
    )
    link.full_clean()
    link.save()
    plan_follow_ups(
        course.organisation, joined_on, kind=FollowUpKind.COMMUNITY, community_link=link
    )
    log(Action.CREATE, actor, link, course.citizen, {"community": community.name}, request)
    return link


@transaction.atomic
def community_leave(*, actor, link: CommunityLink, left_on: date, request=None):
    if link.left_on is not None:
        raise ValidationError(_("This has already been recorded as left."))
    if left_on < link.joined_on or left_on > timezone.localdate():
        raise ValidationError({"left_on": _("Give a date between joining and today.")})
    link.left_on = left_on
    link.save(update_fields=["left_on"])
    log(Action.UPDATE, actor, link, link.course.citizen, {"left": True}, request)
    return link


@transaction.atomic
def follow_up_record(
    *, actor, follow_up: FollowUp, started: bool, still_connected: bool, request=None
):
    if follow_up.due_on > timezone.localdate() + timedelta(days=14):
        raise ValidationError(_("This follow-up is not due yet."))
    if still_connected and not started:
        raise ValidationError(
            {"still_connected": _("A citizen who did not start cannot still be connected.")}
        )
    follow_up.started = started
    follow_up.still_connected = still_connected
    follow_up.recorded_by = actor
    follow_up.recorded_at = timezone.now()
    follow_up.save()
    subject = (
        follow_up.handover.to_course.citizen
        if follow_up.handover_id and follow_up.handover.to_course_id
        else follow_up.community_link.course.citizen
        if follow_up.community_link_id
        else None
    )
    log(
        Action.UPDATE,
        actor,
        follow_up,
        subject,
        {"started": started, "still_connected": still_connected},
        request,
    )
    return follow_up
