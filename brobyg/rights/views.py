"""The privacy officer's pages: register and answer data-protection requests, legal holds."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_list_read, log_read, log_request
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.orgs.permissions import (
    get_for_org_or_404,
    has_org_permission,
    org_permission_required,
)
from brobyg.people.models import Citizen
from brobyg.people.selectors import citizen_public_ids_matching, citizens_visible_to
from brobyg.rights import exports, processing, selectors, services
from brobyg.rights.forms import (
    CitizenCorrectionForm,
    CitizenSearchForm,
    DataRequestForm,
    DecisionForm,
    LegalHoldForm,
)
from brobyg.rights.models import DataRequest, LegalHold

PERMISSION = "manage_data_requests"


@org_permission_required(PERMISSION)
def request_list(request):
    search = CitizenSearchForm(request.GET or None)
    found = []
    if search.is_bound and search.is_valid() and search.cleaned_data["q"].strip():
        ids = citizen_public_ids_matching(request.org, search.cleaned_data["q"].strip())
        found = list(
            Citizen.objects.filter(public_id__in=ids, merged_into__isnull=True).order_by("name")[
                :20
            ]
        )
    open_requests = list(selectors.open_requests(request.org))
    answered = list(selectors.answered_requests(request.org))
    shown = [r.citizen for r in open_requests + answered] + found
    log_list_read(
        request=request,
        subjects=shown,
        object_type="rights.datarequest",
        action=Action.SEARCH if found else Action.READ,
        reason=gettext_noop("data-protection requests"),
    )
    return render(
        request,
        "rights/request_list.html",
        {
            "search": search,
            "found": found,
            "open_requests": open_requests,
            "answered": answered,
            "today": timezone.localdate(),
        },
    )


@org_permission_required(PERMISSION)
def request_create(request, public_id):
    citizen = get_for_org_or_404(request, Citizen.objects.all(), public_id=public_id)
    form = DataRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_on = data["received_on"]
        received_at = (
            timezone.now()
            if received_on == timezone.localdate()
            else timezone.make_aware(datetime.combine(received_on, time(12)))
        )
        try:
            data_request = services.data_request_register(
                actor=request.user,
                citizen=citizen,
                kind=data["kind"],
                description=data["description"],
                received_at=received_at,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request is registered."))
            return redirect("rights_request_detail", public_id=data_request.public_id)
    log_read(
        request=request,
        target=citizen,
        subject=citizen,
        reason=gettext_noop("registering a data-protection request"),
    )
    return render(request, "rights/request_create.html", {"citizen": citizen, "form": form})


def _detail_context(request, data_request, *, decision=None, hold_form=None):
    records = selectors.person_records(data_request.citizen)
    shredders = selectors.shredder_summary(records)
    labels = {item["name"]: item["label"] for item in shredders}
    holds = list(selectors.holds_of(data_request.citizen))
    for hold in holds:
        hold.category_label = labels.get(hold.category, hold.category)
    erased = [
        {
            "label": labels.get(name, name),
            "changes": sum(value for value in counts.values() if isinstance(value, int)),
        }
        for name, counts in data_request.result.get("shredders", {}).items()
    ]
    return {
        "data_request": data_request,
        "citizen": data_request.citizen,
        "shredders": shredders,
        "erased": erased,
        "datasets": data_request.result.get("shredders", {})
        .get("reports", {})
        .get("datasets_given_before", []),
        "holds": holds,
        "other_requests": selectors.requests_of(data_request.citizen).exclude(pk=data_request.pk),
        "decision": decision or DecisionForm(data_request=data_request),
        "hold_form": hold_form or LegalHoldForm(),
        "today": timezone.localdate(),
    }


def _detail_page(request, data_request, **forms):
    """The request's page (also with a form's errors after a refused post); reading it is logged."""
    log_read(
        request=request,
        target=data_request,
        subject=data_request.citizen,
        reason=gettext_noop("data-protection request"),
    )
    return render(
        request, "rights/request_detail.html", _detail_context(request, data_request, **forms)
    )


@org_permission_required(PERMISSION)
def request_detail(request, public_id):
    data_request = get_for_org_or_404(
        request, DataRequest.objects.select_related("citizen"), public_id=public_id
    )
    return _detail_page(request, data_request)


@require_POST
@org_permission_required(PERMISSION)
def request_decide(request, public_id):
    data_request = get_for_org_or_404(
        request, DataRequest.objects.select_related("citizen"), public_id=public_id
    )
    form = DecisionForm(request.POST, data_request=data_request)
    if form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == DecisionForm.ERASE:
                services.citizen_erase(
                    actor=request.user, data_request=data_request, note=note, request=request
                )
            elif decision == DecisionForm.REFUSE:
                services.data_request_refuse(
                    actor=request.user, data_request=data_request, note=note, request=request
                )
            else:
                services.data_request_complete(
                    actor=request.user, data_request=data_request, note=note, request=request
                )
        except services.LegalHoldRefusal as refusal:
            services.erasure_blocked_log(
                actor=request.user, data_request=data_request, holds=refusal.holds, request=request
            )
            labels = ", ".join(str(item["label"]) for item in _held(data_request, refusal.holds))
            form.add_error(
                None,
                _(
                    "Nothing was erased: a legal hold keeps this data: %(labels)s. Lift the hold "
                    "when the duty ends, or refuse the request and tell the citizen why."
                )
                % {"labels": labels},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("rights_request_detail", public_id=data_request.public_id)
    return _detail_page(request, data_request, decision=form)


def _held(data_request, holds):
    categories = {hold.category for hold in holds}
    records = selectors.person_records(data_request.citizen)
    return [item for item in selectors.shredder_summary(records) if item["name"] in categories]


@require_POST
@org_permission_required(PERMISSION)
def hold_place(request, public_id):
    data_request = get_for_org_or_404(
        request, DataRequest.objects.select_related("citizen"), public_id=public_id
    )
    form = LegalHoldForm(request.POST)
    if run_form_action(
        form,
        lambda data: services.legal_hold_place(
            actor=request.user,
            citizen=data_request.citizen,
            category=data["category"],
            reason=data["reason"],
            request=request,
        ),
    ):
        messages.success(request, _("The legal hold is recorded."))
        return redirect("rights_request_detail", public_id=data_request.public_id)
    return _detail_page(request, data_request, hold_form=form)


@require_POST
@org_permission_required(PERMISSION)
def hold_lift(request, public_id):
    hold = get_for_org_or_404(
        request, LegalHold.objects.select_related("citizen"), public_id=public_id
    )
    try:
        services.legal_hold_lift(actor=request.user, hold=hold, request=request)
    except ValidationError:
        messages.info(request, _("This hold has already been lifted."))
    else:
        messages.success(request, _("The legal hold is lifted."))
    latest = selectors.requests_of(hold.citizen).first()
    if latest is None:
        return redirect("rights_request_list")
    return redirect("rights_request_detail", public_id=latest.public_id)


@org_permission_required(PERMISSION)
def request_export(request, public_id):
    """The complete export for an access request, as JSON (default) or PDF."""
    data_request = get_for_org_or_404(
        request, DataRequest.objects.select_related("citizen"), public_id=public_id
    )
    file_format = request.GET.get("format", "json")
    if file_format not in exports.FORMATS:
        file_format = "json"
    data = selectors.citizen_export(data_request.citizen)
    log_request(
        request,
        action=Action.EXPORT,
        target=data_request,
        subject=data_request.citizen,
        reason=gettext_noop("access request export"),
        details={"format": file_format},
    )
    return exports.file_response(data, file_format)


def _correctable_citizens(request):
    """A privacy officer answers for every citizen of the organisation; other staff correct the
    citizens they may see."""
    if has_org_permission(request, PERMISSION):
        return Citizen.objects.filter(organisation=request.org)
    return citizens_visible_to(request.membership)


@org_permission_required("correct_citizen")
def citizen_correct(request, public_id):
    citizen = get_for_org_or_404(request, _correctable_citizens(request), public_id=public_id)
    form = CitizenCorrectionForm(request.POST or None, instance=citizen)
    if request.method == "POST" and form.is_valid():
        data, cpr = form.changes()
        try:
            services.citizen_correct(
                actor=request.user, citizen=citizen, data=data, cpr=cpr, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The citizen's details are corrected."))
            return redirect(request.path)
    log_read(
        request=request,
        target=citizen,
        subject=citizen,
        reason=gettext_noop("correcting a citizen's details"),
    )
    return render(request, "rights/citizen_correct.html", {"citizen": citizen, "form": form})


@org_permission_required(PERMISSION)
def processing_record(request):
    """The organisation's record of processing (art. 30), as a page or a PDF."""
    record = processing.processing_record(request.org)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(processing_pdf(record), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="brobyg-art30.pdf"'
        return response
    return render(request, "rights/processing_record.html", {"record": record})


def processing_pdf(record) -> bytes:
    from weasyprint import HTML

    html = render_to_string("rights/processing_record_pdf.html", {"record": record})
    return HTML(string=html).write_pdf(pdf_tags=True)
