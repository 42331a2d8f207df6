"""The background worker after a crash: tasks it was running when it died are queued again.

django-tasks' database worker marks a task RUNNING when it starts it and SUCCESSFUL or FAILED
when it ends; a worker killed in between leaves it RUNNING for ever. A periodic job puts tasks
that have been running for longer than `BROBYG_TASK_TIMEOUT_MINUTES` (longer than any task
takes) back in the queue. Their e-mails are not sent twice (brobyg/audit/mail.py).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from brobyg.audit.models import SentMail

SENT_MAIL_KEPT = timedelta(days=30)


def requeue_interrupted(*, now=None) -> int:
    """Queue again the tasks whose worker died while running them; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.BROBYG_TASK_TIMEOUT_MINUTES)
    SentMail.objects.filter(created_at__lt=now - SENT_MAIL_KEPT).delete()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)


@task()
def requeue_interrupted_tasks() -> int:
    """Periodic: queue again the tasks a crashed worker left running."""
    return requeue_interrupted()
