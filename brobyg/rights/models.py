import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# The law's one month, kept as 30 days so every deadline is the same length.
ANSWER_DAYS = 30


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to their data (art. 15)")
    CORRECTION = "correction", _("Correction (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class RequestChannel(models.TextChoices):
    STAFF = "staff", _("Registered by staff")
    CITIZEN = "citizen", _("Sent by the citizen from their data page")


class DataRequest(models.Model):
    """A citizen's request under the data-protection rules, answered by the organisation's
    privacy officer before its deadline."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        "people.Citizen", on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("what is asked for"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    channel = models.CharField(max_length=16, choices=RequestChannel.choices)
    description = models.TextField(
        _("what the citizen asks for, in their words"), max_length=2000, blank=True
    )
    received_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField()
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("answer to the citizen"), max_length=2000, blank=True)
    # Erasure: counts per shredder and the evaluator datasets made before it; never content.
    result = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("data-protection request")
        verbose_name_plural = _("data-protection requests")
        indexes = [
            models.Index(fields=["organisation", "status", "deadline"], name="rights_org_open"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @staticmethod
    def deadline_for(received_at):
        return timezone.localdate(received_at) + timedelta(days=ANSWER_DAYS)

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def is_overdue(self, *, today=None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.deadline


class LegalHold(models.Model):
    """A duty to keep one category of a citizen's data (e.g. journal duty under the Social
    Services Act): the category's shredder refuses to erase while the hold is in force."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        "people.Citizen", on_delete=models.PROTECT, related_name="legal_holds"
    )
    category = models.CharField(_("data kept"), max_length=32)
    reason = models.CharField(_("legal ground"), max_length=200)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-placed_at", "pk"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self):
        return self.category

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class SubjectKey(models.Model):
    """A citizen's own key for the earlier values that corrections keep in the append-only audit
    log. Erasure deletes the key, so those values can no longer be read (crypto-shredding)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.OneToOneField(
        "people.Citizen", on_delete=models.PROTECT, related_name="subject_key"
    )
    key_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    def __str__(self):
        return str(self.citizen_id)


class AccessCode(models.Model):
    """A one-time code e-mailed to a citizen who asks to see their data without a personal link.

    Single-purpose (it opens the citizen's data page only), short-lived and used once; only
    digests of the code and of the address are stored. A code is made for an unknown address too
    (and never sent), so the answer does not reveal whether the address is known.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    address_digest = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.public_id)


class SpotCheck(models.Model):
    """The privacy officer's monthly spot check of the access log (stikprøvekontrol): a random
    sample of one month's reads, each marked justified or not, kept with the findings."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(help_text="The first day of the month sampled.")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    population = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-month"]
        verbose_name = _("log spot check")
        verbose_name_plural = _("log spot checks")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="one_spot_check_a_month")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class SpotCheckItem(models.Model):
    """One read in a spot check. The entry's facts are copied, because the retention job
    removes the entry itself after six months while the check and its findings stay."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="items")
    entry_id = models.BigIntegerField()
    read_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=64, blank=True)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    justified = models.BooleanField(_("justified"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["read_at", "pk"]

    def __str__(self):
        return str(self.entry_id)


class RetentionSetting(models.Model):
    """An organisation's own period for one retention category (``rights.retention``), chosen by
    its privacy officer within the category's limits. Without a row the default applies."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=32)
    days = models.PositiveIntegerField(_("days"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category"], name="one_retention_setting_per_category"
            )
        ]

    def __str__(self):
        return f"{self.category}: {self.days}"
