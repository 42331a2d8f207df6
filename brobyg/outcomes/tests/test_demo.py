"""The demo has a year of answers with realistic change for citizens, peers and staff."""

import io
from statistics import mean

from django_scopes import scopes_disabled

from brobyg.outcomes.models import PeerAlert, Response, Schedule


def test_the_demo_has_a_year_of_answers_for_citizens_peers_and_staff(demo):
    with scopes_disabled():
        responses = Response.objects.filter(completed_at__isnull=False)
        days = sorted(responses.values_list("answered_on", flat=True))
        assert (days[-1] - days[0]).days >= 300
        for kind in ("citizen", "peer", "staff"):
            assert responses.filter(respondent_kind=kind).count() >= 20
        assert Schedule.objects.filter(anchor_kind="peer").exists()
        # Former citizens' imported answers improve on average from start to 6 months.
        imported = responses.filter(mode="imported", instrument__code="who-5")
        start = [r.total for r in imported.filter(timepoint="baseline") if r.total is not None]
        later = [r.total for r in imported.filter(timepoint="followup_6m") if r.total is not None]
        assert mean(later) > mean(start)
        # The demo peer asked for a talk: the supervisor has an open alert.
        open_alert = PeerAlert.objects.get(handled_at__isnull=True)
        assert open_alert.user.email == "peer@brobyg.demo"
        assert responses.filter(user=open_alert.user).count() >= 20


def test_the_evaluators_dataset_of_the_demo_has_rows_and_says_who_is_left_out(demo):
    """The imported earlier answers came with written consents (most yes, some no), so every
    organisation's dataset has citizens in it and its README counts those left out."""
    import zipfile
    from datetime import date

    from django.utils import translation

    from brobyg.orgs.models import Organisation
    from brobyg.reports.exports import render_dataset

    with scopes_disabled(), translation.override("en"):
        for name in ("Region Hovedstaden", "Frivilligcenter Rudersdal", "Københavns Kommune"):
            organisation = Organisation.objects.get(name=name)
            archive = zipfile.ZipFile(
                io.BytesIO(
                    render_dataset(
                        organisation=organisation,
                        programmes=[],
                        start=date(2000, 1, 1),
                        end=date.today(),
                    )
                )
            )
            rows = archive.read("data.csv").decode("utf-8-sig").splitlines()
            assert len(rows) > 50, name
            readme = archive.read("README.txt").decode()
            assert "said no to use in evaluation: 0." not in readme, name


def test_the_demos_report_compares_paid_and_volunteer_peer_support(demo):
    """Citizens of the demo's courses (paid and volunteer peers) answered at the start and later,
    so the report's side by side has figures for both kinds, not "nothing to compare"."""
    from datetime import timedelta

    from django.utils import timezone, translation

    from brobyg.orgs.models import Organisation
    from brobyg.reports.report import build_report

    names = ("Region Hovedstaden", "Københavns Kommune", "Frivilligcenter Rudersdal")
    today = timezone.localdate()
    with scopes_disabled(), translation.override("en"):
        report = build_report(
            organisations=list(Organisation.objects.filter(name__in=names)),
            start=today - timedelta(days=365),
            end=today,
            suppress=True,
        )
    section = next(s for s in report.sections if s.key == "paid_volunteer")
    assert not any(text.startswith("Nothing to compare") for text in section.texts)
    total = section.tables[0].rows[0]
    assert total["paid_n"].exact_count >= 5 and total["volunteer_n"].exact_count >= 5
    assert total["paid_change"].value is not None and total["volunteer_change"].value is not None
