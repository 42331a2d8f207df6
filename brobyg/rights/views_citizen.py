"""The citizen's own data page, without an account: opened by their personal link or by a
one-time code e-mailed to them. It shows what each organisation holds, who looked, downloads
everything, withdraws consents and asks for correction or erasure."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.intake.models import Status as RequestStatusWords
from brobyg.intake.selectors import request_by_link_token
from brobyg.lib.forms import add_service_errors
from brobyg.lib.views import personal_link_response
from brobyg.orgs.choices import Role
from brobyg.people.models import Citizen, ConsentPurpose
from brobyg.people.selectors import current_consents
from brobyg.rights import codes, exports, selectors, services
from brobyg.rights.forms_citizen import AskForm
from brobyg.support.models import HandoverStatus

SESSION_KEY = "rights_my_data"
PENDING_KEY = "rights_my_data_pending"
OPEN_MINUTES = 30


def _open_for(request, citizens) -> None:
    request.session[SESSION_KEY] = {
        "citizens": [str(citizen.public_id) for citizen in citizens],
        "until": (timezone.now() + timedelta(minutes=OPEN_MINUTES)).isoformat(),
    }


def _opened_citizens(request) -> list[Citizen]:
    opened = request.session.get(SESSION_KEY)
    if not opened:
        return []
    until = parse_datetime(opened.get("until", ""))
    if until is None or until <= timezone.now():
        request.session.pop(SESSION_KEY, None)
        return []
    with scopes_disabled():
        return list(
            Citizen.objects.filter(
                public_id__in=opened["citizens"], merged_into__isnull=True
            ).select_related("organisation")
        )


def _label_statuses(data) -> None:
    """The export's status codes, as words in the page's language."""
    requests = data["parts"].get("intake", {}).get("requests", [])
    for item in requests:
        item["status_label"] = RequestStatusWords(item["status"]).label
    for course in data["parts"].get("support", {}).get("courses", []):
        for handover in course["handovers"]:
            handover["status_label"] = HandoverStatus(handover["status"]).label


def _label_access_log(data) -> None:
    """Who looked, for the page: the time as a moment for the date filters, roles as words."""
    roles = dict(Role.choices)
    for entry in data["access_log"]:
        entry["when"] = parse_datetime(entry["at"])
        entry["role_labels"] = [str(roles.get(role, role)) for role in entry["roles"]]


def _score_charts(citizen) -> list[dict]:
    """The citizen's scores over time, as their questionnaire link shows them: only once they
    chose to see their chart when answering."""
    from brobyg.outcomes.charts import citizen_charts
    from brobyg.outcomes.models import Response

    chosen = Response.objects.filter(
        citizen=citizen, completed_at__isnull=False, citizen_sees_chart=True
    )
    return citizen_charts(citizen) if chosen.exists() else []


def _organisation_view(citizen) -> dict:
    with scope(organisation=citizen.organisation_id):
        data = selectors.citizen_export(citizen)
        _label_statuses(data)
        _label_access_log(data)
        consents = [consent for consent in current_consents(citizen).values() if consent.given]
        requests = list(selectors.requests_of(citizen))
        charts = _score_charts(citizen)
    return {
        "citizen": citizen,
        "data": data,
        "charts": charts,
        "consents": sorted(consents, key=lambda consent: consent.purpose),
        "data_requests": requests,
        "ask_form": AskForm(prefix=str(citizen.public_id)),
    }


def _handle_post(request, citizens):
    """A withdrawal or a request from the page; returns a response, or the failed ask form."""
    by_id = {str(citizen.public_id): citizen for citizen in citizens}
    citizen = by_id.get(request.POST.get("record", ""))
    if citizen is None:
        raise Http404
    step = request.POST.get("step", "")
    with scope(organisation=citizen.organisation_id):
        if step == "withdraw":
            purpose = request.POST.get("purpose", "")
            current = {
                (
                    consent.purpose,
                    str(consent.shared_with.public_id) if consent.shared_with_id else "",
                ): consent
                for consent in current_consents(citizen).values()
                if consent.given
            }
            consent = current.get((purpose, request.POST.get("shared_with", "")))
            if consent is not None:
                services.citizen_withdraws_consent(
                    citizen=citizen,
                    purpose=consent.purpose,
                    shared_with=consent.shared_with,
                    request=request,
                )
                messages.success(request, _("Your consent is withdrawn. It takes effect now."))
            return None, None
        if step == "ask":
            form = AskForm(request.POST, prefix=str(citizen.public_id))
            if form.is_valid():
                try:
                    services.citizen_asks(
                        citizen=citizen,
                        kind=form.cleaned_data["kind"],
                        description=form.cleaned_data["description"],
                        request=request,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Your request is sent. The organisation answers within 30 days."),
                    )
                    return None, None
            return citizen, form
    return None, None


def _data_page(request, citizens):
    failed_citizen, failed_form = None, None
    if request.method == "POST":
        failed_citizen, failed_form = _handle_post(request, citizens)
        if failed_form is None:
            return redirect(request.path)
    organisations = [_organisation_view(citizen) for citizen in citizens]
    for view in organisations:
        if failed_citizen is not None and view["citizen"].pk == failed_citizen.pk:
            view["ask_form"] = failed_form
    for citizen in citizens:
        log_action(
            action=Action.READ,
            organisation=citizen.organisation,
            target=citizen,
            subject=citizen,
            reason=gettext_noop("citizen's data page"),
            request=request,
        )
    return render(
        request,
        "rights/my_data.html",
        {
            "organisations": organisations,
            "purposes": dict(ConsentPurpose.choices),
            "open_minutes": OPEN_MINUTES,
        },
    )


START_TEMPLATE = "rights/my_data_start.html"


@never_cache
@require_http_methods(["GET", "POST"])
def my_data(request):
    """The start page (ask for a code, enter it) and, once opened, the data page itself."""
    citizens = _opened_citizens(request)
    if citizens:
        return personal_link_response(_data_page(request, citizens))
    return codes.code_steps(
        request,
        template=START_TEMPLATE,
        pending_key=PENDING_KEY,
        on_open=lambda opened: _open_for(request, opened),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_data_link(request, token):
    """The data page opened by the citizen's personal link (for this organisation's record)."""
    support_request = request_by_link_token(token)
    if support_request is None:
        raise Http404
    with scopes_disabled():
        citizen = Citizen.objects.select_related("organisation").get(
            pk=support_request.citizen.merged_into_id or support_request.citizen_id
        )
    _open_for(request, [citizen])
    return personal_link_response(_data_page(request, [citizen]))


@never_cache
@require_http_methods(["GET"])
def my_data_download(request):
    citizens = {str(citizen.public_id): citizen for citizen in _opened_citizens(request)}
    citizen = citizens.get(request.GET.get("record", ""))
    if citizen is None:
        raise Http404
    file_format = request.GET.get("format", "json")
    if file_format not in exports.FORMATS:
        file_format = "json"
    with scope(organisation=citizen.organisation_id):
        data = selectors.citizen_export(citizen)
    log_action(
        action=Action.EXPORT,
        organisation=citizen.organisation,
        target=citizen,
        subject=citizen,
        reason=gettext_noop("citizen's own download"),
        details={"format": file_format},
        request=request,
    )
    return exports.file_response(data, file_format)


@never_cache
@require_http_methods(["POST"])
def my_data_close(request):
    request.session.pop(SESSION_KEY, None)
    request.session.pop(PENDING_KEY, None)
    messages.info(request, _("Your data page is closed."))
    return codes.start_page(request, START_TEMPLATE)
