import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.people.models import AgeBand


class Source(models.TextChoices):
    SELF_REFERRAL = "self_referral", _("Self-referral")
    STAFF_REFERRAL = "staff_referral", _("Referral from staff")
    IMPORTED = "imported", _("Imported from a spreadsheet")


class Status(models.TextChoices):
    NEW = "new", _("New")
    SCREENED = "screened", _("Screened")
    WAITING = "waiting", _("On the waiting list")
    MATCHED = "matched", _("Matched with a peer")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (Status.NEW, Status.SCREENED, Status.WAITING)
# What the start page's figures read of each request of a status (the index on organisation and
# status carries them, so PostgreSQL answers those figures from the index alone).
QUEUE_COLUMNS = [
    "id",
    "programme",
    "created_at",
    "urgent",
    "below_minimum_age",
    "age_override_reason",
]
# Which statuses a coordinator may move a request to from each status.
TRANSITIONS = {
    Status.NEW: (Status.SCREENED, Status.REFERRED_ELSEWHERE, Status.WITHDRAWN, Status.DECLINED),
    Status.SCREENED: (Status.WAITING, Status.REFERRED_ELSEWHERE, Status.WITHDRAWN, Status.DECLINED),
    Status.WAITING: (
        Status.MATCHED,
        Status.REFERRED_ELSEWHERE,
        Status.WITHDRAWN,
        Status.DECLINED,
    ),
    Status.MATCHED: (),
    Status.REFERRED_ELSEWHERE: (),
    Status.WITHDRAWN: (),
    Status.DECLINED: (),
}
# Closing a request this way needs a reason in words.
NEEDS_REASON = (Status.REFERRED_ELSEWHERE, Status.DECLINED)


class PeerTypeWish(models.TextChoices):
    NO_PREFERENCE = "no_preference", _("No preference")
    PAID = "paid", _("A paid peer in a service")
    VOLUNTEER = "volunteer", _("A volunteer peer")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekdays in the daytime")
    EVENINGS = "evenings", _("Evenings")
    WEEKENDS = "weekends", _("Weekends")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By e-mail")
    IN_PERSON = "in_person", _("In person")
    TEXT_MESSAGE = "text_message", _("By text message")


class SupportRequest(models.Model):
    """A citizen's request for peer support in one programme, from first contact to its outcome."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: every index in Meta starts with the organisation, and with one of its
    # own PostgreSQL read all of an organisation's requests for its open ones.
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="support_requests",
        db_index=False,
    )
    programme = models.ForeignKey(
        "orgs.Programme", on_delete=models.PROTECT, related_name="support_requests"
    )
    citizen = models.ForeignKey(
        "people.Citizen", on_delete=models.PROTECT, related_name="support_requests"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referring_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral_reason = models.TextField(_("reason for the referral"), max_length=2000, blank=True)

    purposes = models.JSONField(_("what support is wanted with"), default=list, blank=True)
    own_words = models.TextField(_("in the citizen's own words"), max_length=2000, blank=True)
    forms = models.JSONField(_("preferred forms"), default=list, blank=True)
    peer_type = models.CharField(
        _("paid or volunteer peer"),
        max_length=16,
        choices=PeerTypeWish.choices,
        default=PeerTypeWish.NO_PREFERENCE,
    )
    wish_gender = models.CharField(_("wished gender of the peer"), max_length=8, blank=True)
    wish_age_band = models.CharField(
        _("wished age of the peer"), max_length=8, choices=AgeBand.choices, blank=True
    )
    wish_language = models.CharField(_("wished language"), max_length=40, blank=True)
    wish_shared_experience = models.CharField(
        _("experiences the peer should share"), max_length=500, blank=True
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)

    in_crisis = models.BooleanField(_("said to be in crisis"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False, db_index=True)
    below_minimum_age = models.BooleanField(default=False)
    age_override_reason = models.TextField(max_length=1000, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    status_reason = models.TextField(max_length=1000, blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    first_contact_at = models.DateField(null=True, blank=True)
    first_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_contact_method = models.CharField(
        max_length=16, choices=ContactMethod.choices, blank=True
    )

    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    link_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        verbose_name = _("request for support")
        verbose_name_plural = _("requests for support")
        indexes = [
            models.Index(fields=["organisation", "programme", "status"], name="request_queue"),
            # The requests of one status, or of the open ones (the start page's counts and
            # queues): the organisation's rows of that status, not all of its requests, read
            # from the index alone on PostgreSQL (the columns those figures need are in it).
            models.Index(
                fields=["organisation", "status"],
                include=QUEUE_COLUMNS,
                name="request_org_status",
            ),
            # The waiting list's order (urgent first, then oldest), open requests only: a page
            # of it reads 50 index entries, not every request of the installation.
            models.Index(
                fields=["organisation", "-urgent", "created_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_order",
            ),
            # The start page's queues: each programme's requests that wait for peer support
            # (``selectors.queue_figures``) in the order they came, read from the index alone.
            models.Index(
                fields=["organisation", "programme", "created_at", "id"],
                include=["urgent"],
                condition=models.Q(status__in=OPEN_STATUSES)
                & ~models.Q(below_minimum_age=True, age_override_reason=""),
                name="request_queue_order",
            ),
        ]

    def __str__(self):
        return f"{self.programme} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def allowed_next_statuses(self):
        return TRANSITIONS[Status(self.status)]


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Request received")
    STATUS_CHANGED = "status_changed", _("Status changed")
    FIRST_CONTACT = "first_contact", _("First contact")
    AGE_OVERRIDE = "age_override", _("Minimum age overridden")
    CONTACT_UPDATED = "contact_updated", _("Contact details updated by the citizen")
    MERGED = "merged", _("Merged with a duplicate")


class RequestEvent(models.Model):
    """The history of a request, shown on its page and in the citizen's timeline."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    reason = models.TextField(max_length=1000, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.get_kind_display()
