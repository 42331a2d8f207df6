import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.lib import crypto


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")


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
