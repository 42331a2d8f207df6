"""The evaluation report page (its stored figures and their refresh with progress), report
files with their progress, and their download."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_denied
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.reports import selectors, services, snapshots
from brobyg.reports.forms import ExportForm, ScopeForm
from brobyg.reports.models import ExportFormat, ReportRun, RunStatus, SnapshotStatus


def _log_read(request, details: dict) -> None:
    log_action(
        action=Action.READ,
        actor=request.user,
        organisation=request.org,
        object_type="reports.report",
        reason=gettext_noop("evaluation report"),
        details=details,
        request=request,
    )


def _quotes(request) -> bool:
    # Quotes are free text: only for members who may see citizens, and always read live.
    return not selectors.report_suppressed(request)


@require_GET
@org_permission_required("view_reports")
def report_page(request):
    if "start" in request.GET:
        data = request.GET
    else:
        data = {key: str(value) for key, value in ScopeForm.initial_values().items()}
    form = ScopeForm(data, organisation=request.org)
    snapshot = report = None
    if form.is_valid():
        snapshot = services.snapshot_for_page(
            organisation=request.org,
            parameters=snapshots.snapshot_parameters(
                choices=form.cleaned_data,
                suppressed=selectors.report_suppressed(request),
                language=translation.get_language() or "da",
            ),
        )
        report = services.snapshot_report(snapshot, quotes=_quotes(request))
        _log_read(request, form.parameters())
    return _render_page(request, form, report, snapshot)


def _scope_details(snapshot) -> dict:
    return {key: snapshot.parameters[key] for key in ("programmes", "start", "end", "follow_up")}


def _snapshot_part(request, snapshot):
    """The report's status (time, progress, failure, "Compute again"); once a refresh is done,
    with the new figures to swap in (an audited read of the report, as the page is)."""
    context = {"snapshot": snapshot}
    if snapshot.status == SnapshotStatus.DONE:
        context["report"] = services.snapshot_report(snapshot, quotes=_quotes(request))
        context["swap_figures"] = context["report"] is not None
        if context["swap_figures"]:
            _log_read(request, _scope_details(snapshot))
    return render(request, "reports/_snapshot.html", context)


def _back_to_report(snapshot):
    return redirect(f"{reverse('reports_report')}?{selectors.scope_query(snapshot.parameters)}")


@require_GET
@org_permission_required("view_reports")
def snapshot_status(request, public_id):
    """Polled by the report page while its figures are being computed."""
    snapshot = get_for_org_or_404(request, selectors.snapshots_for(request), public_id=public_id)
    if not request.htmx:
        return _back_to_report(snapshot)
    return _snapshot_part(request, snapshot)


@require_POST
@org_permission_required("view_reports")
def snapshot_refresh(request, public_id):
    """The "Compute again" button: queue a refresh of the figures shown (one at a time)."""
    snapshot = get_for_org_or_404(request, selectors.snapshots_for(request), public_id=public_id)
    snapshot = services.snapshot_refresh_request(
        organisation=request.org, parameters=snapshot.parameters
    )
    if not request.htmx:
        return _back_to_report(snapshot)
    return _snapshot_part(request, snapshot)


def _render_page(request, form, report, snapshot=None):
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
            "snapshot": snapshot,
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
