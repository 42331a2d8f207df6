"""Test helpers for groups: a group with facilitators, and participants."""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scope

from brobyg.groups import services
from brobyg.groups.models import GroupKind, GroupTool, PlaceKind, Setting


def group_data(programme, **overrides) -> dict:
    return {
        "programme": programme,
        "title": "Recovery-kursus",
        "description": "",
        "kind": GroupKind.RECOVERY_COURSE,
        "tool": GroupTool.FIVE_WAYS,
        "tool_other": "",
        "theme": "general",
        "setting": Setting.OUTSIDE,
        "place_kind": PlaceKind.CAFE,
        "unit": None,
        "place": "Café Væksthuset, Nørregade 1",
        "co_facilitator": None,
        "capacity": 12,
        "is_open": False,
        "public_signup": False,
        "first_session_at": timezone.now() - timedelta(hours=1),
        "session_count": 10,
        "interval_days": 7,
        "duration_minutes": 120,
        **overrides,
    }


def make_group(personas, *, facilitators=(), organisation=None, programme=None, **overrides):
    organisation = organisation or personas.org_a
    programme = programme or personas.programme_a
    with scope(organisation=organisation.pk):
        return services.group_create(
            actor=None,
            organisation=organisation,
            data=group_data(programme, **overrides),
            facilitators=list(facilitators),
        )


def add_people(group, count: int, *, kind="relative", start=0):
    with scope(organisation=group.organisation_id):
        return [
            services.participant_add(
                actor=None,
                group=group,
                kind=kind,
                name=f"Deltager {start + index}",
                phone=f"2030{start + index:04d}",
                questionnaire_consent=True,
            )
            for index in range(count)
        ]
