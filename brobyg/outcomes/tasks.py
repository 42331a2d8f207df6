from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.outcomes import notifications, services
from brobyg.outcomes.models import Invitation, PeerAlert
from brobyg.people import selectors as people_selectors
from brobyg.people.models import ConsentPurpose


@task()
def create_due_invitations() -> int:
    """Periodic: ask everyone whose questionnaire is due by a schedule."""
    return services.invitations_create_due()


@task()
def create_due_invitations_for_programme(programme_id: int) -> int:
    """When a match becomes a course: the programme's due questionnaires, at once."""
    return services.invitations_create_due(programme_id=programme_id)


@task()
def send_reminders() -> int:
    """Periodic: remind those who have not answered yet, at most twice, a week apart. Citizens
    who withdrew their consent to questionnaires are not reminded."""
    sent = 0
    with scopes_disabled():
        due = list(services.invitations_due_reminder(now=timezone.now()))
    for invitation in due:
        with scope(organisation=invitation.organisation_id):
            if invitation.citizen is not None and not people_selectors.has_consent(
                invitation.citizen, ConsentPurpose.QUESTIONNAIRES
            ):
                continue
            if notifications.send_invitation_mail(invitation, reminder=True):
                services.invitation_mark_sent(invitation=invitation, reminder=True)
                sent += 1
    return sent


@task()
def send_invitation(*, invitation_id: int) -> bool:
    with scopes_disabled():
        invitation = Invitation.objects.select_related(
            "instrument", "organisation", "citizen", "user", "participant__citizen"
        ).get(pk=invitation_id)
    with scope(organisation=invitation.organisation_id):
        if not invitation.is_open:
            return False
        if notifications.send_invitation_mail(invitation):
            services.invitation_mark_sent(invitation=invitation, reminder=False)
            return True
    return False


@task()
def notify_peer_alert(*, alert_id: int) -> int:
    with scopes_disabled():
        alert = PeerAlert.objects.select_related("organisation", "user").get(pk=alert_id)
    with scope(organisation=alert.organisation_id):
        return notifications.send_alert_mail(alert)
