"""Every change to organisations, services, programmes and memberships goes through here."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on, save_and_log
from brobyg.lib.changes import assign_changes
from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership, Organisation, Programme, Unit

User = get_user_model()


@transaction.atomic
def organisation_create(*, actor, name: str, kind: str, email: str = "", phone: str = ""):
    """Create an organisation; its creator becomes its first administrator."""
    if not actor.is_platform_admin:
        raise ValidationError(_("Only a platform administrator can create organisations."))
    organisation = Organisation(name=name, kind=kind, email=email, phone=phone)
    organisation.full_clean()
    organisation.save()
    # The membership belongs to the new organisation: validate it in that scope, also when
    # called outside a request (manage.py create_organisation_admin) or from another one.
    with scope(organisation=organisation.pk):
        membership = Membership(user=actor, organisation=organisation, roles=[Role.ADMIN])
        membership.full_clean()
        membership.save()
    log_action(action=Action.CREATE, actor=actor, organisation=organisation, target=organisation)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    changed = assign_changes(organisation, data)
    return save_and_log(
        organisation,
        action=Action.UPDATE,
        actor=actor,
        details={"fields": changed},
        organisation=organisation,
    )


@transaction.atomic
def unit_create(*, actor, organisation: Organisation, data: dict) -> Unit:
    unit = Unit(organisation=organisation, **data)
    unit.full_clean()
    unit.save()
    log_action(action=Action.CREATE, actor=actor, organisation=organisation, target=unit)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, data: dict) -> Unit:
    changed = assign_changes(unit, data)
    return save_and_log(unit, action=Action.UPDATE, actor=actor, details={"fields": changed})


def _check_units(organisation, units):
    if any(unit.organisation_id != organisation.pk for unit in units):
        raise ValidationError({"units": _("Choose services of your own organisation.")})


@transaction.atomic
def programme_create(*, actor, organisation: Organisation, data: dict, units) -> Programme:
    _check_units(organisation, units)
    programme = Programme(organisation=organisation, **data)
    programme.full_clean()
    programme.save()
    programme.units.set(units)
    log_action(action=Action.CREATE, actor=actor, organisation=organisation, target=programme)
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, data: dict, units) -> Programme:
    _check_units(programme.organisation, units)
    changed = assign_changes(programme, data)
    if {unit.pk for unit in units} != set(programme.units.values_list("pk", flat=True)):
        changed.append("units")
    programme.full_clean()
    programme.save()
    programme.units.set(units)
    log_action_on(programme, action=Action.UPDATE, actor=actor, details={"fields": changed})
    return programme


@transaction.atomic
def member_add(
    *,
    actor,
    organisation: Organisation,
    email: str,
    full_name: str,
    roles: list[str],
    invite: bool = True,
) -> Membership:
    """Give a person roles in the organisation, creating their account when they have none.

    The person is e-mailed after the transaction commits: a new account gets a link to choose a
    password, an existing one is told about the new organisation. The admin is told the same in
    both cases, so adding someone does not reveal whether they already use Brobyg. ``invite``
    False (an import, when the coordinator chose so) sends nothing.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    with scopes_disabled():
        if Membership.objects.filter(user=user, organisation=organisation).exists():
            raise ValidationError(
                {"email": _("This person is already a member of the organisation.")}
            )
    membership = Membership(user=user, organisation=organisation, roles=sorted(set(roles)))
    save_and_log(
        membership,
        action=Action.CREATE,
        actor=actor,
        subject=user,
        details={"roles": membership.roles, "account_created": created},
    )
    if not invite:
        return membership
    from brobyg.orgs.tasks import send_invitation

    transaction.on_commit(
        lambda: send_invitation.enqueue(user_id=user.pk, organisation_id=organisation.pk)
    )
    return membership


def _ensure_an_admin_remains(membership: Membership, roles: list[str], is_active: bool):
    if Role.ADMIN in roles and is_active:
        return
    other_admins = [
        other
        for other in Membership.objects.filter(
            organisation=membership.organisation, is_active=True
        ).exclude(pk=membership.pk)
        if Role.ADMIN in other.roles
    ]
    if not other_admins:
        raise ValidationError(
            {"roles": _("The organisation must keep at least one active administrator.")}
        )


@transaction.atomic
def member_update(
    *, actor, membership: Membership, roles: list[str], is_active: bool
) -> Membership:
    roles = sorted(set(roles))
    if membership.user_id == actor.pk:
        raise ValidationError(
            {"roles": _("You cannot change your own roles. Ask another administrator.")}
        )
    _ensure_an_admin_remains(membership, roles, is_active)
    details = {}
    if roles != membership.roles:
        details["roles"] = {"before": membership.roles, "after": roles}
    if is_active != membership.is_active:
        details["is_active"] = is_active
    membership.roles = roles
    membership.is_active = is_active
    return save_and_log(
        membership, action=Action.UPDATE, actor=actor, subject=membership.user, details=details
    )


def switch_organisation(*, request, organisation_public_id: str) -> bool:
    """Make another of the user's organisations the current one, and remember the choice."""
    from brobyg.orgs.middleware import SESSION_ORGANISATION_KEY

    for membership in request.memberships:
        if str(membership.organisation.public_id) == organisation_public_id:
            request.session[SESSION_ORGANISATION_KEY] = organisation_public_id
            User.objects.filter(pk=request.user.pk).update(
                last_organisation=membership.organisation
            )
            return True
    return False
