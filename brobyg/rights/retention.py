"""Retention rules: how long each category of personal data is kept, and what happens at the end.

Every model of ours that holds personal data belongs to one category here (a test checks that no
model is left out; configuration without personal data is listed in ``NOT_PERSONAL``). A category
with a period is applied by the periodic job ``rights.tasks.apply_retention_rules`` to every
organisation, with the organisation's own period where its privacy officer has chosen one within
the category's limits (``RetentionSetting``), else the default. A category without a period says
why its data are kept and what ends them. The defaults are documented in README.md.

Periods are counted in local calendar days: data are due when their day is before
``today - days``. A legal hold in force on a person keeps what its category covers
(the hold's category is a shredder's name, as for erasure).

Like ``processing``, this module reads the other apps' models: the registry of shredders is how
the apps declare what they hold; retention asks the questions about time across them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobyg.lib.days import start_of_day


@dataclass(frozen=True)
class RetentionCategory:
    """One category of personal data.

    ``days``/``min_days``/``max_days``: the default period and the limits within which an
    organisation may choose its own (equal limits: fixed by law or design; no ``days``: no
    period, see ``kept``). ``due(organisation, cutoff)`` returns the queryset of what the next
    run would erase or anonymise (counted on the dry-run page, never shown), leaving out what a
    legal hold keeps; ``held(organisation, cutoff)`` counts what a hold keeps; ``apply(...)``
    erases or anonymises it and returns how many items.
    """

    name: str
    label: str
    models: tuple[str, ...]
    ending: str
    days: int | None = None
    min_days: int | None = None
    max_days: int | None = None
    kept: str = ""
    due: Callable | None = None
    held: Callable | None = None
    apply: Callable | None = None

    @property
    def has_period(self) -> bool:
        return self.days is not None

    @property
    def configurable(self) -> bool:
        return self.has_period and self.min_days != self.max_days


def _held_citizen_ids(organisation, hold_category=None):
    from brobyg.rights.models import LegalHold

    holds = LegalHold.objects.filter(organisation=organisation, lifted_at__isnull=True)
    if hold_category is not None:
        holds = holds.filter(category=hold_category)
    return holds.values("citizen_id")


# --- Requests never matched: the whole person is anonymised -------------------------------------


def _never_matched(organisation, cutoff):
    from brobyg.intake.models import OPEN_STATUSES, Status
    from brobyg.people.models import Citizen
    from brobyg.people.shredders import ERASED_NAME

    return (
        Citizen.objects.filter(
            organisation=organisation, merged_into__isnull=True, support_requests__isnull=False
        )
        .exclude(name=ERASED_NAME)
        .exclude(support_requests__status__in=[*OPEN_STATUSES, Status.MATCHED])
        .exclude(support_requests__status_changed_at__gte=start_of_day(cutoff))
        .exclude(courses__isnull=False)
        .exclude(group_participations__isnull=False)
        .distinct()
    )


def _never_matched_due(organisation, cutoff):
    return _never_matched(organisation, cutoff).exclude(pk__in=_held_citizen_ids(organisation))


def _never_matched_held(organisation, cutoff):
    return _never_matched(organisation, cutoff).filter(pk__in=_held_citizen_ids(organisation))


def _never_matched_apply(organisation, cutoff, *, reason) -> int:
    from brobyg.rights import services

    anonymised = 0
    for citizen in list(_never_matched_due(organisation, cutoff)):
        services.citizen_anonymise(citizen=citizen, reason=reason)
        anonymised += 1
    return anonymised


# --- Ended courses: their words go, the courses stay to be counted -------------------------------


def _course_words():
    """A course with something left to clear (positive lookups: a course without sessions or
    hand-overs has nothing there)."""
    return (
        Q(end_words__gt="")
        | Q(goal_versions__isnull=False)
        | Q(sessions__note__gt="")
        | Q(sessions__shared_with_team__gt="")
        | Q(sessions__place__gt="")
        | Q(handovers_out__reason__gt="")
        | Q(handovers_out__note__gt="")
        | Q(handovers_out__decline_reason__gt="")
        | Q(handovers_out__meeting_place__gt="")
    )


def _ended_courses(organisation, cutoff):
    from brobyg.support.models import Course, CourseStatus

    return Course.objects.filter(
        organisation=organisation, status=CourseStatus.ENDED, ended_on__lt=cutoff
    ).filter(pk__in=Course.objects.filter(_course_words()).values("pk"))


def _finished_group_participants(organisation, cutoff):
    from brobyg.groups.models import GroupSession, GroupStatus, Participant

    return (
        Participant.objects.filter(
            organisation=organisation,
            group__status__in=[GroupStatus.FINISHED, GroupStatus.CANCELLED],
        )
        .exclude(own_name="", own_email="", own_phone="")
        .exclude(
            group__in=GroupSession.objects.filter(starts_at__gte=start_of_day(cutoff)).values(
                "group"
            )
        )
    )


def _ended_courses_due(organisation, cutoff):
    held = _held_citizen_ids(organisation, "support")
    return _ended_courses(organisation, cutoff).exclude(citizen__in=held)


def _ended_courses_held(organisation, cutoff):
    held = _held_citizen_ids(organisation, "support")
    return _ended_courses(organisation, cutoff).filter(citizen__in=held)


def _ended_groups_due(organisation, cutoff):
    held = _held_citizen_ids(organisation, "groups")
    return _finished_group_participants(organisation, cutoff).exclude(citizen__in=held)


def _ended_courses_count(organisation, cutoff) -> int:
    return (
        _ended_courses_due(organisation, cutoff).count()
        + _ended_groups_due(organisation, cutoff).count()
    )


def _ended_courses_held_count(organisation, cutoff) -> int:
    held = _held_citizen_ids(organisation, "groups")
    return (
        _ended_courses_held(organisation, cutoff).count()
        + _finished_group_participants(organisation, cutoff).filter(citizen__in=held).count()
    )


def _ended_courses_apply(organisation, cutoff, *, reason) -> int:
    from brobyg.groups.shredders import anonymise_participants
    from brobyg.support.models import Course
    from brobyg.support.shredders import anonymise_courses

    ids = list(_ended_courses_due(organisation, cutoff).values_list("pk", flat=True))
    anonymise_courses(Course.objects.filter(pk__in=ids))
    participants = list(_ended_groups_due(organisation, cutoff).values_list("pk", flat=True))
    anonymise_participants(_ended_groups_due(organisation, cutoff).filter(pk__in=participants))
    return len(ids) + len(participants)


# --- Questionnaire answers: the free text goes, the numbers stay --------------------------------


def _answers(organisation, cutoff):
    from brobyg.outcomes.models import Response

    return Response.objects.filter(organisation=organisation, answered_on__lt=cutoff).exclude(
        text_answers={}
    )


def _answers_due(organisation, cutoff):
    held = _held_citizen_ids(organisation, "outcomes")
    return _answers(organisation, cutoff).exclude(citizen__in=held)


def _answers_held(organisation, cutoff):
    held = _held_citizen_ids(organisation, "outcomes")
    return _answers(organisation, cutoff).filter(citizen__in=held)


def _answers_apply(organisation, cutoff, *, reason) -> int:
    from brobyg.outcomes.shredders import clear_text_answers

    return clear_text_answers(_answers_due(organisation, cutoff))


# --- Messages to groups: deleted -----------------------------------------------------------------


def _messages_due(organisation, cutoff):
    from brobyg.groups.models import GroupMessage

    return GroupMessage.objects.filter(organisation=organisation, sent_at__lt=start_of_day(cutoff))


def _messages_apply(organisation, cutoff, *, reason) -> int:
    return _messages_due(organisation, cutoff).delete()[0]


# --- The access log: access entries deleted ------------------------------------------------------


def _access_due(organisation, cutoff):
    from brobyg.audit.models import ACCESS_ACTIONS, LogEntry

    return LogEntry.objects.filter(
        organisation=organisation, action__in=ACCESS_ACTIONS, created_at__lt=start_of_day(cutoff)
    )


def _access_apply(organisation, cutoff, *, reason) -> int:
    from brobyg.audit.services import purge_expired_access_entries

    return purge_expired_access_entries(before=start_of_day(cutoff), organisation=organisation)


# --- Volunteer applications ended "not now": erased ----------------------------------------------


def _rejected_applications_due(organisation, cutoff):
    from brobyg.volunteers.services import rejected_applications

    return rejected_applications(organisation=organisation, before=start_of_day(cutoff))


def _rejected_applications_apply(organisation, cutoff, *, reason) -> int:
    from brobyg.volunteers.services import erase_rejected_applications

    return erase_rejected_applications(organisation=organisation, before=start_of_day(cutoff))


def _none(organisation, cutoff):
    return 0


CATEGORIES = (
    RetentionCategory(
        name="requests_never_matched",
        label=_("Requests never matched"),
        models=(
            "people.Citizen",
            "people.Consent",
            "intake.SupportRequest",
            "intake.RequestEvent",
            "matching.Match",
            "matching.Exclusion",
            "matching.RequestWishes",
            "matching.BatchProposal",
        ),
        ending=_(
            "A citizen whose every request ended without a match (withdrawn, declined or referred "
            "elsewhere) and who never had a course or a group is anonymised in every app, as an "
            "erasure does; the counts stay. Citizens who had a course keep their record as long "
            "as the course does, until they ask for erasure."
        ),
        days=365,
        min_days=90,
        max_days=1825,
        due=_never_matched_due,
        held=_never_matched_held,
        apply=_never_matched_apply,
    ),
    RetentionCategory(
        name="ended_courses",
        label=_("Ended courses and groups"),
        models=(
            "support.Course",
            "support.GoalVersion",
            "support.Session",
            "support.CommunityLink",
            "support.Handover",
            "support.FollowUp",
            "groups.Participant",
            "groups.Attendance",
        ),
        ending=_(
            "Anonymised: a course's goals, session notes, hand-over texts and ending words, and a "
            "finished group's participants' own names and contact details, are removed; the "
            "courses, sessions and attendance stay to be counted. Five years by default, as "
            "records of social services are kept."
        ),
        days=1825,
        min_days=365,
        max_days=3650,
        due=_ended_courses_count,
        held=_ended_courses_held_count,
        apply=_ended_courses_apply,
    ),
    RetentionCategory(
        name="questionnaire_answers",
        label=_("Questionnaire answers"),
        models=(
            "outcomes.Invitation",
            "outcomes.Response",
            "outcomes.Score",
            "outcomes.Pseudonym",
            "outcomes.PeerAlert",
        ),
        ending=_(
            "Anonymised: free-text answers are removed; the numbers and scores stay for the "
            "evaluation of the programmes."
        ),
        days=1095,
        min_days=180,
        max_days=3650,
        due=_answers_due,
        held=_answers_held,
        apply=_answers_apply,
    ),
    RetentionCategory(
        name="messages",
        label=_("Messages to groups"),
        models=("groups.GroupMessage",),
        ending=_("Erased: the message is deleted."),
        days=365,
        min_days=30,
        max_days=1825,
        due=_messages_due,
        held=_none,
        apply=_messages_apply,
    ),
    RetentionCategory(
        name="access_log",
        label=_("Access log"),
        models=("audit.LogEntry",),
        ending=_(
            "Erased: reads, searches, log-ins and refusals are deleted from the audit log. "
            "Changes stay in the log, without anything readable about erased persons. At least "
            "six months, as the Danish Data Protection Agency's guidance on logging expects."
        ),
        days=settings.ACCESS_LOG_RETENTION_DAYS,
        min_days=183,
        max_days=1825,
        due=_access_due,
        held=_none,
        apply=_access_apply,
    ),
    RetentionCategory(
        name="volunteer_applications",
        label=_('Volunteer applications ended "not now"'),
        models=("volunteers.Application", "volunteers.StageEvent"),
        ending=_(
            "Erased: the application and its history through the stages are deleted (the "
            "deletion is logged). Open applications and those that led to an active volunteer "
            "are not in this category's period: an active volunteer's data are kept as staff's."
        ),
        # Fixed: the applicant is told "six months" when applying, in the receipt and at the end.
        days=183,
        min_days=183,
        max_days=183,
        due=_rejected_applications_due,
        held=_none,
        apply=_rejected_applications_apply,
    ),
    RetentionCategory(
        name="text_messages",
        label=_("Text messages (SMS)"),
        models=("sms.TextMessage",),
        ending=_(
            "Erased by the text messages' own job: the text itself once it is sent or given up, "
            "the record of its delivery after the installation's period."
        ),
        kept=_(
            "The period is the installation's (BROBYG_SMS_RETENTION_DAYS, 90 days by default), "
            "not the organisation's."
        ),
    ),
    RetentionCategory(
        name="secure_messages",
        label=_("Secure messages"),
        models=(
            "conversations.Conversation",
            "conversations.Message",
            "conversations.Attachment",
            "conversations.ConversationLink",
        ),
        ending=_(
            "Erased by the secure messages' own job: a conversation with its messages and files "
            "after the installation's period from the end of its support course or group course; "
            "the citizen's links to it after 30 days."
        ),
        kept=_(
            "The period is the installation's (BROBYG_MESSAGE_RETENTION_DAYS, 365 days by "
            "default), not the organisation's."
        ),
    ),
    RetentionCategory(
        name="webhook_deliveries",
        label=_("Webhook deliveries"),
        models=("api.WebhookDelivery",),
        ending=_(
            "Erased by the webhooks' own job: the record of an event sent to a client's system "
            "(its type, the ids of the objects and how the delivery went) after the "
            "installation's period."
        ),
        kept=_(
            "The period is the installation's (BROBYG_WEBHOOK_RETENTION_DAYS, 30 days by "
            "default), not the organisation's."
        ),
    ),
    RetentionCategory(
        name="volunteer_expenses",
        label=_("Volunteers' hours and expense claims"),
        models=("volunteers.HoursEntry", "volunteers.Claim"),
        ending=_("No automatic end."),
        kept=_(
            "Kept as bookkeeping records (the Danish Bookkeeping Act asks for five years) while "
            "the organisation pays expenses from them; the person's details are erased on their "
            "request."
        ),
    ),
    RetentionCategory(
        name="staff_and_peers",
        label=_("Staff, peers and their peer care"),
        models=(
            "orgs.User",
            "orgs.Membership",
            "people.Peer",
            "peercare.RoleConfirmation",
            "peercare.SupervisorAssignment",
            "peercare.SupervisionSession",
            "peercare.SupervisionNote",
            "peercare.PauseLogEntry",
            "peercare.TrainingRecord",
            "peercare.PathwayEntry",
            "peercare.FlagNotice",
            "support.CalendarFeed",
        ),
        ending=_("No automatic end."),
        kept=_(
            "Kept while the person works or volunteers in the organisation; the administrator "
            "ends a membership, and the person's details are erased on their request."
        ),
    ),
    RetentionCategory(
        name="privacy_records",
        label=_("Data-protection requests, legal holds and spot checks"),
        models=(
            "rights.DataRequest",
            "rights.LegalHold",
            "rights.SubjectKey",
            "rights.SpotCheck",
            "rights.SpotCheckItem",
        ),
        ending=_("No automatic end."),
        kept=_(
            "Kept as the organisation's record of how it met the citizens' rights; an erasure "
            "removes the citizen's own words from their requests and destroys their log key."
        ),
    ),
    RetentionCategory(
        name="working_files",
        label=_("Working files and one-time codes"),
        models=(
            "reports.ReportRun",
            "reports.ReportSnapshot",
            "imports.ImportUpload",
            "rights.AccessCode",
        ),
        ending=_(
            "Erased by their own jobs: report files and stored report figures after a day, an "
            "import waiting for its preview after an hour, a one-time code for the data page a "
            "day after it expired."
        ),
        kept=_("Periods fixed by the design, not by the organisation."),
    ),
)

# Models of ours without personal data: the organisation's own set-up, counts and technical
# records. Everything else must be in a category.
NOT_PERSONAL = {
    "orgs.Organisation": "the organisation itself",
    "orgs.Unit": "a service of the organisation",
    "orgs.Programme": "a programme's description",
    "matching.ProgrammeWeights": "a programme's matching weights",
    "matching.BatchRun": "a batch run's settings; its proposals are a category's",
    "matching.BatchJob": "a batch run's progress in the worker: steps and counts, no citizen",
    "support.SupportSettings": "the organisation's support settings",
    "support.DropInCount": "anonymous counts of drop-in visits",
    "support.Community": "a community activity's description",
    "groups.GroupCourse": "a group's description",
    "groups.GroupSession": "a group's meeting times",
    "peercare.ProgrammePeerCare": "a programme's peer-care settings",
    "outcomes.Instrument": "a questionnaire",
    "outcomes.InstrumentPack": "a set of questionnaires",
    "outcomes.Schedule": "when a programme asks its questionnaires",
    "audit.SentMail": "a digest of an e-mail sent by a task, without its content",
    "rights.RetentionSetting": "an organisation's retention periods",
    "volunteers.Stage": "the names of an organisation's pipeline stages",
    "api.ApiClient": "an organisation's machine client (a system, not a person)",
    "api.ApiCredential": "a digest of a machine client's secret",
    "api.WebhookSubscription": "where a machine client is told of events, and its secret",
    "sso.IdentityProvider": "the organisation's identity-provider settings",
    "sso.RoleMapping": "which of the provider's groups gives which role",
    "conversations.ConversationSettings": "an organisation's answering hours and crisis words",
    "volunteers.AgreementVersion": "the text of the volunteer agreement",
    "volunteers.MileageRate": "the rate per km for transport",
}

ACCESS_CODES_KEPT = timedelta(days=1)


def categories() -> tuple[RetentionCategory, ...]:
    return CATEGORIES


def category(name: str) -> RetentionCategory:
    for item in CATEGORIES:
        if item.name == name:
            return item
    raise KeyError(name)


def covered_models() -> set[str]:
    return {label for item in CATEGORIES for label in item.models}


def count(queryset_or_number) -> int:
    if isinstance(queryset_or_number, int):
        return queryset_or_number
    return queryset_or_number.count()
