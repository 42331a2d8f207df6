"""The coordinator's pipeline of volunteer applications: the stages with the applications in
them, one application with its history, moving it on with a note, ending it kindly, naming the
stages. Every page that shows an applicant's details writes an audit entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.services import log_list_read, log_read
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.volunteers import selectors, services, services_agreement
from brobyg.volunteers.forms import AgreementForm, MoveForm, NoteForm, NotNowForm, StagesForm

PERMISSION = "manage_volunteers"


@org_permission_required(PERMISSION)
def pipeline(request):
    stages = services.stages_ensure(organisation=request.org)
    applications = selectors.applications_visible_to(request.membership)
    columns = selectors.pipeline(applications, stages)
    ended = list(selectors.ended(applications))
    shown = [a for column in columns for a in column["applications"]] + ended
    log_list_read(
        request=request,
        subjects=shown,
        object_type="volunteers.application",
        reason=gettext_noop("volunteer pipeline"),
    )
    return render(
        request,
        "volunteers/pipeline.html",
        {
            "columns": columns,
            "ended": ended,
            "today": timezone.localdate(),
            "reminder_days": services.STAGE_REMINDER_DAYS,
        },
    )


def _detail_page(request, application, *, move_form=None, note_form=None, not_now_form=None):
    stages = services.stages_ensure(organisation=request.org)
    log_read(
        request=request,
        target=application,
        subject=application,
        reason=gettext_noop("volunteer application"),
    )
    return render(
        request,
        "volunteers/detail.html",
        {
            "application": application,
            "events": selectors.history(application),
            "move_form": move_form or MoveForm(stages=stages, current=application.stage),
            "note_form": note_form or NoteForm(),
            "not_now_form": not_now_form or NotNowForm(),
        },
    )


def _application(request, public_id):
    return get_for_org_or_404(
        request,
        selectors.applications_visible_to(request.membership).select_related(
            "stage", "certificate_seen_by", "peer", "agreement_sent", "agreement_accepted"
        ),
        public_id=public_id,
    )


@org_permission_required(PERMISSION)
def detail(request, public_id):
    return _detail_page(request, _application(request, public_id))


@require_POST
@org_permission_required(PERMISSION)
def move(request, public_id):
    application = _application(request, public_id)
    stages = services.stages_ensure(organisation=request.org)
    form = MoveForm(request.POST, stages=stages, current=application.stage)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_move(
                actor=request.user,
                application=application,
                stage=data["stage"],
                note=data["note"],
                certificate_kind=data["certificate_kind"],
                certificate_seen_on=data["certificate_seen_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if application.peer_id:
                messages.success(
                    request,
                    _(
                        "%(name)s is now an active volunteer peer and has been sent an "
                        "invitation to log in."
                    )
                    % {"name": application.name},
                )
            else:
                messages.success(request, _("The application was moved."))
            return redirect("volunteers_detail", public_id=application.public_id)
    return _detail_page(request, application, move_form=form)


@require_POST
@org_permission_required(PERMISSION)
def note(request, public_id):
    application = _application(request, public_id)
    form = NoteForm(request.POST)
    if run_form_action(
        form,
        lambda data: services.application_add_note(
            actor=request.user,
            application=application,
            note=data["note"],
            request=request,
        ),
    ):
        messages.success(request, _("The note was saved."))
        return redirect("volunteers_detail", public_id=application.public_id)
    return _detail_page(request, application, note_form=form)


@require_POST
@org_permission_required(PERMISSION)
def not_now(request, public_id):
    application = _application(request, public_id)
    form = NotNowForm(request.POST)
    if run_form_action(
        form,
        lambda data: services.application_not_now(
            actor=request.user,
            application=application,
            reason=data["reason"],
            message=data["message"],
            request=request,
        ),
    ):
        messages.success(request, _("The application was ended and the applicant told."))
        return redirect("volunteers_pipeline")
    return _detail_page(request, application, not_now_form=form)


@org_permission_required(PERMISSION)
def stages(request):
    current = services.stages_ensure(organisation=request.org)
    form = StagesForm(request.POST or None, stages=current)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.stages_rename(
            actor=request.user, organisation=request.org, names=form.names()
        ),
    ):
        messages.success(request, _("The stages were saved."))
        return redirect("volunteers_pipeline")
    return render(request, "volunteers/stages.html", {"form": form})


@require_POST
@org_permission_required(PERMISSION)
def send_agreement(request, public_id):
    application = _application(request, public_id)
    try:
        services_agreement.agreement_send(
            actor=request.user, application=application, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The agreement was sent to the applicant."))
    return redirect("volunteers_detail", public_id=application.public_id)


@org_permission_required(PERMISSION)
def agreement(request):
    current = services_agreement.current_agreement(request.org)
    form = AgreementForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services_agreement.agreement_publish(
            actor=request.user, organisation=request.org, text=data["text"]
        ),
    ):
        messages.success(request, _("The agreement was saved."))
        return redirect("volunteers_agreement")
    return render(request, "volunteers/agreement.html", {"form": form, "current": current})
