"""Staff pages: a citizen's questionnaires and scores over time, asking in person with a printable
QR code, the questionnaires and their FHIR export, and a programme's schedules."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_read, log_request
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import (
    get_for_org_or_404,
    has_org_permission,
    org_permission_required,
)
from brobyg.outcomes import charts, extensions, fhir, schedules, selectors, services
from brobyg.outcomes.forms import InviteForm, ScheduleForm
from brobyg.outcomes.links import answer_path, invitation_token, qr_svg
from brobyg.outcomes.models import Instrument, Invitation, Schedule
from brobyg.people import selectors as people_selectors
from brobyg.people.models import ConsentPurpose

FHIR_JSON = "application/fhir+json"


def _titles(instruments, organisation) -> dict[int, str]:
    """Each instrument's title in the current language, its texts read once per instrument."""
    return {
        instrument.pk: selectors.instrument_texts(instrument, organisation).title_in()
        for instrument in {instrument.pk: instrument for instrument in instruments}.values()
    }


# A citizen's questionnaires


def _get_citizen(request, public_id):
    return get_for_org_or_404(
        request, people_selectors.citizens_visible_to(request.membership), public_id=public_id
    )


def _render_citizen(request, citizen, invite_form):
    log_read(
        request=request,
        target=citizen,
        subject=citizen,
        reason=gettext_noop("questionnaires and scores"),
    )
    invitations = list(selectors.invitations_of_citizen(citizen))
    titles = _titles([invitation.instrument for invitation in invitations], request.org)
    return render(
        request,
        "outcomes/staff/citizen.html",
        {
            "citizen": citizen,
            "consents": people_selectors.has_consent(citizen, ConsentPurpose.QUESTIONNAIRES),
            "charts": charts.citizen_charts(citizen),
            "invitations": [
                {
                    "invitation": invitation,
                    "title": titles[invitation.instrument_id],
                    "when": schedules.timepoint_label(invitation.timepoint),
                }
                for invitation in invitations
            ],
            "invite_form": invite_form,
            "can_invite": has_org_permission(request, "invite_to_questionnaire"),
        },
    )


@org_permission_required("view_outcomes")
def citizen_outcomes(request, public_id):
    citizen = _get_citizen(request, public_id)
    return _render_citizen(request, citizen, InviteForm(organisation=request.org))


@org_permission_required("invite_to_questionnaire")
@require_POST
def citizen_invite(request, public_id):
    """Ask now, in person: the next page shows the link and its QR code to fill in together or
    to print."""
    citizen = _get_citizen(request, public_id)
    form = InviteForm(request.POST, organisation=request.org)
    if form.is_valid():
        try:
            invitation, _token = services.invitation_create_in_person(
                actor=request.user,
                citizen=citizen,
                instrument=form.cleaned_data["instrument"],
                timepoint=form.cleaned_data["timepoint"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The questionnaire link was made."))
            return redirect("outcomes_invitation_print", public_id=invitation.public_id)
    return _render_citizen(request, citizen, form)


@never_cache
@org_permission_required("invite_to_questionnaire")
def invitation_print(request, public_id):
    """The link of an open invitation with its QR code, and the questions on paper."""
    visible = people_selectors.citizens_visible_to(request.membership)
    invitation = get_for_org_or_404(
        request,
        Invitation.objects.filter(citizen__in=visible).select_related("instrument", "citizen"),
        public_id=public_id,
    )
    log_read(
        request=request,
        target=invitation,
        subject=invitation.citizen,
        reason=gettext_noop("questionnaire link shown for printing"),
    )
    texts = selectors.instrument_texts(invitation.instrument, request.org)
    language = texts.language(invitation.language)
    context = {
        "invitation": invitation,
        "citizen": invitation.citizen,
        "title": texts.title_in(language),
        "when": schedules.timepoint_label(invitation.timepoint),
    }
    if invitation.is_open:
        link = request.build_absolute_uri(answer_path(invitation_token(invitation)))
        spec = texts.definition
        context.update(
            {
                "link": link,
                "qr": qr_svg(link),
                "intro": texts.intro_in(language),
                "language": language,
                "items": [
                    {
                        "item": item,
                        "text": texts.item_text(item.id, language),
                        "options": [
                            texts.label(item.scale.code, value, language) or str(value)
                            for value in item.scale.values
                        ]
                        if item.scale
                        else [],
                    }
                    for item in spec.items
                ],
            }
        )
    response = render(request, "outcomes/staff/print.html", context)
    response["Referrer-Policy"] = "strict-origin"
    return response


# Questionnaires


@org_permission_required("view_instruments")
def instrument_list(request):
    packs = selectors.packs_of(request.org)
    rows = [
        {
            "instrument": instrument,
            "texts": selectors.instrument_texts(instrument, request.org),
            "pack": packs.get(instrument.pk),
        }
        for instrument in selectors.current_instruments()
    ]
    return render(request, "outcomes/staff/instrument_list.html", {"rows": rows})


def _get_instrument(public_id):
    return get_object_or_404(Instrument, public_id=public_id)


@org_permission_required("view_instruments")
def instrument_detail(request, public_id):
    instrument = _get_instrument(public_id)
    texts = selectors.instrument_texts(instrument, request.org)
    spec = instrument.spec
    return render(
        request,
        "outcomes/staff/instrument_detail.html",
        {
            "instrument": instrument,
            "spec": spec,
            "texts": texts,
            "title": texts.title_in(),
            "licence_note": texts.pick(spec.licence_note, None),
            "missing_percent": round(spec.scoring.max_missing_fraction * 100),
            "items": [
                {
                    "item": item,
                    "text": texts.item_text(item.id),
                    "domain": texts.pick(spec.domains.get(item.domain, {}), None),
                    "labels": [
                        (value, texts.label(item.scale.code, value)) for value in item.scale.values
                    ]
                    if item.scale
                    else [],
                }
                for item in spec.items
            ],
            "domains": [texts.pick(names, None) for names in spec.domains.values()],
            "reliability": {
                key: value for key, value in spec.reliability.items() if key != "source"
            },
        },
    )


def _json(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type=f"{FHIR_JSON}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _language(request, texts) -> str:
    return texts.language(request.GET.get("language") or translation.get_language())


@org_permission_required("view_instruments")
def instrument_fhir(request, public_id):
    instrument = _get_instrument(public_id)
    texts = selectors.instrument_texts(instrument, request.org)
    language = _language(request, texts)
    return _json(
        fhir.questionnaire(instrument, texts, language=language),
        f"Questionnaire-{instrument.code}-{instrument.version}.json",
    )


@org_permission_required("view_outcomes")
def response_fhir(request, public_id):
    response = get_for_org_or_404(
        request,
        selectors.responses_visible_to(request.membership).prefetch_related("scores"),
        public_id=public_id,
    )
    texts = selectors.instrument_texts(response.instrument, request.org)
    log_request(
        request,
        action=Action.EXPORT,
        target=response,
        subject=response.citizen or response.user or response.participant,
        reason=gettext_noop("FHIR QuestionnaireResponse"),
    )
    return _json(
        fhir.questionnaire_response(response, texts, language=_language(request, texts)),
        f"QuestionnaireResponse-{response.public_id}.json",
    )


# A programme's schedules


def _render_schedules(request, programme, form):
    rows = [
        {
            "schedule": schedule,
            "anchor": extensions.anchor(schedule.anchor_kind),
            "timing": schedules.describe_timing(schedule.timing),
            "title": selectors.instrument_texts(schedule.instrument, request.org).title_in(),
        }
        for schedule in selectors.schedules_of_programme(programme).annotate(
            invitation_count=Count("invitations")
        )
    ]
    return render(
        request,
        "outcomes/staff/schedules.html",
        {"programme": programme, "rows": rows, "form": form},
    )


@org_permission_required("manage_outcome_schedules")
@require_http_methods(["GET", "POST"])
def programme_schedules(request, public_id):
    programme = get_for_org_or_404(request, Programme.objects, public_id=public_id)
    if request.method == "GET":
        return _render_schedules(request, programme, ScheduleForm(organisation=request.org))
    if request.POST.get("action") == "defaults":
        created = services.schedules_create_defaults(
            actor=request.user, programme=programme, request=request
        )
        messages.success(
            request,
            _("The recommended schedules were added.")
            if created
            else _("The programme already has the recommended schedules."),
        )
        return redirect("outcomes_programme_schedules", public_id=programme.public_id)
    form = ScheduleForm(request.POST, organisation=request.org)
    if run_form_action(
        form,
        lambda data: services.schedule_create(
            actor=request.user,
            programme=programme,
            instrument=data["instrument"],
            anchor_kind=data["anchor_kind"],
            timing=form.timing(),
            request=request,
        ),
    ):
        messages.success(request, _("The schedule was added."))
        return redirect("outcomes_programme_schedules", public_id=programme.public_id)
    return _render_schedules(request, programme, form)


@org_permission_required("manage_outcome_schedules")
@require_POST
def schedule_toggle(request, public_id):
    schedule = get_for_org_or_404(
        request, Schedule.objects.select_related("programme"), public_id=public_id
    )
    services.schedule_set_active(
        actor=request.user, schedule=schedule, active=not schedule.is_active, request=request
    )
    messages.success(
        request,
        _("The schedule was started again.")
        if schedule.is_active
        else _("The schedule was paused."),
    )
    return redirect("outcomes_programme_schedules", public_id=schedule.programme.public_id)
