"""Pages for support courses and their sessions, for the course's peers and coordinators."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.services import log_list_read, log_read
from brobyg.lib.choices import choice_labels
from brobyg.lib.forms import run_form_action
from brobyg.lib.pagination import paginate
from brobyg.orgs.choices import Purpose
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.people import selectors as people_selectors
from brobyg.support import selectors, services
from brobyg.support.forms import (
    CommunityJoinForm,
    CourseCreateForm,
    CourseEditForm,
    EndCourseForm,
    GoalsForm,
    LeftForm,
    PlanForm,
    SessionLogForm,
    SupportSettingsForm,
)
from brobyg.support.models import (
    DEFAULT_INACTIVITY_DAYS,
    ChimeTheme,
    CommunityLink,
    CourseStatus,
    Session,
    SessionStatus,
    SupportSettings,
)

SESSIONS_SHOWN = 10


def get_course(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.courses_visible_to(request.membership).select_related("citizen", "programme"),
        public_id=public_id,
    )


def _form_page(request, *, form, call, template, context, success, then):
    """Show ``form``; on a valid POST run ``call`` and go to ``then`` with ``success``."""
    if request.method == "POST" and run_form_action(form, call):
        messages.success(request, success)
        return redirect(then)
    return render(request, template, {"form": form, **context})


# Courses


@org_permission_required("view_courses")
def course_list(request):
    status = request.GET.get("status", "live")
    quiet_only = request.GET.get("quiet") == "1"
    visible = selectors.courses_visible_to(request.membership)
    courses = visible.exclude(status=CourseStatus.ENDED) if status == "live" else visible
    programme = None
    programme_id = request.GET.get("programme", "")
    programmes = Programme.objects.filter(organisation=request.org).order_by("name")
    if programme_id:
        programme = programmes.filter(public_id=programme_id).first()
    shown = {
        "status": status if status in CourseStatus.values else "",
        "programme": programme,
        "quiet_only": quiet_only,
    }
    page = paginate(
        request,
        selectors.course_list(courses, **shown),
        count=selectors.course_list_count(visible, live=status == "live", **shown),
    )
    rows = selectors.course_rows(page.object_list)
    log_list_read(
        request=request,
        subjects=[course.citizen for course in rows],
        object_type="support.course",
        reason=gettext_noop("list of support courses"),
        details={"results": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "support/course_list.html",
        {
            "courses": rows,
            "page": page,
            "status": status,
            "statuses": [
                ("live", _("Active and paused")),
                *CourseStatus.choices,
                ("all", _("All")),
            ],
            "programmes": programmes,
            "programme": programme,
            "quiet_only": quiet_only,
            "is_coordinator": has_org_permission(request, "manage_courses"),
        },
    )


@org_permission_required("manage_courses")
def course_create(request, public_id):
    citizen = get_for_org_or_404(
        request, people_selectors.citizens_visible_to(request.membership), public_id=public_id
    )
    form = CourseCreateForm(request.POST or None, organisation=request.org)
    created = {}

    def call(data):
        created["course"] = services.course_create(
            actor=request.user,
            citizen=citizen,
            programme=data["programme"],
            peers=data["peers"],
            data={key: data[key] for key in ("started_on", "review_on", "purposes", "form")},
            goals=data["goals"],
            request=request,
        )

    if request.method == "POST" and run_form_action(form, call):
        messages.success(request, _("The course has started."))
        return redirect("support_course_detail", public_id=created["course"].public_id)
    log_read(
        request=request, target=citizen, subject=citizen, reason=gettext_noop("start a course")
    )
    return render(request, "support/course_create.html", {"form": form, "citizen": citizen})


@org_permission_required("view_courses")
def course_detail(request, public_id):
    course = get_course(request, public_id)
    selectors.mark_quiet([course])
    log_read(
        request=request, target=course, subject=course.citizen, reason=gettext_noop("course page")
    )
    show_all = request.GET.get("sessions") == "all"
    sessions = list(selectors.course_sessions(course)[: None if show_all else SESSIONS_SHOWN + 1])
    more = not show_all and len(sessions) > SESSIONS_SHOWN
    sessions = sessions[:SESSIONS_SHOWN] if more else sessions
    for session in sessions:
        session.theme_labels = choice_labels(ChimeTheme.choices, session.chime_themes)
    team_sharing = selectors.team_sharing_allowed(course.citizen)
    peers = list(course.peers.select_related("user"))
    handovers_out = list(
        course.handovers_out.select_related("receiving_organisation", "receiving_programme")
    )
    return render(
        request,
        "support/course_detail.html",
        {
            "course": course,
            "citizen": course.citizen,
            "peers": peers,
            # The note is the peers' own; the team reads only what the citizen shares with it.
            "is_course_peer": any(peer.user_id == request.user.pk for peer in peers),
            "goals": selectors.current_goals(course),
            "goal_history": list(
                course.goal_versions.select_related("recorded_by", "carried_from")[1:]
            ),
            "sessions": sessions,
            "more_sessions": more,
            "session_count": course.sessions.filter(status=SessionStatus.HELD).count(),
            "next_planned": selectors.next_planned(course),
            "purposes": choice_labels(Purpose.choices, course.purposes),
            "team_sharing": team_sharing,
            "communities": list(course.communities.select_related("community")),
            "join_form": CommunityJoinForm(organisation=request.org),
            "handovers_out": handovers_out,
            "can_propose_handover": course.is_live
            and not any(handover.is_open for handover in handovers_out),
            "handover_in": getattr(course, "handover_in", None),
            "is_coordinator": has_org_permission(request, "manage_courses"),
            "can_see_outcomes": has_org_permission(request, "view_outcomes"),
        },
    )


@org_permission_required("manage_courses")
def course_edit(request, public_id):
    course = get_course(request, public_id)
    initial = {
        "peers": list(course.peers.all()),
        "status": course.status,
        "review_on": course.review_on,
        "purposes": course.purposes,
        "form": course.form,
    }
    form = CourseEditForm(request.POST or None, initial=initial, organisation=request.org)

    def call(data):
        peers = data.pop("peers")
        services.course_update(
            actor=request.user, course=course, data=data, peers=peers, request=request
        )

    log_read(
        request=request, target=course, subject=course.citizen, reason=gettext_noop("edit course")
    )
    return _form_page(
        request,
        form=form,
        call=call,
        template="support/course_form.html",
        context={"course": course, "title": _("Change the course")},
        success=_("The course was saved."),
        then=course_url(course),
    )


def course_url(course) -> str:
    return reverse("support_course_detail", args=[course.public_id])


@org_permission_required("log_sessions")
def course_goals(request, public_id):
    course = get_course(request, public_id)
    current = selectors.current_goals(course)
    form = GoalsForm(
        request.POST or None,
        initial={"text": current.text if current else "", "written_together": True},
    )
    log_read(
        request=request, target=course, subject=course.citizen, reason=gettext_noop("edit goals")
    )
    return _form_page(
        request,
        form=form,
        call=lambda data: services.goals_update(
            actor=request.user,
            course=course,
            text=data["text"],
            written_together=data["written_together"],
            request=request,
        ),
        template="support/course_form.html",
        context={"course": course, "title": _("The citizen's goals")},
        success=_("The goals were saved. The earlier version is kept in the history."),
        then=course_url(course),
    )


@org_permission_required("log_sessions")
def course_end(request, public_id):
    course = get_course(request, public_id)
    form = EndCourseForm(request.POST or None)
    log_read(
        request=request, target=course, subject=course.citizen, reason=gettext_noop("end course")
    )
    return _form_page(
        request,
        form=form,
        call=lambda data: services.course_end(
            actor=request.user,
            course=course,
            ended_on=data["ended_on"],
            reason=data["reason"],
            words=data["words"],
            request=request,
        ),
        template="support/course_form.html",
        context={
            "course": course,
            "title": _("End the course"),
            "intro": _(
                "Ending the course cancels its planned appointments. Ask the citizen how they "
                "would put the ending in their own words."
            ),
            "submit_label": _("End the course"),
        },
        success=_("The course has ended."),
        then=course_url(course),
    )


@org_permission_required("manage_courses")
@require_POST
def course_nudge(request, public_id):
    course = get_course(request, public_id)
    services.course_nudge(actor=request.user, course=course, request=request)
    messages.success(request, _("The peer has been sent a gentle reminder."))
    return redirect("start" if request.POST.get("next") == "start" else course_url(course))


@org_permission_required("manage_courses")
def programme_settings(request, public_id):
    programme = get_for_org_or_404(request, Programme.objects.all(), public_id=public_id)
    current = SupportSettings.objects.filter(programme=programme).first()
    form = SupportSettingsForm(
        request.POST or None,
        initial={
            "inactivity_days": current.inactivity_days if current else DEFAULT_INACTIVITY_DAYS
        },
    )
    return _form_page(
        request,
        form=form,
        call=lambda data: services.settings_update(
            actor=request.user,
            programme=programme,
            inactivity_days=data["inactivity_days"],
            request=request,
        ),
        template="support/settings_form.html",
        context={"programme": programme},
        success=_("The setting was saved."),
        then=reverse("programme_detail", args=[programme.public_id]),
    )


# Sessions


def _session_page(request, course, form, session=None):
    def call(data):
        next_appointment = data.pop("next_appointment", None)
        services.session_log(
            actor=request.user,
            course=course,
            data=data,
            session=session,
            next_appointment=next_appointment,
            request=request,
        )

    if request.method == "POST" and run_form_action(form, call):
        messages.success(request, _("The session was logged."))
        return redirect(reverse("support_course_detail", args=[course.public_id]))
    log_read(
        request=request, target=course, subject=course.citizen, reason=gettext_noop("log session")
    )
    return render(
        request,
        "support/session_form.html",
        {"course": course, "form": form, "session": session},
    )


@org_permission_required("log_sessions")
def session_log(request, public_id):
    course = get_course(request, public_id)
    team_sharing = selectors.team_sharing_allowed(course.citizen)
    form = SessionLogForm(request.POST or None, team_sharing=team_sharing)
    return _session_page(request, course, form)


def _get_session(request, public_id):
    courses = selectors.courses_visible_to(request.membership)
    return get_for_org_or_404(
        request,
        Session.objects.filter(course__in=courses).select_related(
            "course__citizen", "course__programme"
        ),
        public_id=public_id,
    )


@org_permission_required("log_sessions")
def session_log_planned(request, public_id):
    session = _get_session(request, public_id)
    course = session.course
    team_sharing = selectors.team_sharing_allowed(course.citizen)
    initial = {
        "starts_at": timezone.localtime(session.starts_at).replace(tzinfo=None),
        "duration_minutes": session.duration_minutes,
        "form": session.form,
        "kind": session.kind,
        "place": session.place,
        "chime_themes": session.chime_themes,
        "recovery_tools": session.recovery_tools,
        "note": session.note,
        "shared_with_team": session.shared_with_team,
    }
    form = SessionLogForm(request.POST or None, initial=initial, team_sharing=team_sharing)
    return _session_page(request, course, form, session=session)


@org_permission_required("log_sessions")
def session_plan(request, public_id):
    course = get_course(request, public_id)
    form = PlanForm(request.POST or None)
    log_read(
        request=request,
        target=course,
        subject=course.citizen,
        reason=gettext_noop("plan appointment"),
    )
    return _form_page(
        request,
        form=form,
        call=lambda data: services.session_plan(
            actor=request.user, course=course, data=data, request=request
        ),
        template="support/course_form.html",
        context={"course": course, "title": _("Plan an appointment"), "submit_label": _("Plan")},
        success=_("The appointment is in the calendar."),
        then=course_url(course),
    )


@org_permission_required("log_sessions")
@require_POST
def session_cancel(request, public_id):
    session = _get_session(request, public_id)
    if session.status != SessionStatus.PLANNED:
        messages.error(request, _("Only a planned appointment can be cancelled."))
    else:
        services.session_cancel(actor=request.user, session=session, request=request)
        messages.success(request, _("The appointment was cancelled."))
    return redirect(course_url(session.course))


# Communities on a course


def _message_errors(request, form) -> None:
    """The small forms on the course page go back to it: their errors come as a message."""
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


@org_permission_required("log_sessions")
@require_POST
def community_join(request, public_id):
    course = get_course(request, public_id)
    form = CommunityJoinForm(request.POST, organisation=request.org)
    if run_form_action(
        form,
        lambda data: services.community_join(
            actor=request.user,
            course=course,
            community=data["community"],
            joined_on=data["joined_on"],
            request=request,
        ),
    ):
        messages.success(request, _("Recorded. You will be asked to check in 3 and 6 months."))
    else:
        _message_errors(request, form)
    return redirect(course_url(course) + "#communities")


@org_permission_required("log_sessions")
@require_POST
def community_left(request, public_id):
    courses = selectors.courses_visible_to(request.membership)
    link = get_for_org_or_404(
        request,
        CommunityLink.objects.filter(course__in=courses).select_related("course__citizen"),
        public_id=public_id,
    )
    form = LeftForm(request.POST)
    if run_form_action(
        form,
        lambda data: services.community_leave(
            actor=request.user, link=link, left_on=data["left_on"], request=request
        ),
    ):
        messages.success(request, _("Recorded as left."))
    else:
        _message_errors(request, form)
    return redirect(course_url(link.course) + "#communities")
