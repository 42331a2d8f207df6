"""Hand-over pages: propose, consent, the two sides' view, answer, withdraw, and the list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from brobyg.audit.services import log_denied, log_list_read, log_read
from brobyg.lib.forms import run_form_action
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.support import selectors, services
from brobyg.support.forms import (
    HandoverAcceptForm,
    HandoverConsentForm,
    HandoverDeclineForm,
    HandoverProposeForm,
)
from brobyg.support.models import (
    OPEN_HANDOVER_STATUSES,
    FollowUp,
)
from brobyg.support.views import course_url, get_course


@org_permission_required("propose_handover")
def handover_propose(request, public_id):
    course = get_course(request, public_id)
    # Programmes of every organisation on Brobyg: made outside the scope, so the form can offer
    # and validate them; nothing else here leaves the scope.
    with scopes_disabled():
        programmes = (
            Programme.objects.filter(is_active=True)
            .exclude(pk=course.programme_id)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
    form = HandoverProposeForm(request.POST or None, queryset=programmes)
    created = {}

    def call(data):
        created["handover"] = services.handover_propose(
            actor=request.user,
            course=course,
            receiving_programme=data["receiving_programme"],
            reason=data["reason"],
            note=data["note"],
            request=request,
        )

    if request.method == "POST" and run_form_action(form, call):
        messages.success(
            request,
            _("The hand-over is proposed. Next, record what the citizen consents to share."),
        )
        return redirect("support_handover_consent", public_id=created["handover"].public_id)
    log_read(
        request=request,
        target=course,
        subject=course.citizen,
        reason=gettext_noop("propose hand-over"),
    )
    return render(request, "support/handover_propose.html", {"form": form, "course": course})


def _get_handover(request, public_id, *, side=None):
    """The hand-over as the current organisation sees it, with its side; 404 (logged) when it is
    not visible, or when ``side`` is asked for and it is on the other side."""
    membership = request.membership
    handover = selectors.sent_handovers_visible_to(membership).filter(public_id=public_id).first()
    if handover is None:
        handover = get_for_org_or_404(
            request, selectors.received_handovers_visible_to(membership), public_id=public_id
        )
    found_side = selectors.handover_side(handover, request.org)
    if side and found_side not in (side, "internal"):
        log_denied(
            request=request,
            reason=gettext_noop("object not visible to this role"),
            target=handover,
        )
        raise Http404
    return handover, found_side


@org_permission_required("propose_handover")
def handover_detail(request, public_id):
    handover, side = _get_handover(request, public_id)
    context = {"handover": handover, "side": side}
    if side in ("sending", "internal"):
        citizen = handover.from_course.citizen
        log_read(
            request=request, target=handover, subject=citizen, reason=gettext_noop("hand-over page")
        )
        context.update(citizen=citizen, sharing_stands=services.sharing_stands(handover))
    if side == "receiving":
        shared = selectors.shared_view(handover)
        # Filed under the receiving organisation, about the sending side's citizen record.
        log_read(
            request=request,
            target=handover,
            subject=selectors.handover_citizen(handover) if shared else None,
            reason=gettext_noop("incoming hand-over"),
        )
        context["shared"] = shared
    if (
        side in ("receiving", "internal")
        and has_org_permission(request, "answer_handovers")
        and handover.is_open
    ):
        context["accept_form"] = HandoverAcceptForm(
            organisation=request.org, programme=handover.receiving_programme
        )
        context["decline_form"] = HandoverDeclineForm()
    context["follow_ups"] = (
        list(FollowUp.objects.filter(handover=handover)) if side != "sending" else []
    )
    return render(request, "support/handover_detail.html", context)


@org_permission_required("propose_handover")
def handover_consent(request, public_id):
    handover, _side = _get_handover(request, public_id, side="sending")
    form = HandoverConsentForm(
        request.POST or None, initial={"fields_shared": handover.shared_fields}
    )
    citizen = handover.from_course.citizen
    log_read(
        request=request, target=handover, subject=citizen, reason=gettext_noop("hand-over consent")
    )
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.handover_record_consent(
            actor=request.user,
            handover=handover,
            fields=data["fields_shared"],
            method=data["method"],
            request=request,
        ),
    ):
        messages.success(
            request,
            _("The consent is recorded. The receiving side now sees what was consented to."),
        )
        return redirect("support_handover_detail", public_id=handover.public_id)
    return render(
        request,
        "support/handover_consent.html",
        {"form": form, "handover": handover, "citizen": citizen},
    )


@org_permission_required("answer_handovers")
@require_POST
def handover_answer(request, public_id):
    handover, _side = _get_handover(request, public_id, side="receiving")
    accept = request.POST.get("answer") == "accept"
    if accept:
        form = HandoverAcceptForm(
            request.POST, organisation=request.org, programme=handover.receiving_programme
        )
        created = {}

        def call(data):
            created["course"] = services.handover_accept(
                actor=request.user,
                handover=handover,
                peer=data["peer"],
                meeting_at=data["meeting_at"],
                meeting_place=data["meeting_place"],
                request=request,
            )

        if run_form_action(form, call):
            messages.success(
                request, _("Accepted. The course has started and the meeting is planned.")
            )
            return redirect("support_course_detail", public_id=created["course"].public_id)
        forms = {"accept_form": form, "decline_form": HandoverDeclineForm()}
    else:
        form = HandoverDeclineForm(request.POST)
        if run_form_action(
            form,
            lambda data: services.handover_decline(
                actor=request.user, handover=handover, reason=data["reason"], request=request
            ),
        ):
            messages.success(request, _("Declined. The sending side has been told."))
            return redirect("support_handover_list")
        forms = {
            "accept_form": HandoverAcceptForm(
                organisation=request.org, programme=handover.receiving_programme
            ),
            "decline_form": form,
        }
    side = "internal" if handover.organisation_id == request.org.pk else "receiving"
    context = {"handover": handover, "side": side, **forms}
    if side == "internal":
        context["citizen"] = handover.from_course.citizen
    else:
        context["shared"] = selectors.shared_view(handover)
    citizen = context.get("citizen") or (
        selectors.handover_citizen(handover) if context.get("shared") else None
    )
    log_read(request=request, target=handover, subject=citizen, reason=gettext_noop("hand-over"))
    return render(request, "support/handover_detail.html", context)


@org_permission_required("propose_handover")
@require_POST
def handover_withdraw(request, public_id):
    handover, _side = _get_handover(request, public_id, side="sending")
    if handover.is_open:
        services.handover_withdraw(actor=request.user, handover=handover, request=request)
        messages.success(request, _("The hand-over was withdrawn."))
    return redirect(course_url(handover.from_course))


@org_permission_required("answer_handovers")
def handover_list(request):
    outgoing = list(selectors.outgoing_handovers(request.org)[:100])
    incoming = list(selectors.incoming_handovers(request.org)[:100])
    log_list_read(
        request=request,
        subjects=[handover.from_course.citizen for handover in outgoing],
        object_type="support.handover",
        reason=gettext_noop("list of hand-overs"),
        details={"results": len(outgoing) + len(incoming)},
    )
    return render(
        request,
        "support/handover_list.html",
        {
            "outgoing": outgoing,
            "incoming": incoming,
            "open_statuses": OPEN_HANDOVER_STATUSES,
        },
    )
