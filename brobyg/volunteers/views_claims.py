"""Hours and expenses: the volunteer's own month (hours counted from sessions and groups, other
tasks, claims with receipts, a returned claim corrected and sent again), the coordinator's
claims to decide, the bookkeeper's monthly export, the yearly statement, the rate per km."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_read, log_request
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.lib.pagination import paginate
from brobyg.lib.spreadsheets import as_csv, as_xlsx, safe_cell
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.people.models import Peer
from brobyg.volunteers import selectors, services_claims
from brobyg.volunteers.forms_claims import (
    ClaimForm,
    DecisionForm,
    HoursForm,
    RateForm,
    parse_month,
)
from brobyg.volunteers.models import Claim, ExpenseKind

OWN = "record_volunteer_hours"
COORDINATE = "manage_volunteers"


def _month_nav(month):
    previous = (month - timedelta(days=1)).replace(day=1)
    following = selectors.month_bounds(month)[1]
    return {"previous": previous, "following": following}


@org_permission_required(OWN)
def mine(request):
    peer = selectors.volunteer_peer_of(request.membership)
    month = parse_month(request.GET.get("month", ""))
    hours_form = HoursForm(prefix="hours")
    claim_form = ClaimForm(prefix="claim")
    if peer is not None and request.method == "POST":
        if "hours-day" in request.POST:
            hours_form = HoursForm(request.POST, prefix="hours")
            if hours_form.is_valid():
                data = hours_form.cleaned_data
                try:
                    services_claims.hours_record(
                        actor=request.user,
                        peer=peer,
                        day=data["day"],
                        minutes=int(data["hours"] * 60),
                        task=data["task"],
                    )
                except ValidationError as error:
                    add_service_errors(hours_form, error)
                else:
                    messages.success(request, _("The hours were saved."))
                    return redirect(f"{reverse('volunteers_mine')}?month={month:%Y-%m}")
        else:
            claim_form = ClaimForm(request.POST, request.FILES, prefix="claim")
            if claim_form.is_valid():
                try:
                    services_claims.claim_submit(
                        actor=request.user, peer=peer, **claim_form.service_arguments()
                    )
                except ValidationError as error:
                    add_service_errors(claim_form, error)
                else:
                    messages.success(request, _("The claim was sent to the coordinator."))
                    return redirect(f"{reverse('volunteers_mine')}?month={month:%Y-%m}")
    context = {"peer": peer, "month": month, **_month_nav(month)}
    if peer is not None:
        first, following = selectors.month_bounds(month)
        claims = selectors.claims_visible_to(request.membership)
        context.update(
            hours=selectors.hours_of(peer, first, following),
            claims=list(selectors.claims_of_peer(claims, peer, first, following)),
            hours_form=hours_form,
            claim_form=claim_form,
        )
    return render(request, "volunteers/mine.html", context)


def _claim(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.claims_visible_to(request.membership).select_related("peer__user"),
        public_id=public_id,
    )


@org_permission_required(OWN)
def claim_edit(request, public_id):
    """The volunteer corrects a returned claim and sends it again."""
    claim = _claim(request, public_id)
    if claim.peer.user_id != request.user.pk:
        raise Http404
    initial = {
        "kind": claim.kind,
        "day": claim.day,
        "description": claim.description,
        "km": claim.km,
        "amount": None if claim.kind == ExpenseKind.TRANSPORT else claim.amount,
    }
    form = ClaimForm(request.POST or None, request.FILES or None, initial=initial, prefix="claim")
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services_claims.claim_resubmit(
            actor=request.user, claim=claim, **form.service_arguments()
        ),
    ):
        messages.success(request, _("The claim was sent again."))
        return redirect(f"{reverse('volunteers_mine')}?month={claim.day:%Y-%m}")
    return render(request, "volunteers/claim_edit.html", {"claim": claim, "form": form})


@org_permission_required(OWN)
def claim_receipt_own(request, public_id):
    return _receipt(request, public_id)


@org_permission_required(COORDINATE)
def claim_receipt(request, public_id):
    return _receipt(request, public_id)


def _receipt(request, public_id):
    claim = _claim(request, public_id)
    content = Claim.objects.filter(pk=claim.pk).values_list("receipt", flat=True).first()
    if not content:
        raise Http404
    log_read(
        request=request,
        target=claim,
        subject=claim.peer.user,
        reason=gettext_noop("expense receipt"),
    )
    response = HttpResponse(bytes(content), content_type=claim.receipt_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@org_permission_required(COORDINATE)
def claim_list(request):
    claims = selectors.claims_visible_to(request.membership)
    waiting = list(selectors.claims_waiting(claims))
    month = parse_month(request.GET.get("month", ""))
    first, following = selectors.month_bounds(month)
    approved = list(selectors.approved_claims(claims, first, following))
    log_request(
        request,
        action=Action.READ,
        object_type="volunteers.claim",
        reason=gettext_noop("volunteer expense claims"),
    )
    return render(
        request,
        "volunteers/claim_list.html",
        {
            "waiting": waiting,
            "approved": approved,
            "approved_total": sum(claim.amount for claim in approved),
            "month": month,
            "decision_form": DecisionForm(),
            "volunteers": paginate(
                request,
                Peer.objects.filter(organisation=request.org, kind="volunteer")
                .select_related("user")
                .order_by("user__full_name", "pk"),
            ),
            **_month_nav(month),
        },
    )


@require_POST
@org_permission_required(COORDINATE)
def claim_decide(request, public_id):
    claim = _claim(request, public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or return the claim."))
        return redirect("volunteers_claims")
    try:
        services_claims.claim_decide(
            actor=request.user,
            claim=claim,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision was saved."))
    return redirect("volunteers_claims")


@org_permission_required(COORDINATE)
def claims_export(request):
    """The approved claims of a month for the bookkeeper, as CSV or XLSX."""
    month = parse_month(request.GET.get("month", ""))
    first, following = selectors.month_bounds(month)
    claims = list(
        selectors.approved_claims(selectors.claims_visible_to(request.membership), first, following)
    )
    header = [
        _("Volunteer"),
        _("E-mail"),
        _("Date"),
        _("Kind"),
        _("What for"),
        _("Km"),
        _("Kroner per km"),
        _("Amount"),
        _("Approved by"),
        _("Approved"),
    ]
    rows = [
        [
            safe_cell(value)
            for value in (
                claim.peer.user.full_name,
                claim.peer.user.email,
                claim.day.isoformat(),
                str(claim.get_kind_display()),
                claim.description,
                str(claim.km or ""),
                str(claim.rate_per_km or ""),
                str(claim.amount),
                claim.decided_by.full_name if claim.decided_by else "",
                timezone.localdate(claim.decided_at).isoformat() if claim.decided_at else "",
            )
        ]
        for claim in claims
    ]
    extension = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    log_request(
        request,
        action=Action.EXPORT,
        object_type="volunteers.claim",
        reason=gettext_noop("volunteer expenses for the bookkeeper"),
        details={"month": f"{month:%Y-%m}", "rows": len(rows), "format": extension},
    )
    name = f"{_('expenses')}-{month:%Y-%m}.{extension}"
    if extension == "xlsx":
        content = as_xlsx(header, rows, title=f"{month:%Y-%m}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = as_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@org_permission_required(OWN)
def statement_own(request):
    peer = selectors.volunteer_peer_of(request.membership)
    if peer is None:
        raise Http404
    return _statement(request, peer)


@org_permission_required(COORDINATE)
def statement(request, public_id):
    peer = get_for_org_or_404(
        request, Peer.objects.filter(kind="volunteer").select_related("user"), public_id=public_id
    )
    return _statement(request, peer)


def _statement(request, peer):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), timezone.localdate().year)
    log_read(
        request=request,
        target=peer,
        subject=peer.user,
        reason=gettext_noop("volunteer's yearly statement"),
    )
    return render(
        request,
        "volunteers/statement.html",
        {
            "peer": peer,
            "year": year,
            "statement": selectors.statement(
                peer, selectors.claims_visible_to(request.membership), year
            ),
            "coordinates": has_org_permission(request, COORDINATE),
        },
    )


@org_permission_required("manage_organisation")
def mileage_rate(request):
    form = RateForm(request.POST or None)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services_claims.mileage_rate_set(
            actor=request.user,
            organisation=request.org,
            valid_from=data["valid_from"],
            rate_per_km=data["rate_per_km"],
        ),
    ):
        messages.success(request, _("The rate was saved."))
        return redirect("volunteers_mileage_rate")
    rates = list(
        services_claims.MileageRate.objects.filter(organisation=request.org).select_related(
            "set_by"
        )
    )
    return render(request, "volunteers/mileage_rate.html", {"form": form, "rates": rates})
