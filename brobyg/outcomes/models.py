import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.outcomes.definitions import Definition, parse_definition


class RespondentKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    PEER = "peer", _("Peer")
    STAFF = "staff", _("Staff")
    PARTICIPANT = "participant", _("Group participant")


class Instrument(models.Model):
    """One version of a questionnaire, loaded from its definition file (``load_instruments``).

    Instruments are shared by every organisation; licensed texts are not (see InstrumentPack).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    respondent = models.CharField(_("answered by"), max_length=16, choices=RespondentKind.choices)
    definition = models.JSONField()
    digest = models.CharField(max_length=64, editable=False)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")
        ]

    def __str__(self):
        return f"{self.spec.title.get('en', self.code)} ({self.version})"

    @cached_property
    def spec(self) -> Definition:
        return parse_definition(self.definition)


class InstrumentPack(models.Model):
    """A licensed organisation's texts (and conversion table) for one instrument version."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="packs")
    licence = models.CharField(_("licence"), max_length=500)
    texts = models.JSONField(default=dict)
    conversion_table = models.JSONField(default=dict, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "instrument"], name="one_pack_per_org")
        ]

    def __str__(self):
        return f"{self.instrument} @ {self.organisation}"


class Schedule(models.Model):
    """When a programme's respondents of one kind are asked to answer one instrument.

    ``anchor_kind`` names a registered anchor (``brobyg.outcomes.schedules``): what the timing
    counts from, such as a citizen's match with a peer; ``timing`` holds its settings, e.g.
    ``{"baseline": true, "followup_months": [3, 6], "end": true}`` or ``{"every_days": 14}``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        "orgs.Programme", on_delete=models.PROTECT, related_name="outcome_schedules"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    anchor_kind = models.CharField(_("who and when"), max_length=32)
    timing = models.JSONField(default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument", "anchor_kind"], name="one_schedule_per_anchor"
            )
        ]

    def __str__(self):
        return f"{self.instrument.code} / {self.anchor_kind}"


class Invitation(models.Model):
    """One person asked to answer one instrument once, through a personal link.

    The person is a citizen, a member of staff (``user``), or a group participant: a participant
    who is a citizen has both ``participant`` and ``citizen``; a relative or a member of staff
    taking a course may have no citizen record, and then only ``participant``.

    The link's token is random (256 bits); its digest finds the invitation. The token is also
    kept encrypted, so that reminders and the printed QR code can carry the same link. An
    invitation answers one occasion of one anchor (a match, a peer, a membership): the unique
    constraint stops the periodic job from asking twice.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        "orgs.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    respondent_kind = models.CharField(max_length=16, choices=RespondentKind.choices)
    citizen = models.ForeignKey(
        "people.Citizen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey(
        "people.Peer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "groups.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_invitations",
    )
    anchor_kind = models.CharField(max_length=32)
    anchor_id = models.CharField(max_length=64)
    timepoint = models.CharField(_("when"), max_length=32)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_encrypted = models.TextField(editable=False)
    language = models.CharField(max_length=8, default="da")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instrument", "anchor_kind", "anchor_id", "timepoint"],
                name="one_invitation_per_occasion",
            ),
            models.CheckConstraint(
                condition=Q(citizen__isnull=False)
                | Q(user__isnull=False)
                | Q(participant__isnull=False),
                name="invitation_has_respondent",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "citizen"], name="invitation_org_citizen"),
            models.Index(fields=["organisation", "user"], name="invitation_org_user"),
            models.Index(fields=["completed_at", "expires_at"], name="invitation_open"),
        ]

    def __str__(self):
        return f"{self.instrument.code} {self.timepoint}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def is_expired(self) -> bool:
        return not self.is_completed and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return not self.is_completed and not self.is_expired

    @property
    def status(self) -> str:
        if self.is_completed:
            return "completed"
        return "expired" if self.is_expired else "open"


class Mode(models.TextChoices):
    SELF = "self", _("On their own")
    ASSISTED = "assisted", _("Together with the peer (assisted)")
    PAPER = "paper", _("On paper, typed in afterwards")
    IMPORTED = "imported", _("Imported from earlier data")


class Response(models.Model):
    """The answers to one invitation (or one imported questionnaire), and when they were given.

    ``answers`` holds item id -> value for scale items; ``text_answers`` the free text, kept
    apart because free text never reaches evaluators. A response is in progress until
    ``completed_at`` is set; its scores are stored then (Score).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        "orgs.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondent_kind = models.CharField(max_length=16, choices=RespondentKind.choices)
    citizen = models.ForeignKey(
        "people.Citizen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey(
        "people.Peer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "groups.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_responses",
    )
    timepoint = models.CharField(_("when"), max_length=32)
    answers = models.JSONField(default=dict)
    text_answers = models.JSONField(default=dict, blank=True)
    current_step = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=8, default="da")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.SELF)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True, db_index=True)
    total = models.FloatField(null=True, blank=True)
    citizen_sees_chart = models.BooleanField(default=False)
    shared_with_supervisor = models.BooleanField(default=False)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["answered_on", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "citizen", "instrument"], name="response_org_citizen"
            ),
            models.Index(fields=["organisation", "user"], name="response_org_user"),
            models.Index(
                fields=["organisation", "instrument", "timepoint"], name="response_report"
            ),
            # The few check-ins peers shared with their supervisors, among millions of answers.
            models.Index(
                fields=["organisation", "user"],
                condition=models.Q(
                    respondent_kind="peer",
                    shared_with_supervisor=True,
                    completed_at__isnull=False,
                ),
                name="response_shared_checkins",
            ),
        ]

    def __str__(self):
        return f"{self.instrument.code} {self.timepoint}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class Score(models.Model):
    """One score of a completed response: the total or a domain. ``value`` is empty when too
    many items were missing (or a conversion table is not loaded); ``raw`` is before any
    factor or conversion."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # Looked up through the index below, which starts with it.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    scale = models.CharField(max_length=32)
    value = models.FloatField(null=True, blank=True)
    raw = models.FloatField(null=True, blank=True)
    answered = models.PositiveSmallIntegerField()
    missing = models.PositiveSmallIntegerField()
    prorated = models.BooleanField(default=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "scale"], name="one_score_per_scale")
        ]
        indexes = [
            # The report reads a response's scores from the index alone (reports/change.py).
            models.Index(fields=["response", "scale", "value"], name="score_values"),
        ]

    def __str__(self):
        return f"{self.scale}: {self.value}"

    @classmethod
    def for_response(cls, response, results: dict) -> list["Score"]:
        """Unsaved rows for a response from ``scoring.score``'s results."""
        return [
            cls(
                organisation_id=response.organisation_id,
                response=response,
                scale=result.scale,
                value=result.value,
                raw=result.raw,
                answered=result.answered,
                missing=result.missing,
                prorated=result.prorated,
            )
            for result in results.values()
        ]


class AlertReason(models.TextChoices):
    DROP = "drop", _("A clear drop since the previous check-in")
    ASKED = "asked", _("Asked for a break or a talk")


class PeerAlert(models.Model):
    """A peer's check-in that the organisation's supervisors and coordinators are told about.

    It says why, never what the peer answered.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    peer = models.ForeignKey(
        "people.Peer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="alert")
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "handled_at"], name="alert_open")]

    def __str__(self):
        return ", ".join(self.reasons)

    def get_reasons_display(self) -> list[str]:
        labels = dict(AlertReason.choices)
        return [str(labels.get(reason, reason)) for reason in self.reasons]


class Pseudonym(models.Model):
    """An imported respondent's stable pseudonym and the citizen record it stands for."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(max_length=64)
    citizen = models.ForeignKey(
        "people.Citizen", on_delete=models.PROTECT, related_name="outcome_pseudonyms"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "value"], name="one_pseudonym")
        ]

    def __str__(self):
        return self.value
