"""The privacy officer's retention page: each category's period and ending, the organisation's
own periods, and a dry run of what the next run of the retention job would erase (counts only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from brobyg.lib.forms import add_service_errors
from brobyg.orgs.permissions import org_permission_required
from brobyg.rights import selectors, services
from brobyg.rights.forms import RetentionForm

PERMISSION = "manage_data_requests"


@org_permission_required(PERMISSION)
def retention(request):
    periods = selectors.retention_periods(request.org)
    form = RetentionForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.retention_settings_set(
                actor=request.user,
                organisation=request.org,
                periods=form.cleaned_data,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The retention periods are saved."))
            return redirect("rights_retention")
    return render(
        request,
        "rights/retention.html",
        {
            "form": form,
            "rows": selectors.retention_preview(request.org),
            "runs": selectors.retention_runs(request.org),
        },
    )
