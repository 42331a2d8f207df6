"""Answering a questionnaire through its personal link: no log-in, Danish or English.

One question per screen (easy on a phone), or every question on one page. Each screen is saved
as it is left, so the respondent can stop and continue later with the same link until it
expires. Once sent, the link is used: it says thank you (and, if the citizen chose so, shows
their answers over time); an expired link says so kindly.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib.views import personal_link_response
from brobyg.outcomes import charts, selectors, services_answers
from brobyg.outcomes.forms import AnswersForm, FinishForm, item_field_name
from brobyg.outcomes.models import Mode, RespondentKind, Response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return personal_link_response(render(request, "outcomes/public/unknown.html", status=404))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Nobody chose a language on this device yet: the one the invitation was written in.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    with scope(organisation=invitation.organisation_id):
        response = _answer(request, invitation)
    response["Content-Language"] = translation.get_language()
    return personal_link_response(response)


def _step(value, *, default: int, last: int) -> int:
    try:
        step = int(value)
    except (TypeError, ValueError):
        step = default
    return min(max(step, 0), last)


def _go(request, *, step=None, one_page=False):
    query = "?all=1" if one_page else (f"?step={step}" if step is not None else "")
    return HttpResponseRedirect(request.path + query)


def _answer(request, invitation):
    texts = selectors.instrument_texts(invitation.instrument, invitation.organisation)
    language = texts.language()
    items = list(texts.definition.items)
    context = {
        "invitation": invitation,
        "texts": texts,
        "title": texts.title_in(language),
        "intro": texts.intro_in(language),
        "total_steps": len(items),
        "not_validated": not texts.definition.validated,
        "licence_note": texts.pick(texts.definition.licence_note, language),
    }
    if invitation.is_completed:
        return _done(request, invitation, context)
    if invitation.is_expired or not texts.available:
        return render(request, "outcomes/public/expired.html", context, status=410)
    saved = Response.objects.filter(invitation=invitation).first()
    context["saved"] = saved
    one_page = request.GET.get("all") == "1" or request.POST.get("all") == "1"
    last = len(items) + 1
    if request.method == "POST":
        step = _step(request.POST.get("step"), default=1, last=last)
        return _post(request, invitation, texts, language, items, step, one_page, context)
    initial = _initial(saved)
    # Without a step: the introduction, which offers to continue where the respondent left off.
    step = _step(request.GET.get("step"), default=0, last=last)
    if initial and (one_page or 0 < step < last):
        # The page shows the answers given so far: personal data, read through the link.
        log_action(
            action=Action.READ,
            organisation=invitation.organisation,
            target=saved,
            subject=invitation.citizen or invitation.user or invitation.participant,
            reason=gettext_noop("questionnaire link"),
            request=request,
        )
    if one_page:
        return _render_all(request, invitation, texts, language, items, context, initial=initial)
    if step == 0:
        return render(request, "outcomes/public/intro.html", context)
    if step == last:
        form = FinishForm(respondent_kind=invitation.respondent_kind)
        return _render_finish(request, form, context, step=step)
    form = AnswersForm(texts=texts, items=[items[step - 1]], language=language, initial=initial)
    return _render_step(request, form, context, step=step)


def _initial(saved) -> dict:
    if saved is None:
        return {}
    answers = {**saved.answers, **saved.text_answers}
    return {item_field_name(item_id): value for item_id, value in answers.items()}


def _render_step(request, form, context, *, step):
    return render(
        request,
        "outcomes/public/step.html",
        {**context, "form": form, "field": next(iter(form)), "step": step},
    )


def _render_finish(request, form, context, *, step):
    saved = context.get("saved")
    answered = len(saved.answers) + len(saved.text_answers) if saved else 0
    return render(
        request,
        "outcomes/public/finish.html",
        {**context, "form": form, "step": step, "answered": answered},
    )


def _render_all(request, invitation, texts, language, items, context, *, initial=None, data=None):
    form = AnswersForm(data, texts=texts, items=items, language=language, initial=initial or {})
    finish = FinishForm(data, respondent_kind=invitation.respondent_kind)
    if data is not None:
        form.is_valid()
        finish.is_valid()
    return render(request, "outcomes/public/all.html", {**context, "form": form, "finish": finish})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for item_id, messages in error.message_dict.items():
            name = item_field_name(item_id)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)


def _post(request, invitation, texts, language, items, step, one_page, context):
    nav = request.POST.get("nav", "next")
    if one_page:
        form = AnswersForm(request.POST, texts=texts, items=items, language=language)
        finish = FinishForm(request.POST, respondent_kind=invitation.respondent_kind)
        if form.is_valid() and (nav == "later" or finish.is_valid()):
            try:
                services_answers.response_save(
                    invitation=invitation, answers=form.answers(), language=language,
                    request=request,
                )  # fmt: skip
                if nav != "later":
                    _complete(request, invitation, finish)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if nav == "later":
                    return render(request, "outcomes/public/saved.html", context)
                return _go(request)
        return render(
            request, "outcomes/public/all.html", {**context, "form": form, "finish": finish}
        )
    last = len(items) + 1
    if step == last:
        if nav == "back":
            return _go(request, step=last - 1)
        finish = FinishForm(request.POST, respondent_kind=invitation.respondent_kind)
        if finish.is_valid():
            try:
                _complete(request, invitation, finish)
            except ValidationError as error:
                finish.add_error(None, error)
            else:
                return _go(request)
        return _render_finish(request, finish, context, step=step)
    if step == 0:
        return _go(request, step=1)
    form = AnswersForm(request.POST, texts=texts, items=[items[step - 1]], language=language)
    if form.is_valid():
        resume = max(1, step - 1) if nav == "back" else step + 1
        try:
            services_answers.response_save(
                invitation=invitation,
                answers=form.answers(),
                step=resume,
                language=language,
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if nav == "later":
                return render(request, "outcomes/public/saved.html", context)
            return _go(request, step=resume if nav == "back" else step + 1)
    return _render_step(request, form, context, step=step)


def _complete(request, invitation, finish: FinishForm):
    data = finish.cleaned_data
    return services_answers.response_complete(
        invitation=invitation,
        mode=data.get("mode") or Mode.SELF,
        citizen_sees_chart=data.get("see_chart", False),
        shared_with_supervisor=data.get("share", False),
        request=request,
    )


def _done(request, invitation, context):
    """The used link: thanks, and the citizen's chart if they chose to see it."""
    response = Response.objects.filter(invitation=invitation).first()
    chart_list = []
    if (
        response is not None
        and invitation.respondent_kind == RespondentKind.CITIZEN
        and response.citizen_sees_chart
    ):
        chart_list = charts.citizen_charts(invitation.citizen)
        log_action(
            action=Action.READ,
            organisation=invitation.organisation,
            target=response,
            subject=invitation.citizen,
            reason=gettext_noop("citizen's chart through the questionnaire link"),
            request=request,
        )
    alerted = response is not None and hasattr(response, "alert")
    return render(
        request,
        "outcomes/public/done.html",
        {**context, "response": response, "charts": chart_list, "alerted": alerted},
    )
