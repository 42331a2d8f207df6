"""The public application page of an organisation: no log-in, the same safeguards as the public
request for support (the crisis question with the emergency numbers, the rate limit, the robot
trap, the consent to store it, a receipt page that shows nothing personal)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from brobyg.intake.forms_public import YES
from brobyg.lib.forms import add_service_errors
from brobyg.lib.ratelimit import count_submission, over_rate_limit, rate_limit
from brobyg.lib.views import noindex, personal_link_response
from brobyg.orgs.models import Organisation
from brobyg.volunteers import selectors, services, services_agreement
from brobyg.volunteers.forms import AcceptAgreementForm, ApplicationForm

RECEIPT_SESSION_KEY = "volunteer_receipt"


@require_http_methods(["GET", "POST"])
def apply(request, public_id):
    organisation = Organisation.objects.filter(public_id=public_id, is_active=True).first()
    if organisation is None:
        return render(request, "volunteers/public/closed.html", status=404)
    with scope(organisation=organisation.pk):
        return _apply(request, organisation)


def _apply(request, organisation):
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "organisation": organisation}
    if request.method == "POST":
        context["crisis_answered_yes"] = request.POST.get("in_crisis") == YES
        if over_rate_limit(request):
            return render(
                request,
                "volunteers/public/apply.html",
                {**context, "rate_limited": True, "minutes": rate_limit()[1] // 60 or 1},
                status=429,
            )
        if form.honeypot_filled():
            count_submission(request)
            request.session.pop(RECEIPT_SESSION_KEY, None)
            return redirect("volunteer_received")
        if form.is_valid():
            count_submission(request)
            try:
                application = services.application_submit(
                    organisation=organisation, request=request, **form.service_arguments()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[RECEIPT_SESSION_KEY] = {
                    "organisation": organisation.name,
                    "in_crisis": application.in_crisis,
                }
                return redirect("volunteer_received")
    return render(request, "volunteers/public/apply.html", context)


@never_cache
@require_http_methods(["GET"])
def received(request):
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None) or {}
    return noindex(render(request, "volunteers/public/received.html", {"receipt": receipt}))


@never_cache
@require_http_methods(["GET", "POST"])
def agreement(request, token):
    """The applicant reads the agreement they were sent and accepts it."""
    application = selectors.application_by_agreement_token(token)
    if application is None:
        raise Http404
    with scope(organisation=application.organisation_id):
        form = AcceptAgreementForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            services_agreement.agreement_accept(application=application, request=request)
            messages.success(request, _("Thank you. You have accepted the agreement."))
            return personal_link_response(redirect(request.path))
        application.refresh_from_db()
        response = render(
            request,
            "volunteers/public/agreement.html",
            {"application": application, "version": application.agreement_sent, "form": form},
        )
    return personal_link_response(response)
