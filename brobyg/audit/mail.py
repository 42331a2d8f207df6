"""E-mails sent by a background task go out once, even when the task runs again.

The database worker marks a task as running, runs it, then marks it done. A worker killed in
between (SIGKILL, power loss, a deploy) leaves the task "running"; `brobyg.lib.worker` puts such
tasks back in the queue, and the task runs again from the start. Its e-mails pass through
`OncePerTaskBackend`, which records each message (by a hash of the task run, recipients, subject
and body) in `SentMail` before handing it to the real backend (`BROBYG_EMAIL_BACKEND`), and skips
a message that an earlier run of the same task already recorded. A message is therefore never
sent twice; one recorded in the instant before the worker died may not have been sent at all,
which is logged as a warning when the task runs again.

E-mails sent outside a task (from a request) go straight to the real backend.
"""

import contextvars
import hashlib
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.signals import task_finished, task_started

from brobyg.audit.models import SentMail

logger = logging.getLogger(__name__)
current_task_id = contextvars.ContextVar("brobyg_current_task_id", default="")


@receiver(task_started)
def _task_started(sender, task_result, **kwargs):
    current_task_id.set(str(task_result.id))


@receiver(task_finished)
def _task_finished(sender, task_result, **kwargs):
    current_task_id.set("")


def message_key(task_id: str, message) -> str:
    digest = hashlib.sha256()
    for part in (task_id, *sorted(message.recipients()), message.subject, str(message.body)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


class OncePerTaskBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(
            settings.BROBYG_EMAIL_BACKEND, fail_silently=fail_silently, **kwargs
        )

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        task_id = current_task_id.get()
        if not task_id:
            return self.inner.send_messages(email_messages)
        sent = 0
        for message in email_messages:
            record, created = SentMail.objects.get_or_create(
                key=message_key(task_id, message), defaults={"task_id": task_id}
            )
            if not created:
                if record.sent_at is None:
                    logger.warning(
                        "Task %s ran again after an interruption; an e-mail it recorded may not "
                        "have been sent and is not sent again.",
                        task_id,
                    )
                continue
            sent += self.inner.send_messages([message]) or 0
            SentMail.objects.filter(pk=record.pk).update(sent_at=timezone.now())
        return sent
