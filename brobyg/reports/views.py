"""The evaluation report page, report files with their progress, and their download."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_denied
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.reports import selectors, services
from brobyg.reports.forms import ExportForm, ScopeForm
from brobyg.reports.models import ExportFormat, ReportRun, RunStatus
from brobyg.reports.report import report_for_request


@require_GET
@org_permission_required("view_reports")
def report_page(request):
    if "start" in request.GET:
        data = request.GET
    else:
        data = {key: str(value) for key, value in ScopeForm.initial_values().items()}
    form = ScopeForm(data, organisation=request.org)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = report_for_request(request, data, quotes=not selectors.report_suppressed(request))
        log_action(
            action=Action.READ,
            actor=request.user,
            organisation=request.org,
            object_type="reports.report",
            reason=gettext_noop("evaluation report"),
            details=form.parameters(),
            request=request,
        )
    return _render_page(request, form, report)


def _render_page(request, form, report):
    formats = [
        (value, label)
        for value, label in ExportFormat.choices
        if value != ExportFormat.DATASET or has_org_permission(request, "view_pseudonymised_data")
    ]
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "report": report,
            "formats": formats,
            "can_export": has_org_permission(request, "export_reports"),
        },
    )


@require_POST
@org_permission_required("export_reports")
def export_create(request):
    form = ExportForm(request.POST, organisation=request.org)
    if not form.is_valid():
        return _render_page(request, form, None)
    if form.cleaned_data["format"] == ExportFormat.DATASET and not has_org_permission(
        request, "view_pseudonymised_data"
    ):
        log_denied(request=request, reason="view_pseudonymised_data")
        raise PermissionDenied
    run = services.run_request(
        organisation=request.org,
        actor=request.user,
        format=form.cleaned_data["format"],
        # Quotes are free text: only in files asked for by members who may see citizens.
        parameters={**form.parameters(), "quotes": not selectors.report_suppressed(request)},
        request=request,
    )
    return redirect("reports_run", public_id=run.public_id)


def _own_run(request, public_id):
    return get_for_org_or_404(
        request, ReportRun.objects.filter(requested_by=request.user), public_id=public_id
    )


@require_GET
@org_permission_required("export_reports")
def run_page(request, public_id):
    run = _own_run(request, public_id)
    if request.htmx:
        return render(request, "reports/_run.html", {"run": run})
    return render(request, "reports/run.html", {"run": run, "scope": selectors.run_scope(run)})


@require_GET
@org_permission_required("export_reports")
def run_download(request, public_id):
    run = _own_run(request, public_id)
    if run.status != RunStatus.DONE or run.content is None:
        return redirect("reports_run", public_id=run.public_id)
    services.run_downloaded(run=run, request=request)
    response = HttpResponse(bytes(run.content), content_type=run.content_type)
    response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
    return response
