"""A background worker killed (SIGKILL) in the middle of a task: the periodic jobs queue the task
again, the next worker runs it, and its e-mail goes out exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brobyg.audit.mail import OncePerTaskBackend, message_key
from brobyg.audit.models import SentMail
from brobyg.lib.tests.crash import ChildDatabase
from brobyg.lib.worker import requeue_interrupted

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = {"BROBYG_TASKS_BACKEND": "database"}
ENQUEUE_AND_WORK = """
from django.conf import settings
from django.core.management import call_command
from brobyg.orgs import tasks
settings.BROBYG_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = {mail!r}
{patch}
tasks.send_invitation.enqueue(user_id={user}, organisation_id={organisation})
call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
"""
# The next run of the periodic jobs, two hours later, and a worker that runs what is queued.
REQUEUE_AND_WORK = """
from datetime import timedelta
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from brobyg.lib.worker import requeue_interrupted
settings.BROBYG_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = {mail!r}
print("requeued", requeue_interrupted(now=timezone.now() + timedelta(hours=2)))
call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
"""
# Killed after the mail server took the e-mail, before the task was marked done.
AFTER_SENDING = """
from django.core.mail.backends.filebased import EmailBackend
send_messages = EmailBackend.send_messages
def send_then_die(self, messages):
    send_messages(self, messages)
    die_here()
EmailBackend.send_messages = send_then_die
"""
# Killed while the task was still preparing its e-mail.
BEFORE_SENDING = """
def die_instead_of_sending(*args, **kwargs):
    die_here()
tasks.send_mail = die_instead_of_sending
"""


@pytest.mark.parametrize("patch", [AFTER_SENDING, BEFORE_SENDING], ids=["after", "before"])
def test_an_interrupted_task_runs_again_and_sends_its_email_once(personas, tmp_path, patch):
    mail = tmp_path / "mail"
    database = ChildDatabase(tmp_path)
    status = "SELECT status FROM django_tasks_database_dbtaskresult"
    database.kill_at_die_here(
        ENQUEUE_AND_WORK.format(
            mail=str(mail), patch=patch, user=personas.bob.pk, organisation=personas.org_a.pk
        ),
        environment=WORKER,
    )
    assert database.scalar(status) == "RUNNING"
    sent_before = len(list(mail.glob("*.log"))) if mail.exists() else 0
    assert sent_before == (1 if patch == AFTER_SENDING else 0)

    output = database.run(REQUEUE_AND_WORK.format(mail=str(mail)), environment=WORKER)
    assert "requeued 1" in output
    assert database.scalar(status) == "SUCCESSFUL"
    messages = list(mail.glob("*.log"))
    assert len(messages) == 1
    assert "bob@example.org" in messages[0].read_text()
    # One record; killed after sending, the first run could not note that it had sent it.
    assert database.scalar("SELECT COUNT(*) FROM audit_sentmail") == 1
    noted = database.scalar("SELECT COUNT(*) FROM audit_sentmail WHERE sent_at IS NOT NULL")
    assert noted == (0 if patch == AFTER_SENDING else 1)


def test_a_task_running_for_less_than_the_timeout_is_left_alone(personas, settings):
    from django_tasks_db.models import DBTaskResult

    settings.BROBYG_TASK_TIMEOUT_MINUTES = 60
    now = timezone.now()
    running = DBTaskResult.objects.create(
        status="RUNNING",
        started_at=now - timedelta(minutes=59),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="brobyg.lib.worker.requeue_interrupted_tasks",
        backend_name="default",
        run_after=now,
    )
    assert requeue_interrupted(now=now) == 0
    assert requeue_interrupted(now=now + timedelta(minutes=2)) == 1
    running.refresh_from_db()
    assert running.status == "READY"


def test_outside_a_task_every_email_goes_out(settings, db):
    from django.core import mail

    settings.BROBYG_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    backend = OncePerTaskBackend()
    message = mail.EmailMessage("Emne", "Tekst", to=["a@example.org"])
    assert backend.send_messages([message]) == 1
    assert backend.send_messages([message]) == 1
    assert not SentMail.objects.exists()


def test_within_a_task_the_same_email_goes_out_once(settings, db):
    from django.core import mail

    from brobyg.audit.mail import current_task_id

    settings.BROBYG_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    backend = OncePerTaskBackend()
    first = mail.EmailMessage("Emne", "Tekst", to=["a@example.org"])
    other = mail.EmailMessage("Emne", "Anden tekst", to=["a@example.org"])
    token = current_task_id.set("task-1")
    try:
        assert backend.send_messages([first, other]) == 2
        assert backend.send_messages([first]) == 0
    finally:
        current_task_id.reset(token)
    assert len(mail.outbox) == 2
    assert SentMail.objects.filter(key=message_key("task-1", first)).exists()
