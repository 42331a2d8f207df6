"""Secure messages between a citizen and the staff of their support course (one conversation per
course), or between a group course's facilitators and its members (one conversation per group),
the links to them, and each organisation's answering hours and crisis words."""

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# Monday to Friday; Python's weekday numbers (Monday is 0).
DEFAULT_WEEKDAYS = [0, 1, 2, 3, 4]
DEFAULT_OPENS_AT = time(9, 0)
DEFAULT_CLOSES_AT = time(15, 0)
MAX_MESSAGE_LENGTH = 2000
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class AttachmentType(models.TextChoices):
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    PDF = "application/pdf", "PDF"


def default_weekdays():
    return list(DEFAULT_WEEKDAYS)


class ConversationSettings(models.Model):
    """An organisation's answering hours and the crisis words it adds to the built-in list."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="conversation_settings"
    )
    weekdays = models.JSONField(_("days with answers"), default=default_weekdays)
    opens_at = models.TimeField(_("answers from"), default=DEFAULT_OPENS_AT)
    closes_at = models.TimeField(_("answers until"), default=DEFAULT_CLOSES_AT)
    extra_crisis_words = models.TextField(
        _("more crisis words"),
        blank=True,
        max_length=4000,
        help_text=_("One word or phrase a line, in Danish or English."),
    )

    objects = ScopedManager(organisation="organisation")

    def __str__(self):
        return f"{self.organisation}: {self.opens_at}-{self.closes_at}"


class ConversationState(models.TextChoices):
    ACTIVE = "active", _("With the peer")
    WITH_COORDINATOR = "with_coordinator", _("Handed to the coordinator")
    PAUSED = "paused", _("Paused: the peer has a break, the coordinator answers")


class Conversation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # Exactly one of course and group. A course's conversation is with its citizen; a group's
    # has no citizen of its own: its members are the group's participants (Message.participant).
    course = models.OneToOneField(
        "support.Course",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conversation",
    )
    group = models.OneToOneField(
        "groups.GroupCourse",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conversation",
    )
    citizen = models.ForeignKey(
        "people.Citizen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ConversationState.choices,
        default=ConversationState.ACTIVE,
    )
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, group__isnull=True, citizen__isnull=False)
                    | models.Q(course__isnull=True, group__isnull=False, citizen__isnull=True)
                ),
                name="conversation_course_or_group",
            )
        ]

    def __str__(self):
        return f"conversation {self.public_id}"

    @property
    def peer_answers(self) -> bool:
        return self.state == ConversationState.ACTIVE

    @property
    def is_group(self) -> bool:
        return self.group_id is not None

    @property
    def is_live(self) -> bool:
        """Whether messages can still be written: the course is live, or the group planned or
        running."""
        if self.group_id is not None:
            from brobyg.groups.models import GroupStatus

            return self.group.status in (GroupStatus.PLANNED, GroupStatus.RUNNING)
        return self.course.is_live


class Message(models.Model):
    """One message. ``author`` is the member of staff who wrote it; None means the citizen.

    In a group's conversation ``participant`` is the member who wrote it (``from_citizen``), or
    the one member a facilitator answered; None is a message from staff to the whole group. A
    member sees only the messages to the whole group and their own (never another member's)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_citizen = models.BooleanField(default=False)
    participant = models.ForeignKey(
        "groups.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH)
    crisis = models.BooleanField(_("crisis signals"), default=False)
    # An attached image or PDF: its description here, its bytes in Attachment (read only when
    # served, so a page of messages never loads them).
    attachment_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_type = models.CharField(max_length=20, choices=AttachmentType.choices, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "conversation", "id"], name="message_conv_id")
        ]

    def __str__(self):
        return f"message {self.pk}"


class ConversationLink(models.Model):
    """A personal link the citizen opens the conversation with; only its digest is stored. In a
    group's conversation each member has their own (``participant``)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="links")
    participant = models.ForeignKey(
        "groups.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    def __str__(self):
        return f"link for {self.conversation_id}"


class Attachment(models.Model):
    """The bytes of a message's attachment (at most ``MAX_ATTACHMENT_BYTES``)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="attachment")
    content = models.BinaryField()

    objects = ScopedManager(organisation="organisation")

    def __str__(self):
        return f"attachment of {self.message_id}"
