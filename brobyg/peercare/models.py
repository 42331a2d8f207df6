"""Care for the peers: the programme's role description, supervision, breaks, training and
credentials, the peer's own pathway, and the record of flags already e-mailed.

Who sees what (enforced in selectors and views, never in templates):
- Supervision notes: the session's supervisor and the peer the note is about. A note without a
  peer is a group note, seen by the supervisor and every attendee of that session. Coordinators
  and managers see dates and coverage only, never a note.
- A break's reason: only when the peer gave one, to those who look after peers.
- Pathway entries: the peer only; the skills statement is theirs to print.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.orgs.choices import RecoveryTool

DEFAULT_SUPERVISION_WEEKS = 6


class ProgrammePeerCare(models.Model):
    """A programme's description of the peer function and its peer-care settings."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.OneToOneField(
        "orgs.Programme", on_delete=models.CASCADE, related_name="peer_care"
    )
    tasks = models.TextField(_("the peer's tasks"), max_length=4000, blank=True)
    not_tasks = models.TextField(_("what is not the peer's task"), max_length=4000, blank=True)
    when_worried = models.TextField(_("who to call when worried"), max_length=2000, blank=True)
    supervision_weeks = models.PositiveSmallIntegerField(
        _("flag a peer without supervision for this many weeks"),
        default=DEFAULT_SUPERVISION_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    # Raised each time the texts change, so peers confirm the description they actually read.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("role description")
        verbose_name_plural = _("role descriptions")

    def __str__(self):
        return str(self.programme)

    @property
    def has_description(self) -> bool:
        return bool(self.tasks.strip() or self.not_tasks.strip() or self.when_worried.strip())


class RoleConfirmation(models.Model):
    """A peer's confirmation that they have read a version of a programme's role description."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey("orgs.Programme", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    confirmed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "programme", "version"], name="one_confirmation_per_version"
            )
        ]

    def __str__(self):
        return f"{self.programme_id} v{self.version}"


class SupervisorAssignment(models.Model):
    """The supervisor who looks after a peer (one at a time)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.OneToOneField(
        "people.Peer", on_delete=models.PROTECT, related_name="supervisor_assignment"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    def __str__(self):
        return str(self.supervisor)


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class SupervisionSession(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    attendees = models.ManyToManyField(
        "people.Peer", related_name="supervision_sessions", verbose_name=_("peers")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"], name="supervision_org_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"


class SupervisionNote(models.Model):
    """A note from a session: about one peer (``peer`` set) or for the whole group (no peer)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(SupervisionSession, on_delete=models.PROTECT, related_name="notes")
    peer = models.ForeignKey(
        "people.Peer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return str(self.public_id)


class PauseAction(models.TextChoices):
    PAUSED = "paused", _("Took a break")
    RESUMED = "resumed", _("Resumed")


class PauseLogEntry(models.Model):
    """Append-only history of a peer's breaks."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=PauseAction.choices)
    status_before = models.CharField(max_length=16)
    reason = models.TextField(_("reason (optional)"), max_length=1000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["peer", "created_at"], name="pause_peer_created")]

    def __str__(self):
        return self.get_action_display()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The pause log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The pause log is append-only.")


class TrainingKind(models.TextChoices):
    EDUCATION = "education", _("Peer education module")
    RECOVERY_TOOL = "recovery_tool", _("Recovery tool")
    CREDENTIAL = "credential", _("Credential or certificate")
    CHILD_PROTECTION = "child_protection", _("Child-protection certificate (børneattest)")


class TrainingRecord(models.Model):
    """A module or tool completed, or a credential held, with dates. A renewal is a new record;
    the newest record of the same kind and title is the one that counts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    recovery_tool = models.CharField(
        _("recovery tool"), max_length=20, choices=RecoveryTool.choices, blank=True
    )
    completed_on = models.DateField(_("completed or issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "expires_on"], name="training_expiry"),
            # A peer's records of a kind by time, with every column that decides whether a
            # later record renews one (``selectors._current_records``): on PostgreSQL each is
            # checked from the index alone, not by hashing every record of the organisation.
            models.Index(
                fields=["peer", "kind", "completed_on", "id"],
                include=["recovery_tool", "title", "organisation"],
                name="training_series",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.kind == TrainingKind.RECOVERY_TOOL and self.recovery_tool:
            return str(RecoveryTool(self.recovery_tool).label)
        if self.kind == TrainingKind.CHILD_PROTECTION and not self.title:
            return str(TrainingKind.CHILD_PROTECTION.label)
        return self.title

    @property
    def series_key(self) -> tuple:
        """Records with the same key are renewals of one another."""
        if self.kind == TrainingKind.CHILD_PROTECTION:
            return (self.kind, "")
        if self.kind == TrainingKind.RECOVERY_TOOL:
            return (self.kind, self.recovery_tool)
        return (self.kind, self.title.strip().lower())

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == TrainingKind.RECOVERY_TOOL and not self.recovery_tool:
            errors["recovery_tool"] = _("Choose the recovery tool.")
        if self.kind in (TrainingKind.EDUCATION, TrainingKind.CREDENTIAL) and not self.title:
            errors["title"] = _("Give the module or credential a title.")
        if self.kind == TrainingKind.CHILD_PROTECTION and not self.expires_on:
            errors["expires_on"] = _("A child-protection certificate needs an expiry date.")
        if self.expires_on and self.completed_on and self.expires_on <= self.completed_on:
            errors["expires_on"] = _("The expiry date must be after the date it was issued.")
        if errors:
            raise ValidationError(errors)


class PathwayKind(models.TextChoices):
    SKILL = "skill", _("Skill gained")
    COURSE = "course", _("Course taken")
    EDUCATION = "education", _("Towards education")
    FLEXJOB = "flexjob", _("Towards a flexjob")
    JOB = "job", _("Towards a job")
    OTHER = "other", _("Other")


class PathwayEntry(models.Model):
    """The peer's own development log. Only the peer sees and edits it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=PathwayKind.choices)
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("in my own words"), max_length=2000, blank=True)
    happened_on = models.DateField(_("when"))
    on_statement = models.BooleanField(_("show on my skills statement"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return self.title


class FlagNotice(models.Model):
    """A flag already e-mailed: one row per flag and occasion, so a daily run sends it once.

    ``occasion`` names the period or record the flag is about (the date supervision was last
    held, the credential record), so a renewed credential or a new overdue period is new.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="+")
    flag = models.CharField(max_length=32)
    occasion = models.CharField(max_length=64)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "flag", "occasion"], name="one_notice_per_flag_occasion"
            )
        ]

    def __str__(self):
        return f"{self.flag} {self.occasion}"
