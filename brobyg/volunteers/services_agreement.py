"""The volunteer agreement: the organisation's text in versions, sent to an applicant by a
personal link (lib.links: only the digest is stored), and accepted there; the accepted version
and the moment are kept on the application."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action_on, save_and_log
from brobyg.lib.links import new_link_token, token_digest
from brobyg.volunteers.models import AgreementVersion, Application

AGREEMENT_LINK_VALID_DAYS = 30


def current_agreement(organisation) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(organisation=organisation).order_by("-number").first()


@transaction.atomic
def agreement_publish(*, actor, organisation, text: str) -> AgreementVersion:
    """A new version of the agreement when the text changed; the current one otherwise."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the agreement text.")})
    current = current_agreement(organisation)
    if current is not None and current.text == text:
        return current
    version = AgreementVersion(
        organisation=organisation,
        number=(current.number + 1) if current else 1,
        text=text,
        created_by=actor,
    )
    return save_and_log(
        version, action=Action.CREATE, actor=actor, details={"version": version.number}
    )


@transaction.atomic
def agreement_send(*, actor, application, request=None) -> str:
    """E-mail the applicant a personal link to the current agreement; returns the link's secret
    (sent directly, never stored)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise ValidationError(_("This application has already ended."))
    version = current_agreement(application.organisation)
    if version is None:
        raise ValidationError(_("Write the organisation's volunteer agreement first."))
    token = new_link_token()
    application.agreement_sent = version
    application.agreement_token_digest = token_digest(token)
    application.agreement_link_expires_at = timezone.now() + timedelta(
        days=AGREEMENT_LINK_VALID_DAYS
    )
    application.save(
        update_fields=["agreement_sent", "agreement_token_digest", "agreement_link_expires_at"]
    )
    log_action_on(
        application,
        action=Action.UPDATE,
        actor=actor,
        subject=application,
        details={"agreement_sent": version.number},
        request=request,
    )
    from brobyg.volunteers import notifications

    transaction.on_commit(
        lambda: notifications.send_agreement_link(application=application, token=token),
        robust=True,
    )
    return token


@transaction.atomic
def agreement_accept(*, application, request=None) -> Application:
    """The applicant accepts the version they were sent, through the personal link."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.agreement_sent_id is None:
        raise ValidationError(_("There is no agreement to accept."))
    if application.agreement_accepted_id == application.agreement_sent_id:
        return application
    application.agreement_accepted = application.agreement_sent
    application.agreement_accepted_at = timezone.now()
    application.save(update_fields=["agreement_accepted", "agreement_accepted_at"])
    log_action_on(
        application,
        action=Action.UPDATE,
        subject=application,
        details={"agreement_accepted": application.agreement_sent.number},
        request=request,
    )
    return application
