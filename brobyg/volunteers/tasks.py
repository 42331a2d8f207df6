from collections import defaultdict

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.orgs.models import Organisation
from brobyg.volunteers import notifications, services
from brobyg.volunteers.models import Application


@task()
def alert_coordinators(*, application_id: int) -> bool:
    """Tell the coordinators at once that an applicant answered that they are in crisis."""
    with scopes_disabled():
        application = Application.objects.select_related("organisation").get(pk=application_id)
    with scope(organisation=application.organisation_id):
        return notifications.send_crisis_alert(application=application)


@task()
def remind_waiting_applications() -> int:
    """Periodic: one e-mail per organisation to its coordinators about applications that have
    waited in a stage longer than ``services.STAGE_REMINDER_DAYS``; each is mentioned once per
    stage."""
    now = timezone.now()
    with scopes_disabled():
        waiting = defaultdict(list)
        for organisation_id, pk in services.applications_waiting_too_long(now=now).values_list(
            "organisation_id", "pk"
        ):
            waiting[organisation_id].append(pk)
        organisations = Organisation.objects.in_bulk(list(waiting))
    sent = 0
    for organisation_id, ids in waiting.items():
        with scope(organisation=organisation_id):
            if notifications.send_waiting_reminder(
                organisation=organisations[organisation_id], count=len(ids)
            ):
                sent += 1
            services.applications_mark_reminded(ids=ids, now=now)
    return sent
