from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.orgs.models import Organisation
from brobyg.peercare import services


@task()
def send_peer_care_flags() -> int:
    """Periodic (daily): e-mail overdue supervision and expiring or expired credentials, each
    flag once per occasion."""
    today = timezone.localdate()
    with scopes_disabled():
        organisations = list(Organisation.objects.filter(is_active=True))
    sent = 0
    for organisation in organisations:
        with scope(organisation=organisation.pk):
            sent += services.flags_send(organisation=organisation, today=today)
    return sent
