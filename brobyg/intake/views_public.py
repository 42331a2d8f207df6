"""The citizen's side of intake: self-referral (no log-in), the receipt, and the personal link.

Public pages never need a log-in, and show nothing but the one request a personal link points to.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.intake import selectors, services
from brobyg.intake.extensions import personal_stages
from brobyg.intake.forms_public import YES, ContactForm, SelfReferralForm
from brobyg.intake.models import Status
from brobyg.lib import crypto
from brobyg.lib.forms import add_service_errors
from brobyg.lib.ratelimit import count_submission, over_rate_limit, rate_limit
from brobyg.lib.views import noindex, personal_link_response
from brobyg.orgs.models import Organisation, Programme

RECEIPT_SESSION_KEY = "intake_receipt"

# What each status means, in the citizen's words.
STATUS_EXPLANATIONS = {
    Status.NEW: gettext_lazy(
        "We have received your request. A coordinator will read it and contact you."
    ),
    Status.SCREENED: gettext_lazy(
        "A coordinator has read your request and will talk with you about what could suit you."
    ),
    Status.WAITING: gettext_lazy(
        "You are on the waiting list. We will contact you when a peer who suits you is free."
    ),
    Status.MATCHED: gettext_lazy(
        "You have been matched with a peer. You will be contacted to arrange your first meeting."
    ),
    Status.REFERRED_ELSEWHERE: gettext_lazy(
        "The coordinator believes another offer suits you better and will tell you, or has "
        "told you, where to turn."
    ),
    Status.WITHDRAWN: gettext_lazy(
        "You have withdrawn your request. You are welcome to ask for support again at any time."
    ),
    Status.DECLINED: gettext_lazy(
        "We cannot offer you peer support in this programme. The coordinator will tell you, or "
        "has told you, why."
    ),
}


# Self-referral


def _closed(request, programme=None):
    """A kind answer for a programme or organisation that does not take requests (404)."""
    return render(request, "intake/public/closed.html", {"programme": programme}, status=404)


def _active_programmes(organisation):
    return Programme.objects.filter(organisation=organisation, is_active=True).order_by("name")


@require_http_methods(["GET", "POST"])
def self_referral(request, public_id):
    with scopes_disabled():
        programme = (
            Programme.objects.select_related("organisation")
            .filter(public_id=public_id, organisation__is_active=True)
            .first()
        )
    if programme is None:
        return _closed(request)
    if not programme.is_active:
        return _closed(request, programme)
    with scope(organisation=programme.organisation_id):
        return _self_referral(request, programme.organisation, programme=programme)


@require_http_methods(["GET", "POST"])
def self_referral_organisation(request, public_id):
    organisation = Organisation.objects.filter(public_id=public_id, is_active=True).first()
    if organisation is None:
        return _closed(request)
    with scope(organisation=organisation.pk):
        programmes = _active_programmes(organisation)
        if not programmes.exists():
            return _closed(request)
        return _self_referral(request, organisation, programmes=programmes)


def _self_referral(request, organisation, *, programme=None, programmes=None):
    data = request.POST if request.method == "POST" else None
    form = SelfReferralForm(data, programmes=programmes)
    context = {
        "form": form,
        "organisation": organisation,
        "programme": programme,
    }
    if request.method == "POST":
        # A citizen in crisis sees the emergency numbers even if the form must be corrected.
        context["crisis_answered_yes"] = request.POST.get("in_crisis") == YES
        if over_rate_limit(request):
            return render(
                request,
                "intake/public/self_referral.html",
                {**context, "rate_limited": True, "minutes": rate_limit()[1] // 60 or 1},
                status=429,
            )
        if form.honeypot_filled():
            # Only robots fill the hidden field: pretend it worked, save nothing.
            count_submission(request)
            request.session.pop(RECEIPT_SESSION_KEY, None)
            return redirect("intake_receipt")
        if form.is_valid():
            count_submission(request)
            try:
                support_request, token = services.request_submit(
                    programme=programme or form.cleaned_data["programme"],
                    request=request,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _remember_receipt(request, support_request, token)
                return redirect("intake_receipt")
    return render(request, "intake/public/self_referral.html", context)


def _remember_receipt(request, support_request, token: str) -> None:
    """Carry what the receipt shows to the next page; the link's secret only encrypted."""
    request.session[RECEIPT_SESSION_KEY] = {
        "token": crypto.encrypt(token),
        "in_crisis": support_request.in_crisis,
        "below_minimum_age": support_request.below_minimum_age,
        "minimum_age": support_request.programme.minimum_age,
        "programme": support_request.programme.name,
        "organisation": support_request.organisation.name,
        "emailed": bool(support_request.citizen.email),
    }


@never_cache
@require_http_methods(["GET"])
def receipt(request):
    """Shows the personal link once: it leaves the session as it is shown."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None) or {}
    link = ""
    if receipt.get("token"):
        link = request.build_absolute_uri(
            reverse("intake_personal_page", kwargs={"token": crypto.decrypt(receipt["token"])})
        )
    return noindex(
        render(request, "intake/public/receipt.html", {"receipt": receipt, "link": link})
    )


# The personal link


@never_cache
@require_http_methods(["GET", "POST"])
def personal_page(request, token):
    support_request = selectors.request_by_link_token(token)
    if support_request is None:
        raise Http404
    with scope(organisation=support_request.organisation_id):
        response = _personal_page(request, support_request, token)
    return personal_link_response(response)


def _personal_page(request, support_request, token):
    citizen = support_request.citizen
    step = request.POST.get("step", "") if request.method == "POST" else ""
    contact_form = ContactForm.for_citizen(citizen, request.POST if step == "contact" else None)
    if step == "contact" and contact_form.is_valid():
        try:
            services.citizen_update_contact_by_link(
                support_request=support_request, data=contact_form.cleaned_data, request=request
            )
        except ValidationError as error:
            add_service_errors(contact_form, error)
        else:
            messages.success(request, _("Your contact details were saved."))
            return redirect(request.path)
    elif step in ("withdraw", "withdraw_confirmed") and not support_request.is_open:
        messages.info(request, _("Your request is already closed."))
        return redirect(request.path)
    elif step == "withdraw":
        return render(
            request, "intake/public/withdraw_confirm.html", {"support_request": support_request}
        )
    elif step == "withdraw_confirmed":
        services.request_withdraw_by_citizen(support_request=support_request, request=request)
        messages.success(request, _("Your request has been withdrawn."))
        return redirect(request.path)
    log_action(
        action=Action.READ,
        organisation=support_request.organisation,
        target=support_request,
        subject=citizen,
        reason=gettext_noop("citizen's personal link"),
        request=request,
    )
    stages = personal_stages(support_request, token)
    return render(
        request,
        "intake/public/personal_page.html",
        {
            "support_request": support_request,
            "status_explanation": STATUS_EXPLANATIONS[Status(support_request.status)],
            "stages": stages,
            "current_stage": stages[-1] if stages else None,
            "contact_form": contact_form,
        },
    )
