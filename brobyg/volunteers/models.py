"""The road into the volunteer role: an organisation's named stages and the applications that
move through them. An applicant is not a citizen and has no account until they become active;
they are a data subject of their own (``AUDIT_SUBJECT_TYPE``)."""

import uuid

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
