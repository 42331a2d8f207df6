"""The public sign-up page of an open group: no log-in, with the self-referral's safeguards
(honeypot, a per-address rate limit shared with self-referral, size limits, the crisis question
with the emergency numbers, consents, the programme's minimum age, field-level errors that keep
what was typed, and one transaction)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from brobyg.groups import selectors, services
from brobyg.groups.forms import GroupSignupForm
from brobyg.groups.models import ParticipantStatus
from brobyg.intake.forms_public import YES
from brobyg.lib.forms import add_service_errors
from brobyg.lib.ratelimit import count_submission, over_rate_limit, rate_limit
from brobyg.lib.views import noindex

DONE_SESSION_KEY = "groups_signup_done"


@require_http_methods(["GET", "POST"])
def signup(request, public_id):
    group = selectors.open_group_for_signup(public_id)
    if group is None:
        return noindex(render(request, "groups/public/closed.html", status=404))
    with scope(organisation=group.organisation_id):
        return noindex(_signup(request, group))


def _signup(request, group):
    data = request.POST if request.method == "POST" else None
    form = GroupSignupForm(data)
    context = {
        "form": form,
        "group": group,
        "organisation": group.organisation,
        "programme": group.programme,
        "sessions": list(selectors.sessions_of(group).filter(is_cancelled=False)[:60]),
    }
    if request.method != "POST":
        return render(request, "groups/public/signup.html", context)
    # A person in crisis sees the emergency numbers even if the form must be corrected.
    context["crisis_answered_yes"] = request.POST.get("in_crisis") == YES
    if over_rate_limit(request):
        return render(
            request,
            "groups/public/signup.html",
            {**context, "rate_limited": True, "minutes": rate_limit()[1] // 60 or 1},
            status=429,
        )
    if form.honeypot_filled():
        # Only robots fill the hidden field: pretend it worked, save nothing.
        count_submission(request)
        request.session[DONE_SESSION_KEY] = {"title": group.title, "waiting": False}
        return redirect("groups_signup_done")
    if form.is_valid():
        count_submission(request)
        try:
            participant = services.participant_sign_up(
                group=group, request=request, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[DONE_SESSION_KEY] = {
                "title": group.title,
                "organisation": group.organisation.name,
                "phone": group.organisation.phone,
                "waiting": participant.status == ParticipantStatus.WAITING,
                "in_crisis": participant.in_crisis,
                "emailed": bool(participant.email),
            }
            return redirect("groups_signup_done")
    return render(request, "groups/public/signup.html", context)


@never_cache
@require_http_methods(["GET"])
def signup_done(request):
    done = request.session.pop(DONE_SESSION_KEY, None) or {}
    return noindex(render(request, "groups/public/done.html", {"done": done}))
