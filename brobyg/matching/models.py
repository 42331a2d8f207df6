import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for the peer")
    PEER_ACCEPTED = "peer_accepted", _("Accepted by the peer, waiting for the citizen")
    ACTIVE = "active", _("Active")
    DECLINED_BY_PEER = "declined_by_peer", _("Declined by the peer")
    DECLINED_BY_CITIZEN = "declined_by_citizen", _("Declined by the citizen")
    WITHDRAWN = "withdrawn", _("Withdrawn by the coordinator")
    ENDED = "ended", _("Ended")


# A match in one of these takes one of the peer's places and is the request's one live match.
LIVE_STATUSES = (MatchStatus.PROPOSED, MatchStatus.PEER_ACCEPTED, MatchStatus.ACTIVE)
PENDING_STATUSES = (MatchStatus.PROPOSED, MatchStatus.PEER_ACCEPTED)


class CitizenAnswerMethod(models.TextChoices):
    PERSONAL_LINK = "personal_link", _("The citizen's personal link")
    PHONE = "phone", _("By phone, recorded by the coordinator")
    IN_PERSON = "in_person", _("In person, recorded by the coordinator")


class Match(models.Model):
    """A citizen's request paired with a peer: proposed, accepted by both, then active.

    The explanation is stored as the criteria's contributions at the time of the proposal (codes
    and numbers, not sentences), so it is shown in the reader's language and does not change
    when profiles do.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="matches"
    )
    programme = models.ForeignKey(
        "orgs.Programme", on_delete=models.PROTECT, related_name="matches"
    )
    support_request = models.ForeignKey(
        "intake.SupportRequest", on_delete=models.PROTECT, related_name="matches"
    )
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="matches")
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="matches")
    batch = models.ForeignKey(
        "matching.BatchRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    score = models.FloatField(_("fit"))
    explanation = models.JSONField(default=list, blank=True)
    note_to_peer = models.TextField(_("note to the peer"), max_length=1000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    peer_answered_at = models.DateTimeField(null=True, blank=True)
    citizen_answered_at = models.DateTimeField(null=True, blank=True)
    citizen_answer_method = models.CharField(
        max_length=16, choices=CitizenAnswerMethod.choices, blank=True
    )
    decline_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), max_length=1000, blank=True)
    # NULL, not "", when there is no link: many matches have none, and the column is unique.
    token_digest = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    link_expires_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["support_request"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_match_per_request",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="match_org_status"),
            models.Index(fields=["peer", "status"], name="match_peer_status"),
        ]

    def __str__(self):
        return self.get_status_display()

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class ExclusionSource(models.TextChoices):
    CITIZEN = "citizen", _("The citizen does not want this peer")
    PEER = "peer", _("The peer should not support this citizen")
    COORDINATOR = "coordinator", _("Decided by a coordinator")
    ENDED_MATCH = "ended_match", _("An ended match marked 'do not re-match'")


class Exclusion(models.Model):
    """'Not this person': the peer is never proposed for the citizen."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        "people.Citizen", on_delete=models.PROTECT, related_name="match_exclusions"
    )
    peer = models.ForeignKey("people.Peer", on_delete=models.PROTECT, related_name="exclusions")
    source = models.CharField(_("why"), max_length=16, choices=ExclusionSource.choices)
    reason = models.TextField(_("in words"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(fields=["citizen", "peer"], name="one_exclusion_per_pair"),
        ]

    def __str__(self):
        return self.get_source_display()


class RequestWishes(models.Model):
    """What the coordinator adds to a request for matching: the experiences the citizen wants to
    share with a peer, the language, and which wishes are a must."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    support_request = models.OneToOneField(
        "intake.SupportRequest", on_delete=models.PROTECT, related_name="matching_wishes"
    )
    experience_areas = models.JSONField(_("experiences to share"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    musts = models.JSONField(_("must-have wishes"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    def __str__(self):
        return str(self.support_request)


class ProgrammeWeights(models.Model):
    """How much each criterion counts when matching in a programme (0-10; missing = default)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.OneToOneField(
        "orgs.Programme", on_delete=models.CASCADE, related_name="matching_weights"
    )
    weights = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    def __str__(self):
        return str(self.programme)


class BatchStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", _("Waiting for approval")
    DECIDED = "decided", _("Decided")


class BatchRun(models.Model):
    """'Match the waiting list': one optimal assignment, reviewed before anything is proposed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programmes = models.ManyToManyField("orgs.Programme", related_name="+")
    status = models.CharField(
        max_length=16, choices=BatchStatus.choices, default=BatchStatus.AWAITING_REVIEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    requests_count = models.PositiveIntegerField(default=0)
    peers_count = models.PositiveIntegerField(default=0)
    places_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    greedy_matched_count = models.PositiveIntegerField(default=0)
    greedy_total_score = models.FloatField(default=0)
    seconds = models.FloatField(default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.get_status_display()


class BatchJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A job in one of these holds its organisation's one place in the queue.
LIVE_JOB_STATUSES = (BatchJobStatus.QUEUED, BatchJobStatus.RUNNING)


class BatchStep(models.TextChoices):
    """The phases of a run, in order; the page shows which one a job is in."""

    WAITING = "waiting", _("Waiting for the background worker")
    GATHERING = "gathering", _("Reading the waiting list and the peers")
    ASSIGNING = "assigning", _("Finding the assignment that fits best")
    EXPLAINING = "explaining", _("Explaining each proposal")
    SAVING = "saving", _("Saving the proposals for your review")
    FINISHED = "finished", _("Finished")


class BatchJob(models.Model):
    """'Match the waiting list' started by a coordinator and run by the background worker
    (``tasks.run_batch``): its progress, then the run it made (``run``) or why it made none.
    Counts and steps only, never a citizen's data; one live job per organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programmes = models.ManyToManyField("orgs.Programme", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    language = models.CharField(max_length=8, default="da")
    status = models.CharField(
        max_length=10, choices=BatchJobStatus.choices, default=BatchJobStatus.QUEUED
    )
    step = models.CharField(max_length=12, choices=BatchStep.choices, default=BatchStep.WAITING)
    requests_count = models.PositiveIntegerField(default=0)
    peers_count = models.PositiveIntegerField(default=0)
    explained_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)  # our own words, never an error's
    run = models.OneToOneField(
        BatchRun, null=True, blank=True, on_delete=models.PROTECT, related_name="job"
    )

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["queued", "running"]),
                name="matching_one_live_batch_job",
            )
        ]

    def __str__(self):
        return self.get_status_display()

    @property
    def step_number(self) -> int:
        return list(BatchStep.values).index(self.step)


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    APPROVED = "approved", _("Approved")
    SKIPPED = "skipped", _("Not approved")


class BatchProposal(models.Model):
    """One pair in a batch run, or a request the run could not match (``peer`` empty)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(BatchRun, on_delete=models.PROTECT, related_name="proposals")
    support_request = models.ForeignKey(
        "intake.SupportRequest", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey(
        "people.Peer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField(default=0)
    explanation = models.JSONField(default=list, blank=True)
    unmatched_reason = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.CharField(max_length=300, blank=True)
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-score", "pk"]

    def __str__(self):
        return self.get_decision_display()
