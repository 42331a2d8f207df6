"""The jobs that run on a schedule (`manage.py run_periodic_jobs`, see README.md).

Each entry is a django-tasks task taking no arguments; it is enqueued once per run.
"""

from brobyg.api.tasks import delete_old_webhook_deliveries, retry_webhook_deliveries
from brobyg.conversations.tasks import delete_old_conversations
from brobyg.imports.tasks import delete_expired_uploads
from brobyg.lib.worker import requeue_interrupted_tasks
from brobyg.outcomes.tasks import create_due_invitations, send_reminders
from brobyg.peercare.tasks import send_peer_care_flags
from brobyg.reports.tasks import clear_old_report_files
from brobyg.rights.tasks import apply_retention_rules
from brobyg.sms.tasks import delete_old_text_messages, retry_text_messages
from brobyg.volunteers.tasks import remind_waiting_applications

PERIODIC_TASKS = [
    requeue_interrupted_tasks,
    apply_retention_rules,
    create_due_invitations,
    send_reminders,
    send_peer_care_flags,
    clear_old_report_files,
    delete_expired_uploads,
    retry_text_messages,
    delete_old_text_messages,
    remind_waiting_applications,
    delete_old_conversations,
    retry_webhook_deliveries,
    delete_old_webhook_deliveries,
]
