from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry outside retention."""


class Action(models.TextChoices):
    READ = "read", _("Read")
    SEARCH = "search", _("Search")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    EXPORT = "export", _("Export")
    DELETE = "delete", _("Delete")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOCKOUT = "lockout", _("Account locked")
    DENIED = "denied", _("Access denied")


# Entries about access (rather than about changes) expire after ACCESS_LOG_RETENTION_DAYS.
ACCESS_ACTIONS = frozenset(
    {
        Action.READ,
        Action.SEARCH,
        Action.LOGIN,
        Action.LOGOUT,
        Action.LOGIN_FAILED,
        Action.LOCKOUT,
        Action.DENIED,
    }
)


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogImmutable("Audit entries cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def purge_expired_access_entries(self, *, before):
        """The one way entries leave the log: access entries older than the retention period."""
        expired = self.filter(action__in=ACCESS_ACTIONS, created_at__lt=before)
        return models.QuerySet.delete(expired)[0]


class LogEntry(models.Model):
    """Append-only record of who did what to which object about which person, when and why.

    Free text that a user typed never goes in here: ``details`` holds search criteria, changed
    field names and similar structured facts only.
    """

    # Every page a member opens writes entries here (one per person a list shows), so the
    # table carries no index that another one already serves: the time, the actor and the
    # organisation are indexed only as the first or second column of the indexes in Meta.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # A machine's call through the JSON API: the client (``actor`` is then its account, so the
    # actor index finds a client's entries; this column needs none of its own).
    api_client = models.ForeignKey(
        "api.ApiClient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time"),
            models.Index(fields=["action", "created_at"], name="audit_action_time"),
            # The log-ins (no organisation) of each member, newest first: a privacy officer's
            # log reads each member's own (entry_parts_for_organisation). Only those entries
            # are in it, so the entries every page writes do not update it.
            models.Index(
                fields=["actor", "-created_at"],
                condition=models.Q(organisation__isnull=True),
                name="audit_log_ins",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit entries cannot be deleted.")


class SentMail(models.Model):
    """An e-mail a background task has handed to the mail server, so that the same task, run
    again after its worker was killed, does not send it twice (brobyg/audit/mail.py).

    ``key`` is a hash of the task run, the recipients, the subject and the body: no personal data.
    ``sent_at`` stays empty when the worker died between recording and sending.
    """

    key = models.CharField(max_length=64, unique=True)
    task_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.task_id} {self.key[:12]}"
