"""Writes for drop-in counts (anonymous visits, no names)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.support.models import DropInCount
from brobyg.support.services_common import log


@transaction.atomic
def drop_in_record(*, actor, organisation, data: dict, request=None) -> DropInCount:
    count = DropInCount(organisation=organisation, recorded_by=actor, **data)
    if count.unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": _("Choose a unit of your organisation.")})
    if count.day > timezone.localdate():
        raise ValidationError({"day": _("Give today's date or an earlier one.")})
    count.full_clean()
    count.save()
    log(Action.CREATE, actor, count, None, {"contacts": count.contacts}, request)
    return count
