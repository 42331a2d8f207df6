"""Coordinators' and peers' pages for matching: a request's candidates, proposals and answers,
the batch run and the programme's weights."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.services import log_list_read, log_read
from brobyg.intake.models import Status, SupportRequest
from brobyg.lib.choices import choice_labels
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.lib.rows import choice_label_map
from brobyg.matching import batch as batch_services
from brobyg.matching import selectors, services
from brobyg.matching.explain import CRITERION_LABELS, explanation_lines, reason_text
from brobyg.matching.forms import (
    BatchApproveForm,
    BatchForm,
    EndForm,
    ExclusionForm,
    PeerAnswerForm,
    ProposeForm,
    ReasonForm,
    RecordCitizenAnswerForm,
    WeightsForm,
    WishesForm,
)
from brobyg.matching.models import (
    BatchJobStatus,
    BatchRun,
    BatchStatus,
    BatchStep,
    Decision,
    Exclusion,
)
from brobyg.orgs.choices import Purpose, SupportType
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import (
    get_for_org_or_404,
    has_org_permission,
    org_permission_required,
)
from brobyg.people.models import Peer


def _get_request(request, public_id):
    return get_for_org_or_404(
        request,
        SupportRequest.objects.select_related(
            "citizen", "programme__matching_weights", "organisation"
        ),
        public_id=public_id,
    )


# Overview


def _render_overview(request, batch_form):
    awaiting = list(selectors.matches_awaiting_answer(request.org))
    if awaiting:
        log_list_read(
            request=request,
            subjects=[match.citizen for match in awaiting],
            object_type="matching.match",
            reason=gettext_noop("matching overview: proposals waiting for an answer"),
            details={"results": len(awaiting)},
        )
    return render(
        request,
        "matching/overview.html",
        {
            "figures": selectors.matching_figures(request.org),
            "awaiting": awaiting,
            "batch_form": batch_form,
            "runs": selectors.batch_runs(request.org)[:10],
            "live_job": selectors.live_batch_job(request.org),
        },
    )


@org_permission_required("manage_matching")
def overview(request):
    return _render_overview(request, BatchForm(organisation=request.org))


# One request: wishes, candidates, proposing


def _render_request(
    request,
    support_request,
    *,
    wishes_form=None,
    propose_form=None,
    exclusion_form=None,
    status=200,
):
    show_all = request.GET.get("all") == "1"
    wishes = selectors.wishes_of(support_request)
    found = selectors.candidates_for_request(
        support_request, limit=None if show_all else selectors.TOP_CANDIDATES, wishes=wishes
    )
    history = list(selectors.matches_of_request(support_request))
    # At most one match of a request is live (a constraint); the history holds it.
    live = next((match for match in history if match.is_live), None)
    log_read(
        request=request,
        target=support_request,
        subject=support_request.citizen,
        reason=gettext_noop("matching: candidates for a request"),
    )
    kinds = choice_label_map(SupportType)
    initial = {
        "experience_areas": wishes.experience_areas if wishes else [],
        "language": wishes.language if wishes else "",
        "musts": wishes.musts if wishes else [],
    }
    return render(
        request,
        "matching/request.html",
        {
            "support_request": support_request,
            "citizen": support_request.citizen,
            "live": live,
            "candidates": [
                {
                    "peer": c.peer,
                    "kind": kinds.get(c.peer.kind, c.peer.kind),
                    "score": c.score,
                    "live": c.live,
                    "lines": explanation_lines(c.explanation),
                }
                for c in found.candidates
            ],
            "propose_url": reverse("matching_request_propose", args=[support_request.public_id]),
            "allowed_count": found.allowed_count,
            "show_all": show_all,
            "reason": reason_text(found.reason),
            "wishes_form": wishes_form or WishesForm(initial=initial),
            "propose_form": propose_form,
            "exclusion_form": exclusion_form or ExclusionForm(organisation=request.org),
            "exclusions": selectors.exclusions_of_citizen(support_request.citizen),
            "history": history,
            "can_propose": support_request.status in services.MATCHABLE_STATUSES,
            "is_screened": support_request.status == Status.SCREENED,
            "is_new": support_request.status == Status.NEW,
            "age_blocks": support_request.below_minimum_age
            and not support_request.age_override_reason,
        },
        status=status,
    )


@org_permission_required("manage_matching")
def request_matching(request, public_id):
    return _render_request(request, _get_request(request, public_id))


@org_permission_required("manage_matching")
@require_POST
def request_wishes(request, public_id):
    support_request = _get_request(request, public_id)
    form = WishesForm(request.POST)
    if run_form_action(
        form,
        lambda data: services.wishes_update(
            actor=request.user,
            support_request=support_request,
            data=data,
            request=request,
        ),
    ):
        messages.success(request, _("The wishes were saved. The candidates are updated."))
        return redirect("matching_request", public_id=support_request.public_id)
    return _render_request(request, support_request, wishes_form=form)


@org_permission_required("manage_matching")
@require_POST
def request_propose(request, public_id):
    support_request = _get_request(request, public_id)
    form = ProposeForm(request.POST)
    if form.is_valid():
        peer = Peer.objects.filter(
            organisation=request.org, public_id=form.cleaned_data["peer"]
        ).first()
        if peer is None:
            form.add_error(None, _("Choose one of the proposed peers."))
        else:
            try:
                match = services.match_propose(
                    actor=request.user,
                    support_request=support_request,
                    peer=peer,
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s has been asked. You will see the answer here.")
                    % {"name": peer.user.full_name},
                )
                return redirect("matching_match_detail", public_id=match.public_id)
    else:
        form.add_error(None, _("Choose one of the proposed peers."))
    messages.error(request, " ".join(form.non_field_errors()) or _("Nothing was proposed."))
    return _render_request(request, support_request, propose_form=form)


@org_permission_required("manage_matching")
@require_POST
def request_exclude(request, public_id):
    support_request = _get_request(request, public_id)
    form = ExclusionForm(request.POST, organisation=request.org)
    if not form.is_valid():
        return _render_request(request, support_request, exclusion_form=form)
    services.exclusion_add(
        actor=request.user,
        citizen=support_request.citizen,
        peer=form.cleaned_data["peer"],
        reason=form.cleaned_data["reason"],
        request=request,
    )
    messages.success(request, _("The peer will not be proposed for this citizen."))
    return redirect("matching_request", public_id=support_request.public_id)


@org_permission_required("manage_matching")
@require_POST
def exclusion_remove(request, public_id):
    exclusion = get_for_org_or_404(
        request, Exclusion.objects.select_related("citizen", "peer"), public_id=public_id
    )
    services.exclusion_remove(actor=request.user, exclusion=exclusion, request=request)
    messages.success(request, _("The exclusion was removed."))
    latest = exclusion.citizen.support_requests.order_by("-created_at").first()
    if latest is None:
        return redirect("matching_overview")
    return redirect("matching_request", public_id=latest.public_id)


# One match: the coordinator's and the proposed peer's page


def _render_match(request, match, *, forms=None, status=200):
    log_read(
        request=request,
        target=match,
        subject=match.citizen,
        reason=gettext_noop("matching: a match"),
    )
    is_coordinator = has_org_permission(request, "manage_matching")
    forms = forms or {}
    context = {
        "match": match,
        "citizen": match.citizen,
        "support_request": match.support_request,
        "purposes": choice_labels(Purpose, match.support_request.purposes),
        "lines": explanation_lines(match.explanation),
        "is_coordinator": is_coordinator,
        "is_the_peer": match.peer.user_id == request.user.pk,
        "answer_form": forms.get("answer_form") or PeerAnswerForm(),
        "record_form": forms.get("record_form") or RecordCitizenAnswerForm(),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
        "end_form": forms.get("end_form") or EndForm(),
    }
    return render(request, "matching/match_detail.html", context, status=status)


def _get_match(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.match_for_page(selectors.matches_visible_to(request.membership)),
        public_id=public_id,
    )


@org_permission_required("view_matches")
def match_detail(request, public_id):
    return _render_match(request, _get_match(request, public_id))


def _match_action(request, match, form, *, name, call, success):
    if run_form_action(form, call):
        messages.success(request, success)
        return redirect("matching_match_detail", public_id=match.public_id)
    match.refresh_from_db()
    return _render_match(request, match, forms={name: form})


@org_permission_required("answer_proposals")
@require_POST
def match_peer_answer(request, public_id):
    match = get_for_org_or_404(
        request,
        selectors.match_for_page(
            selectors.matches_visible_to(request.membership).filter(peer__user=request.user)
        ),
        public_id=public_id,
    )
    form = PeerAnswerForm(request.POST)
    accept = form.data.get("answer") == "accept"
    return _match_action(
        request,
        match,
        form,
        name="answer_form",
        call=lambda data: services.match_peer_answer(
            actor=request.user,
            match=match,
            accept=data["answer"] == "accept",
            reason=data["reason"],
            exclude=data["exclude"],
            request=request,
        ),
        success=_("Thank you. The citizen is asked next.")
        if accept
        else _("Thank you. The coordinator has been told."),
    )


def _coordinator_match(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.match_for_page(selectors.matches_visible_to(request.membership)),
        public_id=public_id,
    )


@org_permission_required("manage_matching")
@require_POST
def match_record_citizen_answer(request, public_id):
    match = _coordinator_match(request, public_id)
    return _match_action(
        request,
        match,
        RecordCitizenAnswerForm(request.POST),
        name="record_form",
        call=lambda data: services.match_citizen_answer(
            actor=request.user,
            match=match,
            accept=data["answer"] == "accept",
            method=data["method"],
            reason=data["reason"],
            exclude=data["exclude"],
            request=request,
        ),
        success=_("The citizen's answer was recorded."),
    )


@org_permission_required("manage_matching")
@require_POST
def match_send_link(request, public_id):
    match = _coordinator_match(request, public_id)
    try:
        services.match_send_citizen_link(actor=request.user, match=match, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new link was sent to the citizen. The old one no longer works.")
        )
    return redirect("matching_match_detail", public_id=match.public_id)


@org_permission_required("manage_matching")
@require_POST
def match_withdraw(request, public_id):
    match = _coordinator_match(request, public_id)
    return _match_action(
        request,
        match,
        ReasonForm(request.POST),
        name="withdraw_form",
        call=lambda data: services.match_withdraw(
            actor=request.user, match=match, reason=data["reason"], request=request
        ),
        success=_("The proposal was withdrawn. The request is back on the waiting list."),
    )


@org_permission_required("manage_matching")
@require_POST
def match_end(request, public_id):
    match = _coordinator_match(request, public_id)
    return _match_action(
        request,
        match,
        EndForm(request.POST),
        name="end_form",
        call=lambda data: services.match_end(
            actor=request.user,
            match=match,
            reason=data["reason"],
            do_not_rematch=data["do_not_rematch"],
            request=request,
        ),
        success=_("The match was ended."),
    )


# The batch run


@org_permission_required("manage_matching")
@require_POST
def batch_create(request):
    form = BatchForm(request.POST, organisation=request.org)
    if form.is_valid():
        try:
            job = batch_services.batch_queue(
                actor=request.user,
                organisation=request.org,
                programmes=list(form.cleaned_data["programmes"]),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("matching_batch_job", public_id=job.public_id)
    return _render_overview(request, form)


@org_permission_required("manage_matching")
def batch_job(request, public_id):
    """A started run: waiting, running (the page asks again every few seconds and shows the
    step it is in), then what it found with the way to the review, or why it found nothing.
    Counts only, no citizen's data: the review page is where names are read (and audited)."""
    job = get_for_org_or_404(request, selectors.batch_jobs(request.org), public_id=public_id)
    return render(
        request,
        "matching/batch_job.html",
        {
            "job": job,
            "run": job.run,
            "programmes": [programme.name for programme in job.programmes.all()],
            "finished": job.status in (BatchJobStatus.DONE, BatchJobStatus.FAILED),
            "steps": BatchStep,
        },
    )


def _render_batch(request, run, form=None):
    proposals = list(
        run.proposals.select_related(
            "support_request__citizen", "support_request__programme", "peer__user", "match"
        )
    )
    log_list_read(
        request=request,
        subjects=[p.support_request.citizen for p in proposals],
        object_type="matching.batchrun",
        reason=gettext_noop("matching: batch run review"),
        details={"results": len(proposals)},
    )
    paired = [p for p in proposals if p.peer_id]
    rows = [{"proposal": p, "lines": explanation_lines(p.explanation)} for p in paired]
    unmatched = [
        {"proposal": p, "reason": reason_text(p.unmatched_reason)}
        for p in proposals
        if not p.peer_id
    ]
    return render(
        request,
        "matching/batch_detail.html",
        {
            "run": run,
            "rows": rows,
            "unmatched": unmatched,
            "form": form or BatchApproveForm(proposals=paired),
            "gain": round(run.total_score - run.greedy_total_score, 1),
            "gain_matched": run.matched_count - run.greedy_matched_count,
            "awaiting_review": run.status == BatchStatus.AWAITING_REVIEW,
            "decisions": Decision,
        },
    )


@org_permission_required("manage_matching")
def batch_detail(request, public_id):
    run = get_for_org_or_404(request, BatchRun.objects.all(), public_id=public_id)
    return _render_batch(request, run)


@org_permission_required("manage_matching")
@require_POST
def batch_approve(request, public_id):
    run = get_for_org_or_404(request, BatchRun.objects.all(), public_id=public_id)
    paired = run.proposals.filter(peer__isnull=False)
    form = BatchApproveForm(request.POST, proposals=paired)
    if form.is_valid():
        try:
            result = batch_services.batch_approve(
                actor=request.user,
                batch=run,
                proposal_ids=form.cleaned_data["proposals"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d proposals were sent to the peers.") % {"count": result["approved"]},
            )
            for proposal in result["skipped"]:
                messages.warning(request, proposal.decision_note)
            return redirect("matching_batch_detail", public_id=run.public_id)
    run.refresh_from_db()
    return _render_batch(request, run, form)


# Weights per programme


@org_permission_required("manage_matching")
def programme_weights(request, public_id):
    programme = get_for_org_or_404(request, Programme.objects.all(), public_id=public_id)
    current = selectors.programme_weights(programme)
    form = WeightsForm(request.POST or None, initial=current)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.weights_update(
            actor=request.user, programme=programme, weights=data, request=request
        ),
    ):
        messages.success(request, _("The weights were saved."))
        return redirect("matching_programme_weights", public_id=programme.public_id)
    return render(
        request,
        "matching/weights.html",
        {"programme": programme, "form": form, "labels": CRITERION_LABELS},
    )
