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


def test_it_loads_the_demo_once(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
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
    # 18, and the applicant who became a volunteer peer through the pipeline (volunteers' demo).
    assert len(_peers("volunteer")) == 19
    assert User.objects.get(email="koordinator@brobyg.demo").check_password("brobyg-demo-2026")


def test_the_logins_are_printed_last_with_where_the_e_mails_go(settings, tmp_path):
    settings.EMAIL_FILE_PATH = tmp_path
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "koordinator@brobyg.demo" in out.getvalue()
    assert "brobyg-demo-2026" in out.getvalue()
    assert f"written to {tmp_path}/" in out.getvalue()


def test_make_demo_prints_the_logins_after_the_periodic_jobs():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    demo = makefile[makefile.index("\ndemo:") :].split("\n\n")[0]
    steps = [line.split("manage.py ")[1] for line in demo.splitlines() if "manage.py" in line]
    assert steps == ["seed_demo", "run_periodic_jobs", "demo_logins", "runserver 127.0.0.1:8000"]
    assert "DEBUG=0" in makefile and "BROBYG_EMAIL_DIR=" in makefile


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
