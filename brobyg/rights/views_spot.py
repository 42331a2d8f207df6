"""The privacy officer's monthly spot checks of the access log (stikprøvekontrol)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.selectors import subject_names
from brobyg.audit.services import log_list_read
from brobyg.lib.forms import add_service_errors
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.people.models import Citizen
from brobyg.rights import services
from brobyg.rights.forms import SpotCheckDrawForm, SpotCheckMarkForm
from brobyg.rights.models import SpotCheck, SpotCheckItem

PERMISSION = "manage_data_requests"


def _last_month():
    return (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)


@org_permission_required(PERMISSION)
def spot_check_list(request):
    form = SpotCheckDrawForm(request.POST or None, initial={"month": _last_month()})
    if request.method == "POST" and form.is_valid():
        try:
            spot_check = services.spot_check_draw(
                actor=request.user,
                organisation=request.org,
                month=form.cleaned_data["month"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("rights_spot_check_detail", public_id=spot_check.public_id)
    checks = SpotCheck.objects.filter(organisation=request.org).annotate(
        sample=Count("items"),
        marked_count=Count("items", filter=Q(items__marked_at__isnull=False)),
        unjustified_count=Count("items", filter=Q(items__justified=False)),
    )
    return render(request, "rights/spot_check_list.html", {"form": form, "checks": checks})


@org_permission_required(PERMISSION)
def spot_check_detail(request, public_id):
    spot_check = get_for_org_or_404(request, SpotCheck.objects.all(), public_id=public_id)
    items = list(spot_check.items.select_related("actor"))
    names = subject_names(items)
    for item in items:
        item.subject_name = names.get(item.subject_id, "")
        item.form = SpotCheckMarkForm(
            initial={
                "justified": {True: "yes", False: "no"}.get(item.justified, ""),
                "note": item.note,
            },
            prefix=str(item.public_id),
        )
    citizens = Citizen.objects.filter(
        public_id__in=[i.subject_id for i in items if i.subject_type == "citizen"]
    )
    log_list_read(
        request=request,
        subjects=citizens,
        object_type="rights.spotcheck",
        action=Action.READ,
        reason=gettext_noop("log spot check"),
    )
    return render(
        request, "rights/spot_check_detail.html", {"spot_check": spot_check, "items": items}
    )


@require_POST
@org_permission_required(PERMISSION)
def spot_check_mark(request, public_id):
    item = get_for_org_or_404(
        request, SpotCheckItem.objects.select_related("spot_check"), public_id=public_id
    )
    form = SpotCheckMarkForm(request.POST, prefix=str(item.public_id))
    if form.is_valid():
        services.spot_check_mark(
            actor=request.user,
            item=item,
            justified=form.cleaned_data["justified"] == "yes",
            note=form.cleaned_data["note"],
            request=request,
        )
        messages.success(request, _("The finding is recorded."))
    else:
        messages.error(request, _("Choose whether the read was justified."))
    return redirect("rights_spot_check_detail", public_id=item.spot_check.public_id)
