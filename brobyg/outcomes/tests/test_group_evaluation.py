"""The participant evaluation of a group course: links for citizens, relatives and staff, and
shares on the group's page that equal an independent count over the stored answers."""

import random
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from brobyg.groups import services as group_services
from brobyg.groups.tests.helpers import make_group
from brobyg.outcomes import group_evaluation, services_answers
from brobyg.outcomes.links import invitation_token
from brobyg.outcomes.models import Invitation, Response
from brobyg.outcomes.tests.helpers import consenting_citizen, make_peer
from brobyg.people.services import citizen_create
from brobyg.test import assert_queries_do_not_grow, in_org


@pytest.fixture
def group(personas, instruments):
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    group = make_group(
        personas,
        facilitators=[peer],
        capacity=20,
        first_session_at=timezone.now() - timedelta(days=63, hours=1),
        session_count=10,
    )
    with scope(organisation=personas.org_a.pk):
        group_services.group_start(actor=personas.alice, group=group)
        for index in range(6):
            citizen = consenting_citizen(
                personas.programme_a, email=f"citizen{index}@example.org", name=f"Borger {index}"
            )
            group_services.participant_add(
                actor=personas.alice, group=group, kind="citizen", citizen=citizen
            )
        for index in range(4):
            group_services.participant_add(
                actor=personas.alice,
                group=group,
                kind="relative",
                name=f"Pårørende {index}",
                email=f"relative{index}@example.org",
                questionnaire_consent=True,
            )
        for index in range(5):
            group_services.participant_add(
                actor=personas.alice,
                group=group,
                kind="staff",
                name=f"Medarbejder {index}",
                phone=f"2030405{index}",
                questionnaire_consent=True,
            )
        # One relative has not agreed to be asked, one citizen has not consented either.
        group_services.participant_add(
            actor=personas.alice,
            group=group,
            kind="relative",
            name="Uden samtykke",
            phone="20000000",
        )
        citizen = citizen_create(
            actor=personas.alice,
            organisation=personas.org_a,
            data={"name": "Borger uden samtykke", "phone": "21000000"},
        )
        group_services.participant_add(
            actor=personas.alice, group=group, kind="citizen", citizen=citizen
        )
    return group


def _invite(personas, group, django_capture_on_commit_callbacks):
    with (
        scope(organisation=personas.org_a.pk),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return group_evaluation.invite_group(actor=personas.alice, group=group)


def test_it_makes_a_link_for_each_participant_who_agreed(
    personas, group, django_capture_on_commit_callbacks
):
    result = _invite(personas, group, django_capture_on_commit_callbacks)
    assert result == {"made": 15, "skipped": 2}
    # Six citizens and four relatives have an e-mail address; staff here only a phone.
    assert len(mail.outbox) == 10
    with in_org(personas.org_a):
        invitations = list(Invitation.objects.filter(participant__group=group))
    kinds = sorted(invitation.participant.kind for invitation in invitations)
    assert kinds.count("citizen") == 6 and kinds.count("staff") == 5
    # A citizen answers as their citizen record; a relative as the participant only.
    assert all(
        (invitation.citizen_id is not None) == (invitation.participant.kind == "citizen")
        for invitation in invitations
    )
    # Asking again makes no second link.
    assert _invite(personas, group, django_capture_on_commit_callbacks)["made"] == 0


def test_it_is_asked_only_from_the_last_session(personas, instruments):
    group = make_group(personas, first_session_at=timezone.now(), co_facilitator=personas.sara)
    with scope(organisation=personas.org_a.pk):
        group_services.group_start(actor=personas.alice, group=group)
        with pytest.raises(ValidationError):
            group_evaluation.invite_group(actor=personas.alice, group=group)


def _independent_count(group):
    """Shares straight from the stored answers, without the code under test."""
    with in_org(group.organisation):
        stored = list(
            Response.objects.filter(
                participant__group=group, completed_at__isnull=False
            ).values_list("participant__kind", "answers")
        )
    expected = {}
    for key in ("citizen", "relative", "staff", "all"):
        rows = [answers for kind, answers in stored if key in (kind, "all")]
        expected[key] = {"answered": len(rows)}
        for item in ("insight", "hopeful", "recommend"):
            given = [answers[item] for answers in rows if item in answers]
            expected[key][item] = (sum(1 for value in given if value >= 3), len(given))
    return expected


def test_the_shares_on_the_page_equal_an_independent_count(
    client, personas, group, django_capture_on_commit_callbacks
):
    _invite(personas, group, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        invitations = list(
            Invitation.objects.filter(participant__group=group).select_related("participant")
        )
    rng = random.Random(6)
    # One relative answers through the link like anyone would, on one page.
    relative = next(i for i in invitations if i.participant.kind == "relative")
    link = reverse("outcomes_answer", kwargs={"token": invitation_token(relative)})
    posted = client.post(
        link,
        {
            "all": "1",
            "nav": "send",
            "mode": "self",
            "item_insight": "4",
            "item_hopeful": "2",
            "item_recommend": "3",
            "item_own_words": "Jeg forstår min søn bedre nu.",
        },
    )
    assert posted.status_code == 302
    # The others by the service, one leaves a statement out, two do not answer at all.
    for invitation in invitations[:-2]:
        if invitation.pk == relative.pk:
            continue
        answers = {item: rng.randint(0, 4) for item in ("insight", "hopeful", "recommend")}
        if invitation.participant.kind == "staff" and "skipped" not in locals():
            skipped = answers.pop("hopeful")
        with scope(organisation=personas.org_a.pk):
            services_answers.response_save(invitation=invitation, answers=answers)
            services_answers.response_complete(invitation=invitation)

    expected = _independent_count(group)
    assert expected["all"]["answered"] == 13

    client.force_login(personas.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("groups_detail", args=[group.public_id]))
    html = page.content.decode()
    section = next(s for s in page.context["sections"] if s["name"] == "outcomes_group_evaluation")
    shown = {row["key"]: row for row in section["rows"]}
    for key, counts in expected.items():
        assert shown[key]["answered"] == counts["answered"]
        for share in shown[key]["shares"]:
            yes, n = counts[share["item"]]
            assert (share["share"].yes, share["share"].n) == (yes, n)
            assert f'{round(100 * yes / n)} % <span class="muted">({yes}/{n})</span>' in html
    assert "Jeg forstår min søn bedre nu." in html
    assert "agree” or “strongly agree”" in html
    # 15 were asked (two had not agreed), 13 answered.
    assert (section["asked"], section["answered"]) == (15, 13)
    assert "13 of 15 asked have answered." in html


def _answer(personas, invitations):
    for invitation in invitations:
        with scope(organisation=personas.org_a.pk):
            services_answers.response_save(
                invitation=invitation,
                answers={"insight": 4, "hopeful": 1, "recommend": 3, "own_words": "Godt forløb"},
            )
            services_answers.response_complete(invitation=invitation)


@pytest.mark.parametrize("user", ["alice", "maja"])
def test_the_group_page_costs_the_same_queries_with_more_participants_and_answers(
    client, personas, group, user, django_capture_on_commit_callbacks
):
    """The page reads its participants, facilitators and answers with only the columns it
    shows: a column left out but read per row would add a query per row."""
    _invite(personas, group, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        invitations = list(Invitation.objects.filter(participant__group=group).order_by("pk"))
    _answer(personas, invitations[:2])

    def grow():
        with scope(organisation=personas.org_a.pk):
            # Three take the last free places, two more wait.
            for index in range(5):
                citizen = consenting_citizen(
                    personas.programme_a, email=f"flere{index}@example.org", name=f"Flere {index}"
                )
                group_services.participant_add(
                    actor=personas.alice, group=group, kind="citizen", citizen=citizen
                )
        _invite(personas, group, django_capture_on_commit_callbacks)
        _answer(personas, invitations[2:10])

    client.force_login(getattr(personas, user))
    url = reverse("groups_detail", args=[group.public_id])
    html = assert_queries_do_not_grow(client, url, grow).content.decode()
    assert ("Flere 4" in html) is (user == "alice")
    assert ("Godt forløb" in html) is (user == "alice")


def test_a_manager_sees_the_shares_but_no_names_and_no_own_words(
    client, english, personas, group, django_capture_on_commit_callbacks
):
    _invite(personas, group, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        invitation = Invitation.objects.filter(participant__kind="relative").first()
    with scope(organisation=personas.org_a.pk):
        services_answers.response_save(
            invitation=invitation,
            answers={"insight": 4, "hopeful": 3, "recommend": 4, "own_words": "Meget hemmeligt"},
        )
        services_answers.response_complete(invitation=invitation)
    client.force_login(personas.maja)
    html = client.get(reverse("groups_detail", args=[group.public_id])).content.decode()
    assert "Participant evaluation" in html and "100 %" in html
    assert "Meget hemmeligt" not in html
    assert "Pårørende" not in html and "Borger 0" not in html
    assert client.get(reverse("outcomes_group_print", args=[group.public_id])).status_code == 403


def test_the_print_page_has_a_qr_code_per_open_link(
    client, personas, group, django_capture_on_commit_callbacks
):
    _invite(personas, group, django_capture_on_commit_callbacks)
    client.force_login(personas.bob)
    html = client.get(reverse("outcomes_group_print", args=[group.public_id])).content.decode()
    assert html.count('class="print-sheet"') == 15
    assert html.count("<svg") == 15
