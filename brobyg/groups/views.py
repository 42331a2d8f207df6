"""Staff pages of group courses: the list, a group's page, its form, enrolment, attendance and
messages. Who sees what is decided in ``selectors`` (see its docstring)."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from brobyg.audit.services import log_list_read, log_read
from brobyg.groups import selectors, services, services_messages
from brobyg.groups.extensions import group_sections
from brobyg.groups.forms import EnrolRequestForm, GroupForm, MessageForm, ParticipantForm
from brobyg.groups.models import (
    GroupSession,
    GroupStatus,
    Participant,
    ParticipantStatus,
)
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required


def _get_group(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.groups_visible_to(request.membership).select_related(
            "programme", "unit", "co_facilitator", "organisation"
        ),
        public_id=public_id,
    )


def _get_group_with_names(request, public_id):
    """A group whose participants the member may see by name (coordinator or facilitator)."""
    group = _get_group(request, public_id)
    if not selectors.sees_participants(request.membership, group):
        get_for_org_or_404(request, group.__class__.objects.none(), public_id=public_id)
    return group


# How many requests the enrol form offers at a time; a search finds the others.
ENROL_CHOICES = 50


@org_permission_required("view_groups")
def group_list(request):
    groups = selectors.group_rows(selectors.groups_for_list(request.membership))
    return render(
        request,
        "groups/list.html",
        {
            "running": [group for group in groups if group.status == GroupStatus.RUNNING],
            "planned": [group for group in groups if group.status == GroupStatus.PLANNED],
            "ended": [
                group
                for group in groups
                if group.status in (GroupStatus.FINISHED, GroupStatus.CANCELLED)
            ],
            "can_manage": has_org_permission(request, "manage_groups"),
        },
    )


def _render_detail(request, group, *, participant_form=None, enrol_form=None, status=200):
    sees_names = selectors.sees_participants(request.membership, group)
    can_manage = has_org_permission(request, "manage_groups")
    attendance = selectors.attendance_by_session(group)
    # Whoever sees the names reads every participant, and the figures are counted from them.
    participants = list(selectors.participants_for_page(group)) if sees_names else None
    context = {
        "group": group,
        "facilitators": list(selectors.facilitators_for_page(group)),
        "counts": (
            selectors.participant_counts(group)
            if participants is None
            else selectors.participant_counts_of(participants)
        ),
        "attendance": attendance,
        "attendance_rate": selectors.attendance_rate(attendance),
        "sees_names": sees_names,
        "can_manage": can_manage,
        "can_take_attendance": sees_names and has_org_permission(request, "take_attendance"),
        "can_message": sees_names and has_org_permission(request, "message_groups"),
        "safeguard": services.safeguard_error(group),
        "sections": group_sections(request, group, sees_participants=sees_names),
    }
    if sees_names:
        log_list_read(
            request=request,
            subjects=[participant.audit_subject for participant in participants],
            object_type="groups.participant",
            reason=gettext_noop("group course page"),
            details={"group": str(group.public_id), "results": len(participants)},
        )
        first = next((p for p in participants if p.status == ParticipantStatus.WAITING), None)
        context.update(
            {
                "enrolled": [p for p in participants if p.status == ParticipantStatus.ENROLLED],
                "waiting": [p for p in participants if p.status == ParticipantStatus.WAITING],
                "first_waiting": first,
                "has_free_place": context["counts"]["enrolled"] < group.capacity,
                "messages_sent": list(group.messages.select_related("sent_by", "session")[:10]),
            }
        )
        if can_manage:
            context["participant_form"] = participant_form or ParticipantForm()
            enrol_query = request.GET.get("enrol_q", "").strip()[:100]
            choices = list(
                selectors.enrol_choices(request.org, query=enrol_query, first=ENROL_CHOICES + 1)
            )
            context["enrol_form"] = enrol_form or EnrolRequestForm(requests=choices[:ENROL_CHOICES])
            context["enrol_query"] = enrol_query
            context["enrol_more"] = len(choices) > ENROL_CHOICES
    else:
        log_read(request=request, target=group, reason=gettext_noop("group course figures"))
    return render(request, "groups/detail.html", context, status=status)


@org_permission_required("view_groups")
def group_detail(request, public_id):
    return _render_detail(request, _get_group(request, public_id))


@org_permission_required("manage_groups")
@require_http_methods(["GET", "POST"])
def group_create(request):
    form = GroupForm(request.POST or None, organisation=request.org)
    if request.method == "POST":
        created = {}

        def call(data):
            created["group"] = services.group_create(
                actor=request.user,
                organisation=request.org,
                data=form.service_data(),
                facilitators=list(data["facilitators"]),
                request=request,
            )

        if run_form_action(form, call):
            messages.success(request, _("The group was created with its sessions."))
            return redirect("groups_detail", public_id=created["group"].public_id)
    return render(request, "groups/form.html", {"form": form})


@org_permission_required("manage_groups")
@require_http_methods(["GET", "POST"])
def group_edit(request, public_id):
    group = _get_group(request, public_id)
    form = GroupForm(request.POST or None, instance=group, organisation=request.org)
    if request.method == "POST":

        def call(data):
            services.group_update(
                actor=request.user,
                group=group,
                data=form.service_data(),
                facilitators=list(data["facilitators"]),
                request=request,
            )

        if run_form_action(form, call):
            messages.success(request, _("The group was saved."))
            return redirect("groups_detail", public_id=group.public_id)
    return render(request, "groups/form.html", {"form": form, "group": group})


def _status_action(request, public_id, service, done_message):
    group = _get_group(request, public_id)
    try:
        service(actor=request.user, group=group, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect("groups_detail", public_id=group.public_id)


@org_permission_required("manage_groups")
@require_POST
def group_start(request, public_id):
    return _status_action(request, public_id, services.group_start, _("The group has started."))


@org_permission_required("manage_groups")
@require_POST
def group_finish(request, public_id):
    return _status_action(request, public_id, services.group_finish, _("The group has finished."))


@org_permission_required("manage_groups")
@require_POST
def group_cancel(request, public_id):
    return _status_action(request, public_id, services.group_cancel, _("The group is cancelled."))


# Enrolment


@org_permission_required("manage_groups")
@require_POST
def participant_add(request, public_id):
    group = _get_group(request, public_id)
    form = ParticipantForm(request.POST)

    def call(data):
        participant = services.participant_add(
            actor=request.user,
            group=group,
            kind=data["kind"],
            source=data["source"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            questionnaire_consent=data["questionnaire_consent"],
            request=request,
        )
        _tell_enrolled(request, participant)

    if run_form_action(form, call):
        return redirect("groups_detail", public_id=group.public_id)
    return _render_detail(request, group, participant_form=form)


def _tell_enrolled(request, participant):
    if participant.status == ParticipantStatus.ENROLLED:
        messages.success(
            request, _("%(name)s has a place in the group.") % {"name": participant.name}
        )
    else:
        messages.info(
            request,
            _("The group is full: %(name)s is on the group's waiting list.")
            % {"name": participant.name},
        )


@org_permission_required("manage_groups")
@require_POST
def enrol_request(request, public_id):
    group = _get_group(request, public_id)
    chosen = request.POST.get("support_request", "")
    try:
        chosen_ids = [uuid.UUID(chosen)]
    except ValueError:
        chosen_ids = []
    # The chosen request, and the first of the list again should the form be shown with an error.
    requests = {
        support_request.pk: support_request
        for support_request in [
            *selectors.waiting_requests_for_groups(request.org, public_ids=chosen_ids),
            *selectors.waiting_requests_for_groups(request.org, first=ENROL_CHOICES),
        ]
    }
    form = EnrolRequestForm(request.POST, requests=list(requests.values()))

    def call(data):
        participant = services.participant_enrol_request(
            actor=request.user,
            group=group,
            support_request=data["support_request"],
            request=request,
        )
        _tell_enrolled(request, participant)

    if run_form_action(form, call):
        return redirect("groups_detail", public_id=group.public_id)
    return _render_detail(request, group, enrol_form=form)


def _get_participant(request, public_id):
    participant = get_for_org_or_404(
        request, Participant.objects.select_related("group", "citizen"), public_id=public_id
    )
    return participant


def _participant_action(request, public_id, service, done_message):
    participant = _get_participant(request, public_id)
    try:
        service(actor=request.user, participant=participant, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message % {"name": participant.name})
    return redirect("groups_detail", public_id=participant.group.public_id)


@org_permission_required("manage_groups")
@require_POST
def participant_move_in(request, public_id):
    return _participant_action(
        request, public_id, services.participant_move_in, _("%(name)s has moved into the group.")
    )


@org_permission_required("manage_groups")
@require_POST
def participant_leave(request, public_id):
    return _participant_action(
        request, public_id, services.participant_leave, _("%(name)s has left the group.")
    )


# Attendance


@org_permission_required("take_attendance")
@require_http_methods(["GET", "POST"])
def session_attendance(request, public_id):
    """The tick list: one big checkbox per participant, made for a phone."""
    session = get_for_org_or_404(
        request, GroupSession.objects.select_related("group"), public_id=public_id
    )
    group = session.group
    if not selectors.sees_participants(request.membership, group):
        get_for_org_or_404(request, GroupSession.objects.none(), public_id=public_id)
    participants = list(selectors.enrolled_participants(group))
    error = None
    headcount_value = request.POST.get("headcount", "") if request.method == "POST" else ""
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        headcount = None
        if group.is_open and headcount_value.strip():
            try:
                headcount = int(headcount_value)
                if headcount < 0 or headcount > 1000:
                    raise ValueError
            except ValueError:
                error = {"headcount": [_("Write the number of people in the room, e.g. 14.")]}
        if error is None:
            try:
                services.attendance_record(
                    actor=request.user,
                    session=session,
                    present=present,
                    headcount=headcount,
                    request=request,
                )
            except ValidationError as problem:
                error = (
                    problem.message_dict
                    if hasattr(problem, "error_dict")
                    else {"__all__": problem.messages}
                )
            else:
                messages.success(
                    request,
                    _("Attendance for session %(number)d was saved.") % {"number": session.number},
                )
                return redirect("groups_detail", public_id=group.public_id)
        marks = {p.pk: str(p.public_id) in present for p in participants}
    else:
        marks = selectors.attendance_marks(session)
        if session.headcount is not None:
            headcount_value = str(session.headcount)
    log_list_read(
        request=request,
        subjects=[participant.audit_subject for participant in participants],
        object_type="groups.attendance",
        reason=gettext_noop("attendance list of a group session"),
        details={"session": str(session.public_id), "results": len(participants)},
    )
    return render(
        request,
        "groups/attendance.html",
        {
            "session": session,
            "group": group,
            "rows": [{"participant": p, "present": marks.get(p.pk, False)} for p in participants],
            "error": error,
            "headcount_value": headcount_value,
            "is_future": session.starts_at > timezone.now() + timedelta(hours=12),
        },
    )


# Messages


@org_permission_required("message_groups")
@require_http_methods(["GET", "POST"])
def group_message(request, public_id):
    group = _get_group_with_names(request, public_id)
    form = MessageForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = services_messages.group_message_send(
                actor=request.user,
                group=group,
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                session=data["session"],
                new_place=data["new_place"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The message was sent to %(count)d participants by e-mail.")
                % {"count": message.recipient_count},
            )
            if message.without_email_count:
                messages.info(
                    request,
                    _("%(count)d participants have no e-mail address: tell them another way.")
                    % {"count": message.without_email_count},
                )
            return redirect("groups_detail", public_id=group.public_id)
    return render(request, "groups/message.html", {"group": group, "form": form})
