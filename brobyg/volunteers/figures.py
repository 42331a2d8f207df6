"""Recruitment and retention of volunteers on the report's organisation level (registered with
``reports.extensions.register_organisation_section``): applications received in the period,
volunteers who became active, those still volunteering 6 and 12 months after they became active,
and why applications ended. Small cells are suppressed by the report's own cell helpers."""

import calendar
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.lib.days import start_of_day
from brobyg.people.models import PeerStatus
from brobyg.reports.tables import (
    Section,
    Table,
    hidden_cell,
    n_cell,
    share_cell,
    shown_share,
    small,
)
from brobyg.volunteers.models import Application, ApplicationStatus, NotNowReason

RETENTION_MONTHS = (6, 12)


def _add_months(moment, months: int):
    """The same local wall-clock moment ``months`` later (the month's last day if shorter)."""
    local = timezone.localtime(moment)
    year, month = divmod(local.month - 1 + months, 12)
    year, month = local.year + year, month + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return timezone.make_aware(local.replace(year=year, month=month, day=day, tzinfo=None))


def _still_volunteering(application, months: int) -> bool:
    """Whether the volunteer was still a peer ``months`` after becoming active."""
    peer = application.peer
    if peer is None:
        return False
    if peer.status != PeerStatus.ENDED:
        return True
    return peer.status_changed_at >= _add_months(application.closed_at, months)


def recruitment_section(flt, suppress, language):
    start, end = start_of_day(flt.start), start_of_day(flt.end + timedelta(days=1))
    applications = Application.objects.filter(organisation_id__in=flt.organisation_ids)
    applied = applications.filter(created_at__gte=start, created_at__lt=end).count()
    became_active = applications.filter(
        status=ApplicationStatus.ACTIVE, closed_at__gte=start, closed_at__lt=end
    ).count()
    actives = list(
        applications.filter(status=ApplicationStatus.ACTIVE, closed_at__lt=end).select_related(
            "peer"
        )
    )
    ended = dict.fromkeys(NotNowReason.values, 0)
    for reason in applications.filter(
        status=ApplicationStatus.NOT_NOW, closed_at__gte=start, closed_at__lt=end
    ).values_list("not_now_reason", flat=True):
        ended[reason] = ended.get(reason, 0) + 1
    if not (applied or became_active or actives or any(ended.values())):
        return None
    section = Section(
        key="volunteers",
        title=_("Organisation: recruitment and retention of volunteers"),
        texts=[
            _(
                "Applications to become a volunteer peer received in the period, volunteers who "
                "became active in it, and of those who became active at least 6 or 12 months "
                "before the period's end, how many were still volunteering then."
            )
        ],
    )
    table = Table(
        key="volunteer-recruitment",
        title=_("Recruitment of volunteers"),
        columns=[("n", str(_("n people")))],
    )
    table.add(str(_("Applied")), n=n_cell(applied, suppress=suppress))
    table.add(str(_("Became active volunteers")), n=n_cell(became_active, suppress=suppress))
    section.tables.append(table)

    retention = Table(
        key="volunteer-retention",
        title=_("Retention of volunteers"),
        columns=[
            ("n", str(_("Became active that long before"))),
            ("still", str(_("Still volunteering"))),
            ("share", str(_("Share"))),
        ],
    )
    for months in RETENTION_MONTHS:
        cohort = [
            application
            for application in actives
            if _add_months(application.closed_at, months) <= end
        ]
        still = sum(_still_volunteering(application, months) for application in cohort)
        hide = suppress and small(len(cohort))
        still_cell = hidden_cell() if hide else n_cell(still, suppress=suppress)
        retention.add(
            _("After %(months)d months") % {"months": months},
            n=n_cell(len(cohort), suppress=suppress),
            still=still_cell,
            share=hidden_cell()
            if still_cell.suppressed
            else share_cell(shown_share(still, len(cohort), suppress=suppress)),
        )
    section.tables.append(retention)

    reasons = Table(
        key="volunteer-endings",
        title=_("Why applications ended without a volunteer role"),
        columns=[("n", str(_("n applications")))],
    )
    for code, label in NotNowReason.choices:
        reasons.add(str(label), n=n_cell(ended.get(code, 0), suppress=suppress))
    section.tables.append(reasons)
    return section
