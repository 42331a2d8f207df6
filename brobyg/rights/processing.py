"""The record of processing activities (GDPR art. 30) of one organisation, generated from what
Brobyg knows: the programmes' purposes and legal bases, the categories of data the apps declare
through their shredders, the organisations data went to through hand-overs or consents, and the
retention that is actually applied."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobyg.orgs.models import Programme
from brobyg.people.models import Consent, ConsentPurpose
from brobyg.reports.services import KEEP_FOR
from brobyg.rights import registry
from brobyg.support.models import Handover, HandoverStatus


def processing_record(organisation) -> dict:
    programmes = [
        {
            "name": programme.name,
            "purposes": programme.get_purposes_display(),
            "legal_basis": programme.get_legal_basis_display(),
            "support_type": programme.get_support_type_display(),
            "minimum_age": programme.minimum_age,
        }
        for programme in Programme.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("name")
    ]
    handed_to = set(
        Handover.objects.filter(
            organisation=organisation,
            status__in=[HandoverStatus.CONSENTED, HandoverStatus.ACCEPTED],
        )
        .exclude(receiving_organisation=organisation)
        .values_list("receiving_organisation__name", flat=True)
    )
    shared_with = set(
        Consent.objects.filter(
            Q(organisation=organisation),
            purpose=ConsentPurpose.SHARE_WITH_ORGANISATION,
            given=True,
        ).values_list("shared_with__name", flat=True)
    )
    return {
        "organisation": organisation,
        "programmes": programmes,
        "categories": [shredder.label for shredder in registry.shredders() if shredder.models],
        "recipients": sorted(handed_to | shared_with),
        "retention": [
            _("Access entries in the audit log (reads, searches, log-ins): %(days)s days")
            % {"days": settings.ACCESS_LOG_RETENTION_DAYS},
            _("Changes in the audit log: kept, without anything readable about erased persons"),
            _("Report files: %(days)s day") % {"days": KEEP_FOR.days},
            _("Text messages: the text until it is sent; the record of its delivery %(days)s days")
            % {"days": settings.BROBYG_SMS_RETENTION_DAYS},
            _(
                "Secure messages: %(days)s days after the support course ended; the citizen's "
                "links to them: 30 days"
            )
            % {"days": settings.BROBYG_MESSAGE_RETENTION_DAYS},
            _(
                "Everything else: until the citizen's data is erased on request, unless a legal "
                "hold keeps it"
            ),
        ],
    }
