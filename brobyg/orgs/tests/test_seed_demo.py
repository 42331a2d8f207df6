import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from brobyg.orgs.models import Membership, Organisation, Programme, User


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEMO_MODE = True


def test_it_refuses_to_run_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="BROBYG_DEMO_MODE"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def _peers(support_type):
    with scopes_disabled():
        programmes = Programme.objects.filter(support_type=support_type)
        organisations = {programme.organisation_id for programme in programmes}
        return [
            m
            for m in Membership.objects.filter(organisation_id__in=organisations)
            if "peer" in m.roles
        ]


def test_it_loads_the_demo_once_and_prints_the_logins(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    assert "koordinator@brobyg.demo" in out.getvalue()
    assert "Demo data already present." in out.getvalue()
    assert Organisation.objects.count() == 6
    assert {o.kind for o in Organisation.objects.all()} == {
        "region",
        "municipality",
        "volunteer_centre",
        "recovery_school",
    }
    # 12, and two volunteer-centre peers who also teach at the recovery school (groups' demo).
    assert len(_peers("paid")) == 14
    assert len(_peers("volunteer")) == 18
    assert User.objects.get(email="koordinator@brobyg.demo").check_password("brobyg-demo-2026")


def test_it_is_deterministic(db):
    """The same names on every machine, so a newcomer's demo matches the README and screenshots."""
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.get(email="admin@brobyg.demo").full_name == "Frans Jespersen"
    assert User.objects.get(email="koordinator@brobyg.demo").full_name == "Annemette Krogh"


def test_it_fills_waiting_lists_with_one_urgent_request(db):
    from brobyg.intake.models import SupportRequest

    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        requests = list(SupportRequest.objects.select_related("programme"))
        assert len({r.programme_id for r in requests}) >= 4
        assert [r.urgent for r in requests].count(True) == 1
        assert any(r.below_minimum_age for r in requests)
        assert {r.status for r in requests} >= {"new", "screened", "waiting"}
        assert any(r.source == "staff_referral" for r in requests)
