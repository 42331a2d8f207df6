"""The report's activity from support, groups and peer care: each figure equals a count made
here from the rows the test created, and the evaluator's report hides counts under 5."""

from datetime import timedelta

from django.utils import timezone, translation

from brobyg.groups.models import Attendance, GroupSession
from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.peercare import services as peercare_services
from brobyg.peercare.models import PathwayEntry, SupervisionSession
from brobyg.reports.report import build_report
from brobyg.support import services
from brobyg.support.models import Community, FollowUp
from brobyg.test import in_org, make_peer, make_programme, make_waiting_request


def _row(report, table_key, label):
    for section in report.sections:
        for table in section.tables:
            if table.key == table_key:
                for row in table.rows:
                    if row["label"].value == label:
                        return row
    raise AssertionError(f"{table_key}: no row {label!r}")


def _seed(personas):
    today = timezone.localdate()
    bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    other = make_programme(personas.org_a, "Frivillig peer-støtte")
    courses = []
    with in_org(personas.org_a):
        for number in range(6):
            support_request, _token = make_waiting_request(
                personas.programme_a, name=f"Borger {number}", phone=f"4000{number:04d}"
            )
            course = services.course_create(
                actor=personas.alice,
                citizen=support_request.citizen,
                programme=personas.programme_a,
                peers=[bob],
                data={"started_on": today - timedelta(days=60)},
            )
            courses.append(course)
            for days_ago, form in ((50, "in_person"), (40, "walk"), (30, "in_person")):
                services.session_log(
                    actor=personas.bob,
                    course=course,
                    data={
                        "starts_at": timezone.now() - timedelta(days=days_ago),
                        "form": form,
                        "duration_minutes": 60,
                    },
                )
        services.course_end(
            actor=personas.alice, course=courses[0], ended_on=today, reason="goals_reached"
        )
        community = Community.objects.create(
            organisation=personas.org_a, name="Løbeklubben", kind="sport"
        )
        for course in courses[1:]:
            services.community_join(
                actor=personas.alice,
                course=course,
                community=community,
                joined_on=today - timedelta(days=100),
            )
            services.handover_propose(
                actor=personas.alice, course=course, receiving_programme=other, reason="Klar."
            )
        # Record the 3-month follow-ups: four still connected, one not.
        for index, follow_up in enumerate(FollowUp.objects.filter(months=3).order_by("pk")):
            services.follow_up_record(
                actor=personas.alice,
                follow_up=follow_up,
                started=True,
                still_connected=index != 0,
            )
        for number in range(3):
            services.drop_in_record(
                actor=personas.alice,
                organisation=personas.org_a,
                data={
                    "unit": personas.unit_a,
                    "day": today - timedelta(days=number),
                    "contacts": 4,
                    "minutes": 120,
                },
            )
        supervision = SupervisionSession.objects.create(
            organisation=personas.org_a,
            kind="individual",
            supervisor=personas.sara,
            held_on=today - timedelta(days=3),
            created_by=personas.sara,
        )
        peercare_services.attendance_record(supervision, [bob])
        PathwayEntry.objects.create(
            organisation=personas.org_a,
            peer=bob,
            kind="education",
            title="Optaget på HF",
            happened_on=today - timedelta(days=10),
        )
    group = make_group(personas, facilitators=[bob])
    participants = add_people(group, 6)
    with in_org(personas.org_a):
        session = GroupSession.objects.filter(group=group).order_by("number").first()
        GroupSession.objects.filter(pk=session.pk).update(attendance_recorded_at=timezone.now())
        for index, participant in enumerate(participants):
            Attendance.objects.create(
                organisation=personas.org_a,
                session=session,
                participant=participant,
                present=index < 5,
            )
    return courses


def _report(personas, *, suppress):
    today = timezone.localdate()
    with translation.override("en"), in_org(personas.org_a):
        return build_report(
            organisations=[personas.org_a],
            start=today - timedelta(days=120),
            end=today,
            suppress=suppress,
        )


def test_activity_figures_equal_their_sources(personas):
    _seed(personas)
    report = _report(personas, suppress=False)
    assert _row(report, "courses", "Courses started")["value"].value == 6
    assert _row(report, "courses", "Courses started with a paid peer")["value"].value == 6
    assert _row(report, "courses", "Courses ended")["value"].value == 1
    assert _row(report, "courses", "Ended: Goals reached")["value"].value == 1
    assert _row(report, "courses", "Courses running at the period's end")["value"].value == 5
    assert _row(report, "courses", "Sessions held")["value"].value == 18
    assert _row(report, "courses", "Sessions in the form: In person")["value"].value == 12
    assert _row(report, "courses", "Sessions in the form: Walk-and-talk")["value"].value == 6
    assert _row(report, "courses", "Sessions in the form: Video")["value"].value == 0
    assert _row(report, "courses", "Hours in sessions")["value"].value == 18.0
    assert _row(report, "bridges", "Hand-overs started")["value"].value == 5
    assert _row(report, "bridges", "Communities joined")["value"].value == 5
    connected = _row(report, "connected", "After joining a community, 3 months")
    assert (connected["recorded"].value, connected["connected"].value) == (5, 4)
    assert connected["share"].value == 0.8
    present = _row(report, "groups", "Present at group sessions (ticks of those listed)")
    assert (present["value"].value, present["n"].value) == (5, 6)
    assert _row(report, "groups", "Drop-in contacts")["value"].value == 12
    assert _row(report, "groups", "Hours of drop-in")["value"].value == 6.0
    coverage = _row(report, "supervision", "All peers")
    assert (coverage["peers"].value, coverage["covered"].value) == (1, 1)
    assert _row(report, "pathways", "Towards education")["entries"].value == 1


def test_the_evaluator_never_gets_a_count_under_5(personas):
    _seed(personas)
    report = _report(personas, suppress=True)
    assert _row(report, "courses", "Courses ended")["value"].suppressed
    assert not _row(report, "courses", "Courses started")["value"].suppressed
    assert _row(report, "supervision", "All peers")["covered"].suppressed
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                for key, cell in row.items():
                    if key != "label" and isinstance(cell.value, int) and not cell.suppressed:
                        assert not 0 < cell.value < 5, (table.key, row["label"].value, key)


def test_quotes_come_only_with_the_citizens_consent_and_never_for_evaluators(personas):
    from brobyg.people import services as people_services

    courses = _seed(personas)
    today = timezone.localdate()
    with in_org(personas.org_a):
        for course, words in ((courses[1], "Nu tør jeg igen."), (courses[2], "Tak for turene.")):
            services.course_end(
                actor=personas.alice,
                course=course,
                ended_on=today,
                reason="goals_reached",
                words=words,
            )
        people_services.consent_record(
            actor=personas.alice,
            citizen=courses[1].citizen,
            purpose="quotes",
            given=True,
            method="in_person",
        )
    with translation.override("en"), in_org(personas.org_a):
        period = {"start": today - timedelta(days=120), "end": today}
        report = build_report(organisations=[personas.org_a], suppress=False, quotes=True, **period)
        evaluator = build_report(organisations=[personas.org_a], suppress=True, **period)
    quotes = [
        row["label"].value
        for s in report.sections
        if s.key == "quotes"
        for t in s.tables
        for row in t.rows
    ]
    assert quotes == ["Nu tør jeg igen."]
    assert not [s for s in evaluator.sections if s.key == "quotes"]


def test_a_small_part_is_not_left_to_be_worked_out_from_its_total(personas):
    from brobyg.test import make_member, make_user

    courses = _seed(personas)
    volunteer_user = make_user("vol@example.org", "Vol Untir")
    make_member(personas.org_a, volunteer_user, ["peer"])
    volunteer = make_peer(personas.org_a, volunteer_user, [personas.programme_a], kind="volunteer")
    with in_org(personas.org_a):
        services.course_update(actor=personas.alice, course=courses[1], data={}, peers=[volunteer])
    report = _report(personas, suppress=True)
    assert _row(report, "courses", "Courses started with a volunteer peer")["value"].suppressed
    assert _row(report, "courses", "Courses started with a paid peer")["value"].suppressed
    assert not _row(report, "courses", "Courses started")["value"].suppressed


def test_a_hidden_part_of_a_breakdown_takes_its_smallest_partner_with_it(personas):
    """Sessions by form add up to the sessions held: with only the 2 phone sessions hidden,
    they could be worked out from the total, so the next smallest form (6 walks) is hidden too,
    shown as "hidden" rather than "< 5"; forms with no sessions stay 0."""
    courses = _seed(personas)
    with in_org(personas.org_a):
        for days_ago in (20, 10):
            services.session_log(
                actor=personas.bob,
                course=courses[1],
                data={
                    "starts_at": timezone.now() - timedelta(days=days_ago),
                    "form": "phone",
                    "duration_minutes": 30,
                },
            )
    report = _report(personas, suppress=True)

    def form(label):
        return _row(report, "courses", f"Sessions in the form: {label}")

    assert _row(report, "courses", "Sessions held")["value"].value == 20
    assert form("Phone")["value"].suppressed and form("Phone")["value"].small_count
    walk = form("Walk-and-talk")
    assert walk["value"].suppressed and walk["n"].suppressed
    with translation.override("en"):
        assert walk["value"].display == "hidden"
    # Shown counts are rounded to a multiple of 5 (against differencing): 12 reads 10.
    assert form("In person")["value"].value == 10
    assert form("In person")["value"].exact_count == 12
    assert (form("Video")["value"].value, form("Chat")["value"].value) == (0, 0)
    coordinator = _report(personas, suppress=False)
    assert _row(coordinator, "courses", "Sessions in the form: Walk-and-talk")["value"].value == 6
