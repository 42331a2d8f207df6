"""Group courses: recovery courses, activity groups, self-help groups and recovery-school courses,
their sessions, participants (citizens, relatives, staff), attendance and messages."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class GroupKind(models.TextChoices):
    RECOVERY_COURSE = "recovery_course", _("Recovery course")
    ACTIVITY_GROUP = "activity_group", _("Activity group")
    SELF_HELP = "self_help", _("Self-help group")
    RECOVERY_SCHOOL = "recovery_school", _("Recovery-school course")


class GroupTool(models.TextChoices):
    """The tool or manual a group is built on (the recovery tools of domain.md, or another)."""

    FIVE_WAYS = "five_ways", _("5 veje til et godt liv")
    EVERYDAY_LIFE = "everyday_life", _("Guide til et godt hverdagsliv")
    LIFE_STORIES = "life_stories", _("Livshistoriefortællinger")
    WRAP = "wrap", _("WRAP (Wellness Recovery Action Plan)")
    LAER_AT_TACKLE = "laer_at_tackle", _("Lær at tackle")
    OTHER = "other", _("Other")


class GroupTheme(models.TextChoices):
    GENERAL = "general", _("Recovery in general")
    ANXIETY_DEPRESSION = "anxiety_depression", _("Anxiety and depression")
    PSYCHOSIS = "psychosis", _("Psychosis")
    RELATIVES = "relatives", _("Being a relative")
    LONELINESS = "loneliness", _("Loneliness and community")
    SELF_HARM = "self_harm", _("Self-harm")
    EATING_DISORDER = "eating_disorder", _("Eating disorders")
    OTHER = "other", _("Other")


# Groups sharing these experiences can spread the behaviour (domain.md): never without a
# professional co-facilitator.
RISK_THEMES = frozenset({GroupTheme.SELF_HARM, GroupTheme.EATING_DISORDER})


class Setting(models.TextChoices):
    INSIDE = "inside", _("Inside services")
    OUTSIDE = "outside", _("Outside services")


class PlaceKind(models.TextChoices):
    UNIT = "unit", _("A service (unit)")
    VOLUNTEER_CENTRE = "volunteer_centre", _("Volunteer centre")
    CAFE = "cafe", _("Café")
    OTHER = "other", _("Other place")


class GroupStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class GroupCourse(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="group_courses"
    )
    programme = models.ForeignKey(
        "orgs.Programme",
        on_delete=models.PROTECT,
        related_name="group_courses",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("about the group"),
        max_length=2000,
        blank=True,
        help_text=_("Shown on the public sign-up page. No names or personal details."),
    )
    kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    tool = models.CharField(_("tool or manual"), max_length=20, choices=GroupTool.choices)
    tool_other = models.CharField(_("other tool or manual"), max_length=200, blank=True)
    theme = models.CharField(
        _("theme"),
        max_length=20,
        choices=GroupTheme.choices,
        default=GroupTheme.GENERAL,
        help_text=_(
            "Groups about self-harm or eating disorders can spread the behaviour between "
            "participants. Such a group cannot start without a professional co-facilitator."
        ),
    )
    setting = models.CharField(
        _("inside or outside services"), max_length=8, choices=Setting.choices
    )
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    place = models.CharField(_("place and address"), max_length=300, blank=True)
    facilitators = models.ManyToManyField(
        "people.Peer", blank=True, related_name="group_courses", verbose_name=_("peer facilitators")
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("professional co-facilitator"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=12, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    is_open = models.BooleanField(
        _("open group"),
        default=False,
        help_text=_("Anyone may drop in. Attendance can be counted without names (a head-count)."),
    )
    public_signup = models.BooleanField(
        _("public sign-up page"),
        default=False,
        help_text=_("People can sign up themselves through a page that needs no log-in."),
    )
    first_session_at = models.DateTimeField(_("first session"))
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    interval_days = models.PositiveSmallIntegerField(
        _("days between sessions"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("length of a session (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GroupStatus.choices, default=GroupStatus.PLANNED
    )
    status_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["first_session_at", "pk"]
        verbose_name = _("group course")
        verbose_name_plural = _("group courses")
        indexes = [models.Index(fields=["organisation", "status"], name="group_org_status")]

    def __str__(self):
        return self.title

    @property
    def needs_co_facilitator(self) -> bool:
        return self.theme in RISK_THEMES

    @property
    def place_label(self) -> str:
        if self.place_kind == PlaceKind.UNIT and self.unit_id:
            return self.unit.name + (f", {self.place}" if self.place else "")
        return self.place or self.get_place_kind_display()

    @property
    def tool_label(self) -> str:
        if self.tool == GroupTool.OTHER and self.tool_other:
            return self.tool_other
        return self.get_tool_display()

    def clean(self):
        super().clean()
        errors = {}
        if self.place_kind == PlaceKind.UNIT and not self.unit_id:
            errors["unit"] = _("Choose the service the group meets in.")
        if self.unit_id and self.unit.organisation_id != self.organisation_id:
            errors["unit"] = _("Choose one of your organisation's services.")
        if self.programme_id and self.programme.organisation_id != self.organisation_id:
            errors["programme"] = _("Choose one of your organisation's programmes.")
        if self.tool == GroupTool.OTHER and not self.tool_other.strip():
            errors["tool_other"] = _("Name the tool or manual.")
        if errors:
            raise ValidationError(errors)


class GroupSession(models.Model):
    """One meeting of a group, planned from the group's session plan."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(GroupCourse, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place for this session"),
        max_length=300,
        blank=True,
        help_text=_("Only when it differs from the group's usual place."),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    headcount = models.PositiveSmallIntegerField(_("head-count"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="group_session_number")
        ]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="group_session_when")]

    def __str__(self):
        return f"{self.group} #{self.number}"

    @property
    def place_label(self) -> str:
        return self.place or self.group.place_label


class ParticipantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    RELATIVE = "relative", _("Relative")
    STAFF = "staff", _("Staff")


class ParticipantStatus(models.TextChoices):
    WAITING = "waiting", _("On the group's waiting list")
    ENROLLED = "enrolled", _("Enrolled")
    LEFT = "left", _("Left the group")


class ParticipantSource(models.TextChoices):
    WAITING_LIST = "waiting_list", _("From the waiting list")
    REFERRAL = "referral", _("By referral")
    PUBLIC_SIGNUP = "public_signup", _("Open sign-up")
    COORDINATOR = "coordinator", _("Added by the coordinator")


class Participant(models.Model):
    """A person in a group. A citizen points to their Citizen record; a relative or a member of
    staff (recovery schools teach all three) may have none and keeps a name and a contact here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(GroupCourse, on_delete=models.PROTECT, related_name="participants")
    kind = models.CharField(_("participant type"), max_length=12, choices=ParticipantKind.choices)
    citizen = models.ForeignKey(
        "people.Citizen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_participations",
    )
    own_name = models.CharField(_("name"), max_length=200, blank=True)
    own_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    own_phone = models.CharField(_("phone"), max_length=32, blank=True)
    questionnaire_consent = models.BooleanField(
        _("may be asked to evaluate the course"), default=False
    )
    status = models.CharField(max_length=12, choices=ParticipantStatus.choices)
    source = models.CharField(max_length=16, choices=ParticipantSource.choices)
    support_request = models.ForeignKey(
        "intake.SupportRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    in_crisis = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_SUBJECT_TYPE = "group_participant"
    AUDIT_LABEL = False

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("group participant")
        verbose_name_plural = _("group participants")
        indexes = [
            models.Index(fields=["organisation", "group", "status"], name="participant_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="citizen") | models.Q(citizen__isnull=False),
                name="participant_citizen_has_record",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.citizen.name if self.citizen_id else self.own_name

    @property
    def email(self) -> str:
        return self.citizen.email if self.citizen_id else self.own_email

    @property
    def phone(self) -> str:
        return self.citizen.phone if self.citizen_id else self.own_phone

    @property
    def audit_subject(self):
        """Whom the audit log files an entry under: the citizen when there is a record."""
        return self.citizen if self.citizen_id else self

    def clean(self):
        super().clean()
        if self.citizen_id is None and not self.own_name.strip():
            raise ValidationError({"own_name": _("Write the participant's name.")})
        if self.citizen_id is None and not (self.own_email or self.own_phone):
            raise ValidationError(
                {"own_phone": _("Give a phone number or an e-mail address, or both.")}
            )


class Attendance(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="one_attendance_row")
        ]

    def __str__(self):
        return f"{self.session}: {self.present}"


class MessageKind(models.TextChoices):
    CHANGE_OF_PLACE = "change_of_place", _("Change of place")
    CANCELLATION = "cancellation", _("Cancellation")
    OTHER = "other", _("Other news")


class GroupMessage(models.Model):
    """An e-mail sent to every participant of a group, kept as a log of what was said."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(GroupCourse, on_delete=models.PROTECT, related_name="messages")
    session = models.ForeignKey(
        GroupSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("about"), max_length=20, choices=MessageKind.choices)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=3000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveSmallIntegerField(default=0)
    without_email_count = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject
