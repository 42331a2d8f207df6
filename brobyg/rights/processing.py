"""The record of processing activities (GDPR art. 30) of one organisation, generated from what
Brobyg knows: the programmes' purposes and legal bases, the categories of data the apps declare
through their shredders, the organisations data went to through hand-overs or consents, and the
retention that is actually applied."""

from django.db.models import Q

from brobyg.orgs.models import Programme
from brobyg.people.models import Consent, ConsentPurpose
from brobyg.rights import registry, retention
from brobyg.rights.selectors import retention_periods
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
    periods = retention_periods(organisation)
    return {
        "organisation": organisation,
        "programmes": programmes,
        "categories": [shredder.label for shredder in registry.shredders() if shredder.models],
        "recipients": sorted(handed_to | shared_with),
        "retention": [
            {
                "label": rule.label,
                "days": periods.get(rule.name),
                "ending": rule.ending,
                "kept": rule.kept,
            }
            for rule in retention.categories()
        ],
    }
