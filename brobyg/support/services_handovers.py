"""Writes for hand-overs between services (brobygning): propose, consent, accept, decline,
withdraw."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.audit.models import Action
from brobyg.orgs.extensions import announce
from brobyg.people import services as people_services
from brobyg.people.models import Citizen, ConsentMethod, ConsentPurpose, Peer
from brobyg.people.selectors import has_consent
from brobyg.support import notifications
from brobyg.support.models import (
    Course,
    FollowUpKind,
    Handover,
    HandoverStatus,
    Session,
    SessionStatus,
    SharedField,
)
from brobyg.support.services_common import (
    add_months,
    check_codes,
    log,
    plan_follow_ups,
)
from brobyg.support.services_courses import course_create


@transaction.atomic
def handover_propose(
    *, actor, course: Course, receiving_programme, reason: str, note: str = "", request=None
):
    if not course.is_live:
        raise ValidationError(_("An ended course cannot be handed over."))
    if course.handovers_out.filter(
        status__in=[HandoverStatus.PROPOSED, HandoverStatus.CONSENTED]
    ).exists():
        raise ValidationError(_("This course already has a hand-over under way."))
    if receiving_programme.pk == course.programme_id:
        raise ValidationError(
            {"receiving_programme": _("Choose another programme than the course's own.")}
        )
    if not receiving_programme.is_active:
        raise ValidationError(
            {"receiving_programme": _("This programme no longer takes citizens.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why a hand-over would help the citizen.")})
    handover = Handover(
        organisation=course.organisation,
        from_course=course,
        receiving_organisation=receiving_programme.organisation,
        receiving_programme=receiving_programme,
        reason=reason.strip(),
        note=note.strip(),
        proposed_by=actor,
    )
    handover.full_clean()
    handover.save()
    log(
        Action.CREATE,
        actor,
        handover,
        course.citizen,
        {"receiving_organisation": str(receiving_programme.organisation.public_id)},
        request,
    )
    transaction.on_commit(lambda: notifications.tell_receiving_coordinators(handover))
    return handover


@transaction.atomic
def handover_record_consent(*, actor, handover: Handover, fields, method: str, request=None):
    """The citizen's consent to exactly ``fields`` being shared with the receiving side. Sharing
    with another organisation is also recorded in the citizen's consent history, naming it, so
    that a withdrawal there hides the shared fields at once."""
    handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    fields = check_codes(fields, SharedField.values, "fields")
    if method not in ConsentMethod.values:
        raise ValidationError({"method": _("Choose how the consent was obtained.")})
    citizen = handover.from_course.citizen
    if handover.receiving_organisation_id != handover.organisation_id:
        people_services.consent_record(
            actor=actor,
            citizen=citizen,
            purpose=ConsentPurpose.SHARE_WITH_ORGANISATION,
            given=bool(fields),
            method=method,
            shared_with=handover.receiving_organisation,
            request=request,
        )
    handover.shared_fields = fields
    handover.consent_method = method
    handover.consent_recorded_at = timezone.now()
    handover.consent_recorded_by = actor
    handover.status = HandoverStatus.CONSENTED
    handover.save()
    log(
        Action.UPDATE,
        actor,
        handover,
        citizen,
        {"consented_fields": fields, "method": method},
        request,
    )
    return handover


def sharing_stands(handover: Handover) -> bool:
    """Whether the citizen's consent to share with the receiving organisation still stands."""
    if not handover.shared_fields:
        return False
    if handover.receiving_organisation_id == handover.organisation_id:
        return True
    with scopes_disabled():
        return has_consent(
            handover.from_course.citizen,
            ConsentPurpose.SHARE_WITH_ORGANISATION,
            shared_with=handover.receiving_organisation,
        )


@transaction.atomic
def handover_accept(
    *,
    actor,
    handover: Handover,
    peer: Peer,
    meeting_at: datetime,
    meeting_place: str = "",
    request=None,
) -> Course:
    """The receiving side accepts: it gets its own course with its own peer (and, from another
    organisation, a citizen record holding only the consented fields), the warm hand-over
    meeting is planned in both courses, and follow-ups are due after 3 and 6 months."""
    with scopes_disabled():
        handover = (
            Handover.objects.select_for_update(of=("self",))
            .select_related("from_course__citizen", "from_course__programme")
            .get(pk=handover.pk)
        )
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    if (
        peer.organisation_id != handover.receiving_organisation_id
        or not peer.programmes.filter(pk=handover.receiving_programme_id).exists()
    ):
        raise ValidationError({"peer": _("Choose a peer of the receiving programme.")})
    if meeting_at <= timezone.now():
        raise ValidationError({"meeting_at": _("The meeting must be in the future.")})
    source = handover.from_course.citizen
    shared = set(handover.shared_fields) if sharing_stands(handover) else set()
    if handover.receiving_organisation_id == handover.organisation_id:
        citizen = source
    else:
        if not {SharedField.NAME, SharedField.CONTACT} <= shared:
            raise ValidationError(
                _(
                    "To start a course here the citizen must have consented to sharing their "
                    "name and contact details. Ask the sending peer to talk with the citizen."
                )
            )
        citizen = people_services.citizen_create(
            actor=actor,
            organisation=handover.receiving_organisation,
            data=_shared_citizen_data(source, shared),
            request=request,
        )
    carried = None
    if SharedField.GOALS in shared:
        with scopes_disabled():
            carried = handover.from_course.goal_versions.select_related("organisation").first()
    course = course_create(
        actor=actor,
        citizen=citizen,
        programme=handover.receiving_programme,
        peers=[peer],
        data=_receiving_course_data(handover, shared, timezone.localdate(meeting_at)),
        goals_carried=carried,
        request=request,
    )
    handover.status = HandoverStatus.ACCEPTED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.to_course = course
    handover.meeting_at = meeting_at
    handover.meeting_place = meeting_place.strip()
    handover.save()
    for side in (handover.from_course, course):
        session = Session(
            organisation=side.organisation,
            course=side,
            status=SessionStatus.PLANNED,
            starts_at=meeting_at,
            duration_minutes=60,
            kind="bridge",
            place=handover.meeting_place,
            recorded_by=actor,
        )
        session.full_clean()
        session.save()
    plan_follow_ups(
        handover.receiving_organisation,
        timezone.localdate(meeting_at),
        kind=FollowUpKind.HANDOVER,
        handover=handover,
    )
    log(
        Action.UPDATE,
        actor,
        handover,
        citizen,
        {"status": "accepted", "course": str(course.public_id)},
        request,
        organisation=handover.receiving_organisation,
    )
    announce(
        "handover.accepted",
        handover,
        organisation=handover.organisation,
        ids={
            "handover": handover.public_id,
            "course": handover.from_course.public_id,
            "citizen": source.public_id,
        },
    )
    transaction.on_commit(lambda: notifications.tell_sending_side(handover))
    transaction.on_commit(lambda: notifications.tell_receiving_peers(course))
    if (
        SharedField.CONTACT in shared
        or handover.receiving_organisation_id == handover.organisation_id
    ):
        transaction.on_commit(lambda: notifications.tell_citizen_of_meeting(handover))
    return course


def _receiving_course_data(handover: Handover, shared: set[str], starts_on) -> dict:
    """The receiving course begins on the meeting's day with a review three months on. What the
    support is about and its form come from the sending course where the citizen consented to
    sharing their goals (or it stays in one organisation); otherwise from the receiving
    programme's own purposes."""
    sending = handover.from_course
    receiving = handover.receiving_programme
    same_organisation = handover.receiving_organisation_id == handover.organisation_id
    data = {"started_on": starts_on, "review_on": add_months(starts_on, 3)}
    if same_organisation or SharedField.GOALS in shared:
        data["purposes"] = list(sending.purposes) or list(receiving.purposes)
        data["form"] = sending.form
    else:
        data["purposes"] = list(receiving.purposes)
    return data


def _shared_citizen_data(source: Citizen, shared: set[str]) -> dict:
    data = {"name": source.name, "phone": source.phone, "email": source.email}
    if SharedField.CONTACT_TIMES in shared:
        data["contact_times"] = source.contact_times
    if SharedField.AGE in shared:
        data["birth_year"] = source.birth_year
    if SharedField.MUNICIPALITY in shared:
        data["municipality"] = source.municipality
    if SharedField.LANGUAGES in shared:
        data["languages"] = list(source.languages)
    return data


@transaction.atomic
def handover_decline(*, actor, handover: Handover, reason: str, request=None) -> Handover:
    with scopes_disabled():
        handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why, so the sending peer can find another way.")})
    handover.status = HandoverStatus.DECLINED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.decline_reason = reason.strip()
    handover.save()
    log(
        Action.UPDATE,
        actor,
        handover,
        None,
        {"status": "declined"},
        request,
        organisation=handover.receiving_organisation,
    )
    transaction.on_commit(lambda: notifications.tell_sending_side(handover))
    return handover


@transaction.atomic
def handover_withdraw(*, actor, handover: Handover, request=None) -> Handover:
    handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    handover.status = HandoverStatus.WITHDRAWN
    handover.save(update_fields=["status"])
    log(
        Action.UPDATE,
        actor,
        handover,
        handover.from_course.citizen,
        {"status": "withdrawn"},
        request,
    )
    return handover
