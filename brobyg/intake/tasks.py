from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from django_tasks import task

from brobyg.intake import selectors
from brobyg.intake.models import SupportRequest


@task()
def alert_coordinators(*, support_request_id: int) -> int:
    """Tell the programme's coordinators at once that a citizen in crisis asked for support.

    The e-mail holds no personal data, only a link to the request behind the log-in.
    """
    from django.conf import settings

    with scopes_disabled():
        support_request = SupportRequest.objects.select_related("programme").get(
            pk=support_request_id
        )
        recipients = selectors.coordinator_emails(support_request.organisation)
    if not recipients:
        return 0
    context = {
        "support_request": support_request,
        "link": settings.SITE_URL.rstrip("/")
        + reverse("intake_request_detail", args=[support_request.public_id]),
    }
    with translation.override("da"):
        subject = render_to_string("intake/email/urgent_subject.txt", context).strip()
        body = render_to_string("intake/email/urgent.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)
