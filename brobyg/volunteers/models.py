"""The road into the volunteer role: an organisation's named stages and the applications that
move through them. An applicant is not a citizen and has no account until they become active;
they are a data subject of their own (``AUDIT_SUBJECT_TYPE``)."""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.people.models import ExperienceArea, Gender


class StageKind(models.TextChoices):
    STEP = "step", _("An ordinary step")
    CERTIFICATE = "certificate", _("Criminal-record certificate seen")
    ACTIVE = "active", _("Active volunteer")


class Stage(models.Model):
    """One step of an organisation's pipeline, in ``position`` order. Exactly one stage is of
    kind ``active``: reaching it makes the applicant a volunteer peer."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="volunteer_stages"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=StageKind.choices)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "position"], name="volunteer_stage_position"
            ),
        ]

    def __str__(self):
        return self.name


class AgreementVersion(models.Model):
    """One version of an organisation's volunteer agreement; a changed text is a new version,
    so what a volunteer accepted stays readable."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="volunteer_agreements"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("agreement text"), max_length=20000)
    created_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="volunteer_agreement_number"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} v{self.number}"


class ApplicationStatus(models.TextChoices):
    OPEN = "open", _("In the pipeline")
    ACTIVE = "active", _("Active volunteer")
    NOT_NOW = "not_now", _("Not now")


class VolunteerAvailability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekdays in the daytime")
    EVENINGS = "evenings", _("Evenings")
    WEEKENDS = "weekends", _("Weekends")


class CertificateKind(models.TextChoices):
    CHILDREN = "children", _("Børneattest (work with under-18s)")
    CRIMINAL_RECORD = "criminal_record", _("Straffeattest")


class NotNowReason(models.TextChoices):
    TIMING = "timing", _("The timing is not right for the applicant")
    FIT = "fit", _("The role does not fit what the applicant is looking for")
    OWN_RECOVERY = "own_recovery", _("The applicant should focus on their own recovery first")
    NO_CAPACITY = "no_capacity", _("We cannot take new volunteers right now")
    WITHDREW = "withdrew", _("The applicant withdrew")
    OTHER = "other", _("Other")


class Application(models.Model):
    """A person's application to become a volunteer peer, from the public page to active."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="volunteer_applications"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default="open"
    )
    stage_entered_at = models.DateTimeField()
    # About the applicant
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    experience_areas = models.JSONField(_("lived experience"), default=list, blank=True)
    availability = models.JSONField(_("when you can volunteer"), default=list, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours a month"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    own_recovery = models.TextField(_("your own recovery experience"), max_length=2000)
    motivation = models.TextField(_("why you would like to volunteer"), max_length=2000)
    works_with_minors = models.BooleanField(_("would like to support young people under 18"))
    in_crisis = models.BooleanField(default=False)
    consent_given_at = models.DateTimeField()
    # The criminal-record certificate: only that it was seen, when and by whom.
    certificate_kind = models.CharField(
        _("certificate"), max_length=16, choices=CertificateKind.choices, blank=True
    )
    certificate_seen_on = models.DateField(_("certificate seen on"), null=True, blank=True)
    certificate_seen_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The ending
    closed_at = models.DateTimeField(null=True, blank=True)
    not_now_reason = models.CharField(
        _("reason"), max_length=16, choices=NotNowReason.choices, blank=True
    )
    peer = models.OneToOneField(
        "people.Peer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_application",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The volunteer agreement: the version sent by personal link, and the one accepted, when.
    agreement_sent = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreement_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    agreement_link_expires_at = models.DateTimeField(null=True, blank=True)
    agreement_accepted = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreement_accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_SUBJECT_TYPE = "volunteer_applicant"
    AUDIT_LABEL = False  # a name is personal data: the log keeps the id only

    class Meta:
        verbose_name = _("volunteer application")
        indexes = [
            models.Index(fields=["organisation", "status"], name="volunteer_app_org_status"),
            models.Index(fields=["status", "closed_at"], name="volunteer_app_closed"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == ApplicationStatus.OPEN

    def get_experience_areas_display(self):
        return [ExperienceArea(code).label for code in self.experience_areas]

    def get_availability_display(self):
        return [VolunteerAvailability(code).label for code in self.availability]


class StageEvent(models.Model):
    """A step of an application's history, with the coordinator's note for the stage."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    stage = models.ForeignKey(Stage, null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.stage_id} ({self.status})"


class MileageRate(models.Model):
    """The state's rate per km for transport in the volunteer's own vehicle, as the
    organisation's administrator sets it, from a date on."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="mileage_rates"
    )
    valid_from = models.DateField(_("valid from"))
    rate_per_km = models.DecimalField(
        _("kroner per km"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99"))],
    )
    set_by = models.ForeignKey("orgs.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"{self.rate_per_km} ({self.valid_from})"


class HoursEntry(models.Model):
    """Hours a volunteer gave to a task that is not a session or a group (sessions and groups
    are counted from their own records)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey(
        "people.Peer", on_delete=models.CASCADE, related_name="volunteer_hours"
    )
    day = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    task = models.CharField(_("task"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["peer", "day"], name="volunteer_hours_peer_day")]

    def __str__(self):
        return f"{self.day}: {self.minutes} min"


class ExpenseKind(models.TextChoices):
    TRANSPORT = "transport", _("Transport in own vehicle (per km)")
    TICKET = "ticket", _("Tickets (bus, train, entry)")
    CAFE = "cafe", _("Café with a citizen")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Claim(models.Model):
    """One expense a volunteer claims back, with a photo of the receipt (kept in the database,
    served only to the volunteer and the organisation's coordinators)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenseKind.choices)
    day = models.DateField(_("date"))
    description = models.CharField(_("what for"), max_length=300)
    km = models.DecimalField(
        _("km"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("2000"))],
    )
    rate_per_km = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(
        _("amount in kroner"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100000"))],
    )
    receipt = models.BinaryField(null=True, blank=True, editable=False)
    receipt_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default="submitted"
    )
    submitted_at = models.DateTimeField()
    times_submitted = models.PositiveSmallIntegerField(default=1)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_note = models.TextField(_("why it was returned"), max_length=1000, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["day", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "day"], name="claim_org_status_day"),
            models.Index(fields=["peer", "day"], name="claim_peer_day"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.day}"

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt_type)
