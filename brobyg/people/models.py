import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Upper
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.lib import crypto
from brobyg.orgs.choices import Purpose, RecoveryTool, SupportType
from brobyg.people.vocabulary import LANGUAGE_CODES, MUNICIPALITIES


class ContactChannel(models.TextChoices):
    """How a citizen who gave both an e-mail address and a mobile number is reached (links,
    receipts, reminders, message notices); ``sms.selectors.channels`` decides."""

    EMAIL = "email", _("By e-mail")
    SMS = "sms", _("By text message (SMS)")
    BOTH = "both", _("By e-mail and text message")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    FROM_30_TO_50 = "30_50", _("30 to 50")
    OVER_50 = "over_50", _("Over 50")


class PreferredForm(models.TextChoices):
    """How support is given; a citizen wishes some, a peer offers some."""

    INDIVIDUAL = "individual", _("Individual conversations")
    GROUP = "group", _("In a group")
    PHONE = "phone", _("By phone")
    ONLINE = "online", _("Online")
    ACTIVITY = "activity", _("Built around an activity")


class Citizen(models.Model):
    """A person who asks for or receives peer support. Citizens have no account."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="citizens"
    )
    name = models.CharField(_("name or chosen name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    contact_times = models.CharField(_("best times to contact"), max_length=200, blank=True)
    contact_channel = models.CharField(
        _("how we reach you"),
        max_length=8,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    services_contact = models.CharField(
        _("current contact with services"), max_length=500, blank=True
    )
    cpr_encrypted = models.TextField(blank=True, editable=False)
    cpr_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Name, phone and e-mail in capitals, kept by the database: a search for part of any of them
    # is one LIKE per citizen instead of three UPPER()s (``selectors.citizen_contains``).
    search_text = models.GeneratedField(
        expression=Upper(
            Concat(
                "name", Value("\n"), "phone", Value("\n"), "email", output_field=models.TextField()
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ScopedManager(organisation="organisation")

    AUDIT_SUBJECT_TYPE = "citizen"
    AUDIT_LABEL = False  # a name is personal data: the log keeps the id only

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        indexes = [
            models.Index(fields=["organisation", "phone"], name="citizen_org_phone"),
            models.Index(fields=["organisation", "email"], name="citizen_org_email"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.phone and not self.email:
            raise ValidationError(_("Give a phone number or an e-mail address, or both."))
        if not isinstance(self.languages, list) or not all(
            isinstance(code, str) and 0 < len(code) <= 40 for code in self.languages
        ):
            raise ValidationError({"languages": _("Give the languages as a list.")})

    @property
    def has_cpr(self) -> bool:
        return bool(self.cpr_encrypted)

    @property
    def cpr_masked(self) -> str:
        """Date of birth shown, the last four digits never: ``010190-xxxx``."""
        return f"{crypto.decrypt(self.cpr_encrypted)[:6]}-xxxx" if self.cpr_encrypted else ""


class ConsentPurpose(models.TextChoices):
    SUPPORT = "support", _("Receiving peer support")
    QUESTIONNAIRES = "questionnaires", _("Being contacted for questionnaires")
    EVALUATION = "evaluation", _("Use of answers in evaluation (without name)")
    SHARE_WITH_ORGANISATION = "share_with_organisation", _("Sharing with a named organisation")
    SHARE_WITH_TEAM = "share_with_team", _("Sharing what the peer hears with the team")
    QUOTES = "quotes", _("Quoting their own words, without name, in reports")


class ConsentMethod(models.TextChoices):
    SELF_REFERRAL = "self_referral", _("The citizen's own request form")
    PERSONAL_LINK = "personal_link", _("The citizen's personal link")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITTEN = "written", _("In writing")
    REFERRER = "referrer", _("Obtained by the referring member of staff")


class ConsentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Consent records are never changed; record a new one.")

    def delete(self):
        raise ValidationError("Consent records are never deleted; record a withdrawal.")

    def reassign_for_merge(self, citizen) -> int:
        """Move these records, unchanged otherwise, to ``citizen``: the one exception to never
        changing a consent record, used only by ``people.services.citizens_merge``."""
        return models.QuerySet.update(self, citizen=citizen)


class Consent(models.Model):
    """One event in a citizen's consent history: given or withdrawn, for one purpose.

    Records are only ever added, so the history shows who recorded what, when and how. The
    current state of a purpose is its latest record; a withdrawal takes effect at once.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    shared_with = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared with"),
    )
    given = models.BooleanField(_("given"))
    method = models.CharField(_("how obtained"), max_length=16, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(
        models.Manager.from_queryset(ConsentQuerySet), organisation="organisation"
    )

    AUDIT_LABEL = False

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.given}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Consent records are never changed; record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Consent records are never deleted; record a withdrawal.")

    def clean(self):
        super().clean()
        if (self.purpose == ConsentPurpose.SHARE_WITH_ORGANISATION) != bool(self.shared_with_id):
            raise ValidationError(
                {"shared_with": _("Name the organisation exactly when consenting to sharing.")}
            )
        if self.citizen_id and self.organisation_id != self.citizen.organisation_id:
            raise ValidationError("A consent belongs to the citizen's organisation.")


class ExperienceArea(models.TextChoices):
    """Areas of lived experience a peer may declare and a citizen may wish to share."""

    ANXIETY = "anxiety", _("Anxiety")
    DEPRESSION = "depression", _("Depression")
    BIPOLAR = "bipolar", _("Bipolar disorder")
    PSYCHOSIS = "psychosis", _("Psychosis or schizophrenia")
    OCD = "ocd", _("OCD")
    TRAUMA = "trauma", _("Trauma or PTSD")
    EATING_DISORDER = "eating_disorder", _("Eating disorder")
    SELF_HARM = "self_harm", _("Self-harm")
    PERSONALITY = "personality", _("Personality disorder")
    ADHD_AUTISM = "adhd_autism", _("ADHD or autism")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    STRESS = "stress", _("Stress")
    LONELINESS = "loneliness", _("Loneliness")
    GRIEF = "grief", _("Grief")
    HOMELESSNESS = "homelessness", _("Homelessness")
    ADMISSION = "admission", _("Psychiatric admission")
    RELATIVE = "relative", _("Being a relative")
    WORK_EDUCATION = "work_education", _("The road back to work or education")


class Weekday(models.TextChoices):
    MON = "mon", _("Monday")
    TUE = "tue", _("Tuesday")
    WED = "wed", _("Wednesday")
    THU = "thu", _("Thursday")
    FRI = "fri", _("Friday")
    SAT = "sat", _("Saturday")
    SUN = "sun", _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


AVAILABILITY_SLOTS = tuple(f"{day}_{part}" for day in Weekday.values for part in DayPart.values)


class PeerStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


def _codes_in(value, allowed) -> bool:
    return isinstance(value, list) and all(code in allowed for code in value)


class Peer(models.Model):
    """A peer's profile in one organisation: what they offer, when, and how many citizens.

    Only active peers are ever proposed for a match. Lived-experience areas are self-declared
    and shown only to the peer and the organisation's coordinators.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="peers"
    )
    user = models.ForeignKey(
        "orgs.User",
        on_delete=models.PROTECT,
        related_name="peer_profiles",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("paid or volunteer"), max_length=16, choices=SupportType.choices)
    programmes = models.ManyToManyField(
        "orgs.Programme", related_name="peers", blank=True, verbose_name=_("programmes")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PeerStatus.choices, default=PeerStatus.ONBOARDING
    )
    status_changed_at = models.DateTimeField(auto_now_add=True)
    experience_areas = models.JSONField(_("lived experience"), default=list, blank=True)
    recovery_tools = models.JSONField(_("recovery tools trained in"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    municipalities = models.JSONField(_("municipalities"), default=list, blank=True)
    works_remote = models.BooleanField(_("can support by phone or online"), default=False)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("citizens at a time"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    supports_min_age = models.PositiveSmallIntegerField(
        _("supports citizens from the age of"),
        default=18,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )
    supports_max_age = models.PositiveSmallIntegerField(
        _("supports citizens up to the age of"),
        default=120,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )
    forms = models.JSONField(_("forms of support offered"), default=list, blank=True)
    strengths = models.JSONField(_("what the peer is good at supporting"), default=list, blank=True)
    presentation = models.TextField(
        _("a few words about me, shown to citizens"), max_length=600, blank=True
    )
    # The day of the latest supervision the peer attended, kept by peer care
    # (``peercare.services.attendance_record``, the only way attendances are written): "Needs
    # attention" tests it on each peer's row instead of finding the latest of every attendance.
    last_supervised_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        verbose_name = _("peer")
        verbose_name_plural = _("peers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_peer_profile"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="peer_org_status")]

    def __str__(self):
        return self.user.full_name

    @property
    def is_matchable(self) -> bool:
        return self.status == PeerStatus.ACTIVE

    def clean(self):
        super().clean()
        vocabularies = {
            "experience_areas": ExperienceArea.values,
            "recovery_tools": RecoveryTool.values,
            "languages": LANGUAGE_CODES,
            "municipalities": MUNICIPALITIES,
            "availability": AVAILABILITY_SLOTS,
            "forms": PreferredForm.values,
            "strengths": Purpose.values,
        }
        errors = {
            name: _("Choose from the list.")
            for name, allowed in vocabularies.items()
            if not _codes_in(getattr(self, name), allowed)
        }
        if self.supports_min_age > self.supports_max_age:
            errors["supports_max_age"] = _("The upper age must not be below the lower age.")
        if errors:
            raise ValidationError(errors)
