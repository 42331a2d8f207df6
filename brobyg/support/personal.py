"""The course's stages on the citizen's personal page (intake's ``register_personal_stage``):
the course with its planned meetings, a hand-over naming the receiving organisation and the
bridging meeting, and the end. What the citizen reads: their peer's first name, dates, places;
never notes."""

from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.intake.extensions import PersonalStage
from brobyg.lib.templatetags.dates import short_date
from brobyg.support.models import (
    Course,
    CourseStatus,
    Handover,
    HandoverStatus,
    SessionStatus,
)

SHOWN_HANDOVERS = (HandoverStatus.PROPOSED, HandoverStatus.CONSENTED, HandoverStatus.ACCEPTED)


def _course(support_request):
    return (
        Course.objects.filter(support_request=support_request)
        .prefetch_related("peers__user")
        .order_by("-started_on", "-pk")
        .first()
    )


def _first_names(course):
    return ", ".join((peer.user.full_name or "").split(" ")[0] for peer in course.peers.all())


def course_stage(support_request, token) -> PersonalStage | None:
    course = _course(support_request)
    if course is None:
        return None
    meetings = list(
        course.sessions.filter(status=SessionStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .only("starts_at", "place", "kind")[:5]
    )
    names = _first_names(course)
    if course.is_planned:
        explanation = _("Your course with %(names)s starts %(date)s.")
    else:
        explanation = _("Your course with %(names)s began %(date)s.")
    explanation %= {"names": names, "date": short_date(course.started_on)}
    if course.is_live and not meetings:
        explanation += " " + _("Your peer contacts you to agree your next meeting.")
    return PersonalStage(
        rank=30,
        title=_("Your course"),
        explanation=explanation,
        template="support/public/_personal_course.html",
        context={"meetings": meetings if course.is_live else []},
    )


def handover_stage(support_request, token) -> PersonalStage | None:
    course = _course(support_request)
    if course is None:
        return None
    handover = (
        Handover.objects.filter(from_course=course, status__in=SHOWN_HANDOVERS)
        .select_related("receiving_organisation", "receiving_programme")
        .order_by("-proposed_at")
        .first()
    )
    if handover is None:
        return None
    names = {
        "organisation": handover.receiving_organisation.name,
        "programme": handover.receiving_programme.name,
    }
    if handover.status != HandoverStatus.ACCEPTED:
        return PersonalStage(
            rank=40,
            title=_("On the way to %(organisation)s") % names,
            explanation=_(
                'You and your peer have talked about you continuing in "%(programme)s" at '
                "%(organisation)s. They have been asked and will answer soon."
            )
            % names,
        )
    explanation = (
        _(
            '%(organisation)s has said yes: you continue in "%(programme)s" there. You meet your '
            "new peer together with your present peer first."
        )
        % names
    )
    return PersonalStage(
        rank=40,
        title=_("Continuing at %(organisation)s") % names,
        explanation=explanation,
        template="support/public/_personal_handover.html",
        context={"handover": handover},
    )


def end_stage(support_request, token) -> PersonalStage | None:
    course = _course(support_request)
    if course is None or course.status != CourseStatus.ENDED:
        return None
    return PersonalStage(
        rank=50,
        title=_("Your course has ended"),
        explanation=_(
            "Your course ended %(date)s. You are welcome to ask for support again at any time."
        )
        % {"date": short_date(course.ended_on)},
    )
