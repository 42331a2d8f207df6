"""The demo volunteer centre: applicants in every stage, an active volunteer, a "not now"."""

from django_scopes import scopes_disabled

from brobyg.volunteers.models import Application, Claim, Stage


def test_the_demo_volunteer_centre_has_applicants_in_every_stage(demo):
    with scopes_disabled():
        applications = Application.objects.filter(organisation__name="Frivilligcenter Rudersdal")
        stages = Stage.objects.filter(organisation__name="Frivilligcenter Rudersdal")
        occupied = set(applications.values_list("stage__position", flat=True))
        assert occupied == set(stages.values_list("position", flat=True))
        assert applications.filter(status="active", peer__status="active").exists()
        assert applications.filter(status="not_now").exists()


def test_the_demo_volunteer_centre_has_a_month_of_claims(demo):
    with scopes_disabled():
        claims = Claim.objects.filter(organisation__name="Frivilligcenter Rudersdal")
        statuses = set(claims.values_list("status", flat=True))
        assert statuses == {"approved", "submitted", "returned"}
        assert claims.filter(times_submitted=2).exists()
        assert claims.filter(kind="transport", amount__gt=0).exists()
