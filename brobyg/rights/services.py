"""Every change to data-protection requests and legal holds, and erasure itself."""

import json
import random
from datetime import timedelta

from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_scopes import scope

from brobyg.audit.models import Action
from brobyg.audit.selectors import entries_for_organisation
from brobyg.audit.services import log_action, log_action_on, save_and_log
from brobyg.lib import crypto
from brobyg.lib.days import month_moments
from brobyg.people import services as people_services
from brobyg.rights import registry
from brobyg.rights.models import (
    DataRequest,
    LegalHold,
    RequestChannel,
    RequestKind,
    RequestStatus,
    RetentionSetting,
    SpotCheck,
    SpotCheckItem,
    SubjectKey,
)
from brobyg.rights.selectors import holds_in_force, person_records


class LegalHoldRefusal(Exception):
    """A shredder may not erase: a legal hold keeps its category of the person's data."""

    def __init__(self, holds):
        self.holds = list(holds)
        super().__init__(", ".join(sorted({hold.category for hold in self.holds})))


@transaction.atomic
def data_request_register(
    *,
    actor,
    citizen,
    kind: str,
    channel: str = RequestChannel.STAFF,
    description: str = "",
    received_at=None,
    request=None,
) -> DataRequest:
    """Register a request; its deadline is 30 days after it was received."""
    received_at = received_at or timezone.now()
    data_request = DataRequest(
        organisation=citizen.organisation,
        citizen=citizen,
        kind=kind,
        channel=channel,
        description=description,
        received_at=received_at,
        deadline=DataRequest.deadline_for(received_at),
        registered_by=actor,
    )
    return save_and_log(
        data_request,
        action=Action.CREATE,
        actor=actor,
        subject=citizen,
        details={"kind": kind, "channel": channel, "deadline": data_request.deadline.isoformat()},
        request=request,
    )


def _decide(*, data_request, actor, status, note, result=None, request=None):
    data_request.status = status
    data_request.decided_by = actor
    data_request.decided_at = timezone.now()
    data_request.decision_note = note
    if result is not None:
        data_request.result = result
    return save_and_log(
        data_request,
        action=Action.UPDATE,
        actor=actor,
        subject=data_request.citizen,
        details={"kind": data_request.kind, "status": status},
        request=request,
    )


def _open(data_request, kind=None):
    if not data_request.is_open:
        raise ValidationError(_("This request has already been answered."))
    if kind is not None and data_request.kind != kind:
        raise ValidationError(_("This action does not fit this kind of request."))


@transaction.atomic
def data_request_complete(*, actor, data_request, note: str = "", request=None) -> DataRequest:
    """Mark an access or correction request as answered."""
    _open(data_request)
    if data_request.kind == RequestKind.ERASURE:
        raise ValidationError(_("An erasure request is answered by erasing or refusing."))
    return _decide(
        data_request=data_request,
        actor=actor,
        status=RequestStatus.DONE,
        note=note,
        request=request,
    )


@transaction.atomic
def data_request_refuse(*, actor, data_request, note: str, request=None) -> DataRequest:
    _open(data_request)
    if not note.strip():
        raise ValidationError({"decision_note": _("Tell the citizen why the request is refused.")})
    return _decide(
        data_request=data_request,
        actor=actor,
        status=RequestStatus.REFUSED,
        note=note,
        request=request,
    )


def _shred(*, citizen, actor, reason, request=None) -> dict:
    """Every registered shredder erases or anonymises what its app holds about the person (the
    record and any records merged into it); a shredder under a legal hold refuses. Logged with
    the counts, never the erased data."""
    with scope(organisation=citizen.organisation_id):
        records = person_records(citizen)
        held = holds_in_force(records)
        result = {"shredders": {}}
        for shredder in registry.shredders():
            refusing = [hold for hold in held if hold.category == shredder.name]
            if refusing:
                raise LegalHoldRefusal(refusing)
            result["shredders"][shredder.name] = shredder.erase(citizens=records)
    result["records"] = [str(record.public_id) for record in records]
    log_action(
        action=Action.DELETE,
        actor=actor,
        organisation=citizen.organisation,
        object_type="people.citizen",
        object_id=str(citizen.public_id),
        subject=citizen,
        reason=reason,
        details=result,
        request=request,
    )
    return result


@transaction.atomic
def citizen_anonymise(*, citizen, reason: str) -> dict:
    """Anonymise a person whose data reached the end of their retention period, as an erasure
    does (all or nothing, refused by a legal hold); done by the retention job, not a person."""
    return _shred(citizen=citizen, actor=None, reason=reason)


@transaction.atomic
def citizen_erase(*, actor, data_request, note: str = "", request=None) -> DataRequest:
    """Carry out an erasure request: every registered shredder erases or anonymises what its
    app holds about the person (the record and any records merged into it), in one transaction.

    A shredder whose category is under a legal hold refuses, and then nothing at all is erased
    (``LegalHoldRefusal``); so does any error in any shredder. The log entry holds the counts,
    never the erased data.
    """
    _open(data_request, RequestKind.ERASURE)
    result = _shred(
        citizen=data_request.citizen,
        actor=actor,
        reason=gettext_noop("erasure request carried out"),
        request=request,
    )
    return _decide(
        data_request=data_request,
        actor=actor,
        status=RequestStatus.DONE,
        note=note,
        result=result,
        request=request,
    )


@transaction.atomic
def legal_hold_place(*, actor, citizen, category: str, reason: str, request=None) -> LegalHold:
    names = {shredder.name for shredder in registry.shredders()}
    if category not in names:
        raise ValidationError({"category": _("Choose from the list.")})
    hold = LegalHold(
        organisation=citizen.organisation,
        citizen=citizen,
        category=category,
        reason=reason,
        placed_by=actor,
    )
    return save_and_log(
        hold,
        action=Action.CREATE,
        actor=actor,
        subject=citizen,
        details={"category": category},
        request=request,
    )


@transaction.atomic
def legal_hold_lift(*, actor, hold: LegalHold, request=None) -> LegalHold:
    if not hold.in_force:
        raise ValidationError(_("This hold has already been lifted."))
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    log_action_on(
        hold,
        action=Action.UPDATE,
        actor=actor,
        subject=hold.citizen,
        details={"category": hold.category, "lifted": True},
        request=request,
    )
    return hold


@transaction.atomic
def erasure_blocked_log(*, actor, data_request, holds, request=None) -> None:
    """Record that an erasure was refused by legal holds (after its transaction was undone)."""
    log_action_on(
        data_request,
        action=Action.UPDATE,
        actor=actor,
        subject=data_request.citizen,
        reason=gettext_noop("erasure refused by a legal hold"),
        details={"held": sorted({hold.category for hold in holds})},
        request=request,
    )


def _subject_fernet(citizen) -> Fernet:
    key = SubjectKey.objects.filter(citizen=citizen).first()
    if key is None:
        key = SubjectKey.objects.create(
            organisation_id=citizen.organisation_id,
            citizen=citizen,
            key_encrypted=crypto.encrypt(Fernet.generate_key().decode()),
        )
    return Fernet(crypto.decrypt(key.key_encrypted).encode())


def seal_for_log(citizen, values: dict) -> dict:
    """Earlier values for the audit log, encrypted under the citizen's own key."""
    if not values:
        return {}
    token = _subject_fernet(citizen).encrypt(json.dumps(values, default=str).encode())
    return {"earlier_sealed": token.decode()}


@transaction.atomic
def citizen_correct(*, actor, citizen, data: dict, cpr: str | None = None, request=None):
    """Correct a citizen's details. The audit entry names the changed fields and keeps their
    earlier values sealed under the citizen's key (not shown on any page; erasure destroys the
    key)."""
    if citizen.merged_into_id:
        raise ValidationError(_("This record was merged into another; correct that one."))
    with scope(organisation=citizen.organisation_id):
        return people_services.citizen_update(
            actor=actor,
            citizen=citizen,
            data=data,
            cpr=cpr,
            request=request,
            reason=gettext_noop("details corrected"),
            seal_earlier=lambda earlier: seal_for_log(citizen, earlier),
        )


@transaction.atomic
def citizen_asks(*, citizen, kind: str, description: str, request=None) -> DataRequest:
    """A citizen asks, from their data page, for a correction or for erasure."""
    if kind not in (RequestKind.CORRECTION, RequestKind.ERASURE):
        raise ValidationError({"kind": _("Choose from the list.")})
    if kind == RequestKind.CORRECTION and not description.strip():
        raise ValidationError({"description": _("Tell us what is wrong and what is right.")})
    already = DataRequest.objects.filter(citizen=citizen, kind=kind, status=RequestStatus.OPEN)
    if already.exists():
        raise ValidationError(_("You have already asked for this; it is being handled."))
    data_request = data_request_register(
        actor=None,
        citizen=citizen,
        kind=kind,
        channel=RequestChannel.CITIZEN,
        description=description,
        request=request,
    )
    transaction.on_commit(lambda: tell_privacy_officers(data_request))
    return data_request


def tell_privacy_officers(data_request) -> bool:
    """E-mail the organisation's privacy officers that a citizen sent a request: the kind and
    the deadline and a link behind the log-in, never the citizen's name or words."""
    from django.urls import reverse

    from brobyg.lib.mail import absolute_url, send_templated_mail
    from brobyg.orgs.choices import Role
    from brobyg.orgs.selectors import members_of_organisation

    with scope(organisation=data_request.organisation_id):
        officers = members_of_organisation(data_request.organisation, role=Role.PRIVACY_OFFICER)
        recipients = [
            member.user.email for member in officers if member.is_active and member.user.is_active
        ]
    return send_templated_mail(
        "rights/email/new_request",
        {
            "kind": data_request.get_kind_display(),
            "deadline": data_request.deadline,
            "url": absolute_url(reverse("rights_request_detail", args=[data_request.public_id])),
        },
        recipients,
        what="Data-protection request notice",
        about=data_request,
    )


@transaction.atomic
def citizen_withdraws_consent(*, citizen, purpose: str, shared_with=None, request=None):
    """A withdrawal from the citizen's data page; it takes effect at once."""
    from brobyg.people.models import ConsentMethod

    return people_services.consent_record(
        actor=None,
        citizen=citizen,
        purpose=purpose,
        given=False,
        method=ConsentMethod.PERSONAL_LINK,
        shared_with=shared_with,
        request=request,
    )


SPOT_CHECK_SIZE = 20


@transaction.atomic
def spot_check_draw(*, actor, organisation, month, request=None) -> SpotCheck:
    """Draw a random sample of the organisation's reads in ``month`` (a finished month)."""
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("Choose a month that has ended.")})
    if SpotCheck.objects.filter(organisation=organisation, month=month).exists():
        raise ValidationError({"month": _("That month has already been checked.")})
    start, end = month_moments(month)
    reads = entries_for_organisation(organisation).filter(
        action=Action.READ, created_at__gte=start, created_at__lt=end
    )
    ids = list(reads.values_list("pk", flat=True))
    chosen = random.SystemRandom().sample(ids, min(SPOT_CHECK_SIZE, len(ids)))
    spot_check = SpotCheck.objects.create(
        organisation=organisation, month=month, drawn_by=actor, population=len(ids)
    )
    SpotCheckItem.objects.bulk_create(
        SpotCheckItem(
            organisation=organisation,
            spot_check=spot_check,
            entry_id=entry.pk,
            read_at=entry.created_at,
            actor_id=entry.actor_id,
            object_type=entry.object_type,
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            reason=entry.reason,
        )
        for entry in reads.model.objects.filter(pk__in=chosen).order_by("created_at", "pk")
    )
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=spot_check,
        details={"month": month.isoformat(), "population": len(ids), "sample": len(chosen)},
        request=request,
    )
    return spot_check


@transaction.atomic
def spot_check_mark(*, actor, item: SpotCheckItem, justified: bool, note: str, request=None):
    item.justified = justified
    item.note = note
    item.marked_by = actor
    item.marked_at = timezone.now()
    return save_and_log(
        item, action=Action.UPDATE, actor=actor, details={"justified": justified}, request=request
    )


def move_for_merge(*, actor, keep, duplicate) -> dict:
    """People's merge step: the person's data-protection requests and legal holds follow them
    to the kept record. The duplicate's SubjectKey opens the earlier values sealed for the
    duplicate record: it moves when the kept record has none, and otherwise stays with the
    duplicate record (erasure erases the kept record and every record merged into it)."""
    moved = {
        "data_requests": DataRequest.objects.filter(citizen=duplicate).update(citizen=keep),
        "legal_holds": LegalHold.objects.filter(citizen=duplicate).update(citizen=keep),
        "subject_key": 0,
    }
    if not SubjectKey.objects.filter(citizen=keep).exists():
        moved["subject_key"] = SubjectKey.objects.filter(citizen=duplicate).update(citizen=keep)
    return moved


@transaction.atomic
def retention_setting_set(*, actor, organisation, category: str, days: int, request=None):
    """The privacy officer chooses the organisation's period for one category, within its
    limits; logged with the earlier and the new period."""
    from brobyg.rights import retention

    try:
        rule = retention.category(category)
    except KeyError:
        raise ValidationError({"category": _("Choose from the list.")}) from None
    if not rule.configurable:
        raise ValidationError(_("This period is fixed and cannot be changed."))
    if not rule.min_days <= days <= rule.max_days:
        raise ValidationError(
            {
                "days": _("Choose between %(min)s and %(max)s days.")
                % {"min": rule.min_days, "max": rule.max_days}
            }
        )
    setting = RetentionSetting.objects.filter(organisation=organisation, category=category).first()
    earlier = setting.days if setting else rule.days
    if setting is None:
        setting = RetentionSetting(organisation=organisation, category=category, days=days)
    setting.days = days
    setting.changed_by = actor
    setting.changed_at = timezone.now()
    setting.full_clean()
    setting.save()
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=organisation,
        object_type="rights.retentionsetting",
        object_id=category,
        details={"category": category, "earlier_days": earlier, "days": days},
        request=request,
    )
    return setting


@transaction.atomic
def retention_settings_set(*, actor, organisation, periods: dict[str, int], request=None) -> int:
    """Save the periods that changed, all or none; returns how many changed."""
    from brobyg.rights.selectors import retention_periods

    current = retention_periods(organisation)
    changed = 0
    for category, days in periods.items():
        if current.get(category) != days:
            retention_setting_set(
                actor=actor,
                organisation=organisation,
                category=category,
                days=days,
                request=request,
            )
            changed += 1
    return changed


RETENTION_REASON = gettext_noop("retention rules applied")


def retention_apply(*, organisation, today=None) -> dict:
    """Apply every category's period to one organisation (the periodic job). Each category is
    applied in a transaction of its own (each anonymised person in one too), and the run is
    logged with the counts per category, never what was removed."""
    from brobyg.rights import retention
    from brobyg.rights.selectors import retention_periods

    today = today or timezone.localdate()
    done = {}
    with scope(organisation=organisation.pk):
        periods = retention_periods(organisation)
        for rule in retention.categories():
            if not rule.has_period:
                continue
            cutoff = today - timedelta(days=periods[rule.name])
            with transaction.atomic():
                removed = rule.apply(organisation, cutoff, reason=RETENTION_REASON)
            done[rule.name] = {
                "days": periods[rule.name],
                "before": cutoff.isoformat(),
                "removed": removed,
            }
    log_action(
        action=Action.DELETE,
        organisation=organisation,
        object_type="rights.retention",
        reason=RETENTION_REASON,
        details={"run_on": today.isoformat(), "categories": done},
    )
    return done


@transaction.atomic
def access_codes_purge(*, now=None) -> int:
    """One-time codes for the data page go a day after they expired."""
    from brobyg.rights.models import AccessCode
    from brobyg.rights.retention import ACCESS_CODES_KEPT

    now = now or timezone.now()
    return AccessCode.objects.filter(expires_at__lt=now - ACCESS_CODES_KEPT).delete()[0]
