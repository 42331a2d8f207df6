"""The coordinators' side of intake: waiting list, request page, citizen page, merging records,
and the start-page panels (registered in apps.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_list_read, log_read, log_request
from brobyg.intake import extensions, selectors, services
from brobyg.intake.forms_staff import (
    AgeOverrideForm,
    CitizenMergeForm,
    ConsentRecordForm,
    FirstContactForm,
    StatusForm,
    WaitingListFilterForm,
)
from brobyg.intake.models import Availability, SupportRequest
from brobyg.lib.choices import choice_labels
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.lib.pagination import paginate, paginate_counted
from brobyg.orgs.choices import Purpose
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.people import selectors as people_selectors
from brobyg.people import services as people_services
from brobyg.people.models import Gender, PreferredForm

# At most this many urgent requests are listed on the start page; the rest are a link away.
URGENT_ON_START_PAGE = 20


# Waiting list


@org_permission_required("view_waiting_list")
def waiting_list(request):
    filters = WaitingListFilterForm(request.GET or None, organisation=request.org)
    criteria = {}
    if filters.is_bound and not filters.is_valid():
        requests = SupportRequest.objects.none()
    else:
        data = filters.cleaned_data if filters.is_bound else {}
        criteria = filters.criteria() if filters.is_bound else {}
        requests = selectors.waiting_list(
            request.org,
            programme=data.get("programme"),
            status=data.get("status", ""),
            urgent_only=data.get("urgent", False),
            query=data.get("q", "").strip(),
        )
    # A search finds its requests whole to sort them: the page and their count in one query.
    page = (paginate_counted if criteria.get("q") else paginate)(request, requests)
    rows = selectors.waiting_list_rows(page.object_list)
    log_list_read(
        request=request,
        subjects=[support_request.citizen for support_request in page.object_list],
        action=Action.SEARCH if criteria else Action.READ,
        object_type="intake.supportrequest",
        reason=gettext_noop("waiting list"),
        details={"criteria": criteria, "results": page.paginator.count, "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/staff/waiting_list.html",
        {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()},
    )


# Request page and its actions


def _get_request(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.request_for_page(selectors.requests_visible_to(request.membership)),
        public_id=public_id,
    )


def _render_request(request, support_request, *, failed="", **bound_forms):
    """The request page; ``failed`` names the form shown again with what was typed and errors."""
    log_read(
        request=request,
        target=support_request,
        subject=support_request.citizen,
        reason=gettext_noop("request page"),
    )
    wish_gender = support_request.wish_gender
    context = {
        "support_request": support_request,
        "citizen": support_request.citizen,
        "sees_text": selectors.request_text_visible(request.membership),
        "days_waiting": selectors.days_waiting(support_request),
        "purposes": choice_labels(Purpose, support_request.purposes),
        "preferred_forms": choice_labels(PreferredForm, support_request.forms),
        "availability": choice_labels(Availability, support_request.availability),
        "wish_gender": choice_labels(Gender, [wish_gender])[0] if wish_gender else "",
        "has_duplicates": people_selectors.possible_duplicates(support_request.citizen).exists(),
        "events": selectors.request_history(support_request),
        "status_form": StatusForm(support_request=support_request),
        "first_contact_form": FirstContactForm(),
        "age_override_form": AgeOverrideForm(),
        "failed": failed,
        **bound_forms,
    }
    return render(request, "intake/staff/request_detail.html", context)


@org_permission_required("view_waiting_list")
def request_detail(request, public_id):
    return _render_request(request, _get_request(request, public_id))


def _request_action(request, support_request, form, *, name, call, success):
    """One action of the request page: the service, then back to the page; or, when the form or
    the service finds a problem, the page again with the form as typed and its errors."""
    if run_form_action(form, call):
        messages.success(request, success)
        return redirect("intake_request_detail", public_id=support_request.public_id)
    support_request.refresh_from_db()
    return _render_request(request, support_request, failed=name, **{name: form})


@org_permission_required("manage_requests")
@require_POST
def request_status(request, public_id):
    support_request = _get_request(request, public_id)
    return _request_action(
        request,
        support_request,
        StatusForm(request.POST, support_request=support_request),
        name="status_form",
        call=lambda data: services.request_change_status(
            actor=request.user,
            support_request=support_request,
            status=data["status"],
            reason=data["reason"],
            request=request,
        ),
        success=_("The status was changed."),
    )


@org_permission_required("manage_requests")
@require_POST
def request_first_contact(request, public_id):
    support_request = _get_request(request, public_id)
    return _request_action(
        request,
        support_request,
        FirstContactForm(request.POST),
        name="first_contact_form",
        call=lambda data: services.request_record_first_contact(
            actor=request.user,
            support_request=support_request,
            date=data["date"],
            method=data["method"],
            request=request,
        ),
        success=_("The first contact was recorded."),
    )


@org_permission_required("manage_requests")
@require_POST
def request_age_override(request, public_id):
    support_request = _get_request(request, public_id)
    return _request_action(
        request,
        support_request,
        AgeOverrideForm(request.POST),
        name="age_override_form",
        call=lambda data: services.request_override_minimum_age(
            actor=request.user,
            support_request=support_request,
            reason=data["reason"],
            request=request,
        ),
        success=_("The age limit was set aside for this request."),
    )


# Citizen page and merging records


def _get_citizen(request, public_id):
    return get_for_org_or_404(
        request,
        people_selectors.citizens_visible_to(request.membership).select_related("merged_into"),
        public_id=public_id,
    )


@org_permission_required("view_citizen")
def citizen_detail(request, public_id):
    citizen = _get_citizen(request, public_id)
    consents = list(people_selectors.consent_history(citizen))
    duplicates = [] if citizen.merged_into_id else people_selectors.duplicate_matches(citizen)
    log_request(
        request,
        action=Action.READ,
        target=citizen,
        subject=citizen,
        reason=gettext_noop("citizen page"),
        details={"possible_duplicates": [str(match["citizen"].public_id) for match in duplicates]},
    )
    current = people_selectors.current_consents(citizen)
    return render(
        request,
        "intake/staff/citizen_detail.html",
        {
            "citizen": citizen,
            "sees_text": selectors.request_text_visible(request.membership),
            "requests": selectors.requests_of_citizen(citizen),
            "current_consents": sorted(current.values(), key=lambda consent: consent.purpose),
            "consent_history": consents[::-1],
            "timeline": selectors.citizen_timeline(citizen, consents=consents),
            "duplicates": duplicates,
            "merged_records": people_selectors.records_merged_into(citizen),
            "sections": extensions.citizen_sections(request, citizen),
        },
    )


def _render_merge(request, citizen, form):
    other = form.cleaned_data["duplicate"]
    for record in (citizen, other):
        log_read(
            request=request,
            target=record,
            subject=record,
            reason=gettext_noop("merge confirmation"),
        )
    keep = form["keep"].value() or CitizenMergeForm.KEEP_THIS
    return render(
        request,
        "intake/staff/citizen_merge.html",
        {
            "citizen": citizen,
            "other": other,
            "form": form,
            "records": [
                {
                    "value": value,
                    "record": record,
                    "checked": keep == value,
                    "request_count": selectors.requests_of_citizen(record).count(),
                }
                for value, record in (
                    (CitizenMergeForm.KEEP_THIS, citizen),
                    (CitizenMergeForm.KEEP_OTHER, other),
                )
            ],
        },
    )


@org_permission_required("manage_citizen")
@require_POST
def citizen_merge(request, public_id):
    """Step one (from the citizen page) shows both records side by side; step two merges."""
    visible = people_selectors.citizens_visible_to(request.membership)
    citizen = _get_citizen(request, public_id)
    form = CitizenMergeForm(
        request.POST, citizen=citizen, candidates=visible.filter(merged_into__isnull=True)
    )
    valid = form.is_valid()
    if "duplicate" not in form.cleaned_data:
        messages.error(request, _("Choose one of the possible duplicates to merge with."))
        return redirect("intake_citizen_detail", public_id=citizen.public_id)
    if valid and form.cleaned_data["confirm"]:
        keep, duplicate = form.records()
        try:
            people_services.citizens_merge(
                actor=request.user, keep=keep, duplicate=duplicate, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The records were merged. Nothing was deleted: all history is here.")
            )
            return redirect("intake_citizen_detail", public_id=keep.public_id)
    return _render_merge(request, citizen, form)


@org_permission_required("record_consent")
def citizen_consent(request, public_id):
    """Record a consent the citizen gives or withdraws; a withdrawal takes effect at once."""
    citizen = _get_citizen(request, public_id)
    form = ConsentRecordForm(request.POST or None, organisation=request.org)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: people_services.consent_record(
            actor=request.user,
            citizen=citizen,
            purpose=data["purpose"],
            given=data["given"],
            method=data["method"],
            shared_with=data["shared_with"],
            request=request,
        ),
    ):
        messages.success(request, _("The consent is recorded and applies from now on."))
        return redirect(reverse("intake_citizen_detail", args=[citizen.public_id]) + "#consents")
    log_read(request=request, target=citizen, subject=citizen, reason=gettext_noop("consent"))
    return render(request, "intake/staff/citizen_consent.html", {"citizen": citizen, "form": form})


# Start-page panels (registered in apps.py)


def urgent_panel(request) -> dict:
    """Open requests from citizens in crisis: each must be contacted today."""
    urgent = list(selectors.urgent_open_requests(request.org)[: URGENT_ON_START_PAGE + 1])
    more = len(urgent) > URGENT_ON_START_PAGE
    urgent = urgent[:URGENT_ON_START_PAGE]
    if urgent:
        log_list_read(
            request=request,
            subjects=[support_request.citizen for support_request in urgent],
            object_type="intake.supportrequest",
            reason=gettext_noop("start page: urgent requests"),
            details={"results": len(urgent)},
        )
    now = timezone.now()
    rows = [{"request": r, "days_waiting": selectors.days_waiting(r, now=now)} for r in urgent]
    return {"rows": rows, "more": more}


def queues_panel(request) -> dict:
    """Per programme: how many wait and the median days they have waited."""
    return {"figures": selectors.queue_figures(request.org)}
