"""The referrer's side of intake: referring a citizen, and the status of one's referrals."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from brobyg.audit.services import log_list_read, log_read
from brobyg.intake import extensions, selectors, services
from brobyg.intake.forms_referral import ReferralForm
from brobyg.lib.forms import add_service_errors
from brobyg.lib.pagination import paginate
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required


@org_permission_required("submit_referral")
@require_http_methods(["GET", "POST"])
def referral_create(request):
    form = ReferralForm(
        request.POST if request.method == "POST" else None, organisation=request.org
    )
    if request.method == "POST" and form.is_valid():
        try:
            support_request, _token = services.request_submit(
                actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("intake_referral_sent", public_id=support_request.public_id)
    return render(request, "intake/referral/referral_form.html", {"form": form})


@org_permission_required("submit_referral")
@require_http_methods(["GET"])
def referral_sent(request, public_id):
    """Confirms a referral to the member of staff who sent it, with what to do next."""
    support_request = get_for_org_or_404(
        request,
        selectors.requests_referred_by(request.org, request.user).defer(None),
        public_id=public_id,
    )
    log_read(
        request=request,
        target=support_request,
        subject=support_request.citizen,
        reason=gettext_noop("referral sent"),
    )
    return render(
        request, "intake/referral/referral_sent.html", {"support_request": support_request}
    )


@org_permission_required("view_referral_status")
@require_http_methods(["GET"])
def referral_list(request):
    """The requests this member of staff referred: status only, never notes."""
    page = paginate(request, selectors.requests_referred_by(request.org, request.user))
    referrals = list(page.object_list)
    later = extensions.later_statuses(referrals)
    for referral in referrals:
        referral.later_status = later.get(referral.pk, [])
    log_list_read(
        request=request,
        subjects=[support_request.citizen for support_request in referrals],
        object_type="intake.supportrequest",
        reason=gettext_noop("referrer's status list"),
        details={"results": page.paginator.count},
    )
    return render(
        request, "intake/referral/referral_list.html", {"referrals": referrals, "page": page}
    )
