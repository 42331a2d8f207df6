"""The citizen's answer to a proposal, through their personal link (no log-in).

The page shows the peer's first name, their own presentation and the practical fit; never the
peer's lived experience, which they share with coordinators only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.intake.selectors import request_by_link_token
from brobyg.lib.forms import add_service_errors
from brobyg.lib.views import personal_link_response
from brobyg.matching import selectors, services
from brobyg.matching.explain import citizen_lines
from brobyg.matching.forms import CitizenAnswerForm
from brobyg.matching.models import CitizenAnswerMethod, MatchStatus
from brobyg.matching.notifications import first_name
from brobyg.matching.personal import proposal_waiting_for


@never_cache
@require_http_methods(["GET", "POST"])
def citizen_answer(request, token):
    match = selectors.match_by_link_token(token)
    if match is None:
        # Used, renewed or never issued: the page says so kindly (404, nothing about the match).
        return personal_link_response(
            render(request, "matching/public/link_closed.html", status=404)
        )
    with scope(organisation=match.organisation_id):
        response = _citizen_answer(request, match, token)
    return personal_link_response(response)


@never_cache
@require_http_methods(["GET", "POST"])
def request_proposal(request, token):
    """The same answer, reached from the citizen's personal page: the request's personal link is
    the authorisation, so the proposal's own e-mailed link is not needed."""
    support_request = request_by_link_token(token)
    if support_request is None:
        raise Http404
    with scope(organisation=support_request.organisation_id):
        match = proposal_waiting_for(support_request)
        if match is None:
            response = render(request, "matching/public/link_closed.html", status=404)
        else:
            response = _citizen_answer(request, match, token, check_expiry=False)
    return personal_link_response(response)


def _citizen_answer(request, match, token, check_expiry=True):
    if check_expiry and match.link_expires_at and match.link_expires_at < timezone.now():
        return render(request, "matching/public/link_closed.html", {"expired": True}, status=410)
    if match.status != MatchStatus.PEER_ACCEPTED:
        return render(request, "matching/public/link_closed.html", status=404)
    form = CitizenAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_citizen_answer(
                match=match,
                accept=form.cleaned_data["answer"] == "accept",
                method=CitizenAnswerMethod.PERSONAL_LINK,
                reason=form.cleaned_data["reason"],
                exclude=form.cleaned_data["exclude"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            accepted = form.cleaned_data["answer"] == "accept"
            return render(
                request,
                "matching/public/answered.html",
                {
                    "accepted": accepted,
                    "match": match,
                    "peer_name": first_name(match.peer),
                    "personal_page": None
                    if check_expiry
                    else reverse("intake_personal_page", kwargs={"token": token}),
                },
            )
    log_action(
        action=Action.READ,
        organisation=match.organisation,
        target=match,
        subject=match.citizen,
        reason=gettext_noop("citizen's personal link: a proposal"),
        request=request,
    )
    if request.method == "POST" and not form.is_valid():
        messages.error(request, _("Please choose yes or no."))
    return render(
        request,
        "matching/public/answer.html",
        {
            "match": match,
            "peer_name": first_name(match.peer),
            "lines": citizen_lines(match.explanation),
            "form": form,
        },
    )
