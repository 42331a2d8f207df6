"""Support courses (forløb): the relation between a citizen and their peer, its sessions and
goals, hand-overs between services, and the communities a citizen joins on the way."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.lib.days import MidnightUTC

DEFAULT_INACTIVITY_DAYS = 21


class CourseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


LIVE_COURSE_STATUSES = (CourseStatus.ACTIVE, CourseStatus.PAUSED)


class CourseForm(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual conversations")
    ACTIVITY = "activity", _("Built around activities")
    MIXED = "mixed", _("Mixed")


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    MOVED_ON = "moved_on", _("Moved on to volunteer support or civil society")
    MOVED_AWAY = "moved_away", _("Moved away")
    STOPPED_BY_CITIZEN = "stopped_by_citizen", _("Stopped by the citizen")
    REFERRED_TO_PROFESSIONALS = "referred_to_professionals", _("Referred to professional help")
    OTHER = "other", _("Other")


class SupportSettings(models.Model):
    """A programme's settings for its support courses."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.OneToOneField(
        "orgs.Programme", on_delete=models.CASCADE, related_name="support_settings"
    )
    inactivity_days = models.PositiveSmallIntegerField(
        _("days without a session before a course is flagged"),
        default=DEFAULT_INACTIVITY_DAYS,
        validators=[MinValueValidator(3), MaxValueValidator(365)],
    )

    objects = ScopedManager(organisation="organisation")

    def __str__(self):
        return f"{self.programme}: {self.inactivity_days}"


class Course(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="courses"
    )
    programme = models.ForeignKey("orgs.Programme", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="courses")
    peers = models.ManyToManyField("people.Peer", related_name="courses", verbose_name=_("peers"))
    match = models.OneToOneField(
        "matching.Match", null=True, blank=True, on_delete=models.PROTECT, related_name="course"
    )
    support_request = models.ForeignKey(
        "intake.SupportRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.ACTIVE
    )
    started_on = models.DateField(_("started"))
    review_on = models.DateField(_("planned review"), null=True, blank=True)
    purposes = models.JSONField(_("what the support is about"), default=list, blank=True)
    form = models.CharField(
        _("form"), max_length=12, choices=CourseForm.choices, default=CourseForm.INDIVIDUAL
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why the course ended"), max_length=32, choices=EndReason.choices, blank=True
    )
    end_words = models.TextField(
        _("the citizen's own words about the ending"), max_length=2000, blank=True
    )
    last_session_at = models.DateTimeField(null=True, blank=True, editable=False)
    nudged_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("support course")
        verbose_name_plural = _("support courses")
        # The course list's order: a page of an organisation's courses is read from the index,
        # not sorted from all of them; its (organisation, status) prefix serves the counts.
        indexes = [
            models.Index(
                fields=["organisation", "status", "-started_on", "id"], name="course_list_order"
            ),
            # The start page's quiet courses: an organisation's active courses in the order they
            # went quiet (``support.selectors.QUIET_SINCE``), the quietest first.
            models.Index(
                F("organisation"),
                Coalesce(F("last_session_at"), MidnightUTC(F("started_on"))),
                F("id"),
                name="course_quiet_order",
                condition=Q(status="active"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__isnull=False)
                | (~Q(status="ended") & Q(ended_on__isnull=True)),
                name="course_ended_has_date",
            )
        ]

    def __str__(self):
        return f"{self.programme} #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_COURSE_STATUSES

    @property
    def is_planned(self) -> bool:
        """Live but not begun: its first day (e.g. a hand-over's meeting) is still ahead."""
        return self.is_live and self.started_on > timezone.localdate()

    def get_shown_status_display(self) -> str:
        return _("Planned") if self.is_planned else self.get_status_display()


class GoalSource(models.TextChoices):
    STAFF = "staff", _("written by staff")
    REQUEST = "request", _("the citizen's own words from their request")
    HANDOVER = "handover", _("carried over with a hand-over")


class GoalVersion(models.Model):
    """One version of the citizen's goals in their own words; the latest is current. Who wrote it
    is said truthfully: a member of staff (``recorded_by``), the citizen in their request, or
    another course's version carried over with a hand-over (``carried_from``, ``written_at``)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="goal_versions")
    text = models.TextField(_("goals in the citizen's own words"), max_length=3000)
    written_together = models.BooleanField(_("written together with the citizen"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=GoalSource.choices, default=GoalSource.STAFF)
    written_at = models.DateTimeField(null=True, blank=True)  # request or carried version
    carried_from = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"goals of course {self.course_id}"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SessionForm(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    CHAT = "chat", _("Chat")
    WALK = "walk", _("Walk-and-talk")


class SessionKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    ACTIVITY = "activity", _("Activity")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment to a service")
    BRIDGE = "bridge", _("Bridge to an association")


class ChimeTheme(models.TextChoices):
    CONNECTEDNESS = "connectedness", _("Connectedness")
    HOPE = "hope", _("Hope")
    IDENTITY = "identity", _("Identity")
    MEANING = "meaning", _("Meaning")
    EMPOWERMENT = "empowerment", _("Empowerment")


class Session(models.Model):
    """A meeting of a course: planned (an appointment in the calendar) or held (logged)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    status = models.CharField(max_length=12, choices=SessionStatus.choices)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
    )
    form = models.CharField(
        _("form"), max_length=12, choices=SessionForm.choices, default=SessionForm.IN_PERSON
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.CONVERSATION
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    recovery_tools = models.JSONField(_("recovery tools used"), default=list, blank=True)
    chime_themes = models.JSONField(_("themes touched"), default=list, blank=True)
    note = models.TextField(_("short note"), max_length=2000, blank=True)
    shared_with_team = models.TextField(
        _("what the citizen wants shared with the team"), max_length=2000, blank=True
    )
    peer = models.ForeignKey(
        "people.Peer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["course", "status", "starts_at"], name="session_course")]

    def __str__(self):
        return f"{self.get_status_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class DropInCount(models.Model):
    """Anonymous counts from a place where support happens without a course."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        "orgs.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("date"))
    contacts = models.PositiveIntegerField(
        _("number of contacts"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    minutes = models.PositiveIntegerField(
        _("minutes in all"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60 * 10)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-day", "-pk"]

    def __str__(self):
        return f"{self.unit} {self.day}: {self.contacts}"


class CommunityKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    ACTIVITY = "activity", _("Activity or club")
    SPORT = "sport", _("Sport and movement")
    CREATIVE = "creative", _("Creative or cultural")
    SELF_HELP = "self_help", _("Self-help or user-run group")
    VOLUNTEERING = "volunteering", _("Volunteering")
    EDUCATION = "education", _("Learning and education")
    FAITH = "faith", _("Faith community")
    OTHER = "other", _("Other")


class Community(models.Model):
    """A local community, association or activity in civil society that citizens can join."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=CommunityKind.choices)
    area = models.CharField(_("area"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility notes"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="community_unique_name")
        ]

    def __str__(self):
        return self.name


class CommunityLink(models.Model):
    """A course's citizen joined a community."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="communities")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="links")
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-joined_on", "-pk"]

    def __str__(self):
        return f"{self.community} ({self.joined_on})"


class HandoverStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for the citizen's consent")
    CONSENTED = "consented", _("Waiting for the receiving side")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the receiving side")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_HANDOVER_STATUSES = (HandoverStatus.PROPOSED, HandoverStatus.CONSENTED)


class SharedField(models.TextChoices):
    """What a hand-over may pass on, each only when the citizen consented to it."""

    NAME = "name", _("Name")
    CONTACT = "contact", _("Phone and e-mail")
    CONTACT_TIMES = "contact_times", _("Best times to contact")
    AGE = "age", _("Year of birth")
    MUNICIPALITY = "municipality", _("Municipality")
    LANGUAGES = "languages", _("Languages")
    GOALS = "goals", _("Goals in the citizen's own words")
    NOTE = "note", _("The sending peer's note")


class Handover(models.Model):
    """Bridge-building (brobygning) from a course to a programme of the same or another
    organisation. Scoped twice: the sending side finds it through ``objects``, the receiving
    side through ``incoming``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    from_course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="handovers_out")
    receiving_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    receiving_programme = models.ForeignKey(
        "orgs.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving programme"),
    )
    status = models.CharField(
        max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.PROPOSED
    )
    reason = models.TextField(_("why a hand-over"), max_length=2000)
    note = models.TextField(_("note to the receiving peer"), max_length=2000, blank=True)
    shared_fields = models.JSONField(default=list, blank=True)
    consent_method = models.CharField(max_length=16, blank=True)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(max_length=2000, blank=True)
    to_course = models.OneToOneField(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="handover_in"
    )
    meeting_at = models.DateTimeField(_("warm hand-over meeting"), null=True, blank=True)
    meeting_place = models.CharField(_("place of the meeting"), max_length=200, blank=True)

    objects = ScopedManager(organisation="organisation")
    incoming = ScopedManager(organisation="receiving_organisation")

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_course"],
                condition=Q(status__in=["proposed", "consented"]),
                name="one_open_handover_per_course",
            )
        ]

    def __str__(self):
        return f"hand-over to {self.receiving_programme}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HANDOVER_STATUSES


class FollowUpKind(models.TextChoices):
    HANDOVER = "handover", _("Hand-over")
    COMMUNITY = "community", _("Community")


class FollowUp(models.Model):
    """A check 3 or 6 months after a hand-over or after joining a community: did the citizen
    start, and are they still connected?"""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=FollowUpKind.choices)
    handover = models.ForeignKey(
        Handover, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    community_link = models.ForeignKey(
        CommunityLink, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    started = models.BooleanField(_("the citizen started"), null=True, blank=True)
    still_connected = models.BooleanField(_("still connected"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="handover", handover__isnull=False, community_link__isnull=True))
                | Q(kind="community", handover__isnull=True, community_link__isnull=False),
                name="follow_up_has_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.months} months"

    @property
    def is_done(self) -> bool:
        return self.recorded_at is not None


class CalendarFeed(models.Model):
    """A member's personal iCal address; only the digest of its token is stored."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.OneToOneField(
        "orgs.Membership", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"calendar feed {self.membership_id}"
