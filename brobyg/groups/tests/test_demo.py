"""The demo's group courses: a finished recovery-school course with citizens, relatives and staff
whose evaluation shares are near the published figures, and running groups."""

from django_scopes import scopes_disabled

from brobyg.groups.models import GroupCourse, GroupStatus
from brobyg.outcomes import group_evaluation


def test_the_demo_has_running_and_finished_groups_with_published_shares(demo):
    with scopes_disabled():
        groups = GroupCourse.objects.select_related("organisation")
        running = {g.organisation.name for g in groups.filter(status=GroupStatus.RUNNING)}
        assert {"Recoveryskolen Hovedstaden", "Frivilligcenter Rudersdal"} <= running
        finished = groups.get(status=GroupStatus.FINISHED)
        assert finished.organisation.name == "Recoveryskolen Hovedstaden"
        rows = {row["key"]: row for row in group_evaluation.summary(finished)["rows"]}
    shares = {
        key: {share["item"]: share["share"].percent for share in row["shares"]}
        for key, row in rows.items()
    }
    assert abs(shares["citizen"]["insight"] - 84) <= 2
    assert abs(shares["citizen"]["hopeful"] - 74) <= 2
    assert abs(shares["relative"]["insight"] - 87) <= 2
    assert abs(shares["staff"]["insight"] - 69) <= 2
    assert all(rows[kind]["answered"] >= 10 for kind in ("citizen", "relative", "staff"))
