"""The one table that maps roles to permissions, and the helpers views use to declare them.

A view declares what it needs with ``@org_permission_required("view_members")``; an object is
fetched with ``get_for_org_or_404``, which answers 404 both for missing objects and for objects of
another organisation, and logs the attempt as ``denied``.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_noop
from django_scopes import scopes_disabled

from brobyg.orgs.choices import Role

# What a role may do, and which objects it sees. Two kinds of permission live in one table:
#
# - action permissions (``view_courses``, ``manage_requests``, ...), declared on views with
#   ``org_permission_required``;
# - object-scope permissions (listed in OBJECT_SCOPES below), which say *which* objects of the
#   organisation a member sees. Only the ``<thing>_visible_to(membership)`` selectors read them,
#   and those selectors read nothing else (VISIBLE_TO says which ones each reads; a test holds the
#   code to it). No view, service or template decides visibility from a role.
#
# What a manager sees of a citizen: every citizen's contact details and the request's figures
# (programme, status, dates, days waiting, source, the structured answers), so the waiting list
# can be followed up; never free text: not the citizen's own words, the referrer's reason, the
# reasons written for a status or an age exception, nor the free-text wishes. That text is
# ``view_request_text``, which only coordinators hold.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            "view_programmes",
            "manage_programmes",
            "view_units",
            "manage_units",
            "manage_organisation",
            "view_members",
            "manage_members",
            "view_instruments",
            "manage_outcome_schedules",
            "manage_role_descriptions",
            "import_data",
            "manage_api_clients",
            "manage_answering_hours",
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            "view_all_citizens",
            "view_all_courses",
            "view_all_groups",
            "view_group_participants",
            "view_all_matches",
            "view_all_requests",
            "view_request_text",
            "view_programmes",
            "view_units",
            "view_members",
            "view_citizen",
            "manage_citizen",
            "correct_citizen",
            "record_consent",
            "view_waiting_list",
            "manage_requests",
            "submit_referral",
            "view_peers",
            "manage_peers",
            "manage_matching",
            "view_matches",
            "view_instruments",
            "view_outcomes",
            "invite_to_questionnaire",
            "manage_outcome_schedules",
            "view_peer_alerts",
            "view_courses",
            "manage_courses",
            "log_sessions",
            "record_drop_in",
            "propose_handover",
            "answer_handovers",
            "view_communities",
            "manage_communities",
            "view_calendar",
            "view_groups",
            "manage_groups",
            "take_attendance",
            "message_groups",
            "view_peer_care",
            "manage_peer_care",
            "manage_role_descriptions",
            "view_reports",
            "export_reports",
            "import_data",
            "view_text_messages",
            "manage_volunteers",
            "view_volunteer_applications",
            "view_all_claims",
            "message_citizens",
            "manage_answering_hours",
        }
    ),
    Role.PEER: frozenset(
        {
            "view_citizens_of_own_courses",
            "view_own_courses",
            "view_facilitated_groups",
            "view_own_matches",
            "serve_as_peer",
            "view_programmes",
            "view_units",
            "view_citizen",
            "record_consent",
            "view_matches",
            "answer_proposals",
            "edit_own_peer_profile",
            "view_instruments",
            "view_outcomes",
            "invite_to_questionnaire",
            "answer_own_checkins",
            "view_courses",
            "log_sessions",
            "record_drop_in",
            "propose_handover",
            "view_communities",
            "manage_communities",
            "view_calendar",
            "view_groups",
            "take_attendance",
            "message_groups",
            "use_own_peer_care",
            "record_volunteer_hours",
            "view_own_claims",
            "message_citizens",
        }
    ),
    Role.MANAGER: frozenset(
        {
            "view_facilitated_groups",
            "view_all_citizens",
            "view_all_groups",
            "view_all_requests",
            "view_programmes",
            "view_units",
            "view_members",
            "view_citizen",
            "view_waiting_list",
            "view_peers",
            "view_instruments",
            "view_outcomes",
            "manage_outcome_schedules",
            "view_communities",
            "view_groups",
            "view_peer_care",
            "view_reports",
            "export_reports",
        }
    ),
    Role.REFERRER: frozenset(
        {"view_programmes", "view_units", "view_referral_status", "submit_referral"}
    ),
    Role.SUPERVISOR: frozenset(
        {
            "supervise_peers",
            "view_programmes",
            "view_units",
            "view_supervision_notes",
            "view_instruments",
            "view_peer_alerts",
            "view_shared_checkins",
            "record_supervision",
            "view_peer_care",
        }
    ),
    Role.EVALUATOR: frozenset(
        {
            "view_programmes",
            "view_pseudonymised_data",
            "view_instruments",
            "view_reports",
            "export_reports",
        }
    ),
    Role.PRIVACY_OFFICER: frozenset(
        {
            "view_programmes",
            "view_units",
            "view_members",
            "view_audit_log",
            "export_audit_log",
            "manage_data_requests",
            "correct_citizen",
        }
    ),
}

# Holding any of these means seeing identifiable personal data, which requires a second factor.
SECOND_FACTOR_PERMISSIONS = frozenset(
    {
        "view_citizen",
        "view_referral_status",
        "view_supervision_notes",
        "view_members",
        "manage_members",
        "view_audit_log",
        "manage_data_requests",
        "view_peers",
        "view_outcomes",
        "view_peer_alerts",
        "view_shared_checkins",
        "view_courses",
        "view_groups",
        "view_peer_care",
        "record_supervision",
        "manage_volunteers",
        "message_citizens",
    }
)

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())

# Object-scope permissions: which objects of the organisation a member sees.
OBJECT_SCOPES = {
    "view_all_citizens": "every citizen of the organisation",
    "view_citizens_of_own_courses": "the citizens of the member's own live support courses",
    "view_all_courses": "every support course of the organisation",
    "view_own_courses": "the support courses the member is a peer on",
    "answer_handovers": "the hand-overs received by and made within the organisation",
    "view_all_groups": "every group course (as figures without view_group_participants)",
    "view_facilitated_groups": "the group courses the member facilitates or co-facilitates",
    "view_group_participants": "the participants' names in every group course the member sees",
    "view_all_matches": "every match of the organisation",
    "view_own_matches": "the matches proposing the member as peer",
    "view_all_requests": "every request for support of the organisation (the waiting list)",
    "view_referral_status": "the requests the member referred (their status only)",
    "view_request_text": "the free text of a request: the citizen's own words, reasons, wishes",
    "view_shared_checkins": "the check-ins peers shared with their supervisors",
    "serve_as_peer": "may hold a peer profile, be matched and put on courses",
    "supervise_peers": "may be assigned as a peer's supervisor",
    "view_volunteer_applications": "every application to become a volunteer peer",
    "view_all_claims": "every volunteer's expense claims, with their receipts",
    "view_own_claims": "the member's own expense claims as a volunteer peer",
}

# Each ``<thing>_visible_to(membership)`` selector and the object-scope permissions it reads
# itself (it may also narrow another ``*_visible_to``), and nothing else
# (orgs/tests/test_visibility_table.py checks both directions).
VISIBLE_TO = {
    "brobyg.people.selectors.citizens_visible_to": (
        "view_all_citizens",
        "view_citizens_of_own_courses",
    ),
    "brobyg.support.selectors.courses_visible_to": ("view_all_courses", "view_own_courses"),
    "brobyg.support.selectors.sent_handovers_visible_to": ("answer_handovers",),
    "brobyg.support.selectors.received_handovers_visible_to": ("answer_handovers",),
    "brobyg.groups.selectors.groups_visible_to": ("view_all_groups", "view_facilitated_groups"),
    "brobyg.groups.selectors.groups_with_names_visible_to": (
        "view_group_participants",
        "view_facilitated_groups",
    ),
    "brobyg.matching.selectors.matches_visible_to": ("view_all_matches", "view_own_matches"),
    "brobyg.intake.selectors.requests_visible_to": ("view_all_requests", "view_referral_status"),
    # and through citizens_visible_to, the citizen scopes
    "brobyg.outcomes.selectors.responses_visible_to": ("view_shared_checkins",),
    "brobyg.volunteers.selectors.applications_visible_to": ("view_volunteer_applications",),
    "brobyg.volunteers.selectors.claims_visible_to": ("view_all_claims", "view_own_claims"),
    # narrows courses_visible_to only: a conversation is seen with its course
    "brobyg.conversations.selectors.conversations_visible_to": (),
}


def permissions_for_roles(roles) -> frozenset[str]:
    return frozenset().union(*(ROLE_PERMISSIONS.get(role, frozenset()) for role in roles))


def member_permissions(membership) -> frozenset[str]:
    """What a membership may do and see; nothing for no membership."""
    if membership is None:
        return frozenset()
    return permissions_for_roles(membership.roles)


def member_has(membership, permission: str) -> bool:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
    return permission in member_permissions(membership)


def visible_by_table(objects, membership, all_permission: str, own_permission=None, own=None):
    """How a ``*_visible_to`` selector reads the table: ``objects`` (already of the member's
    organisation) all with ``all_permission``; with ``own_permission``, ``own(objects)`` (the
    member's own part); otherwise none."""
    permissions = member_permissions(membership)
    if all_permission in permissions:
        return objects
    if own_permission is not None and own_permission in permissions:
        return own(objects)
    return objects.none()


def requires_second_factor(roles) -> bool:
    return bool(permissions_for_roles(roles) & SECOND_FACTOR_PERMISSIONS)


def has_org_permission(request, permission: str) -> bool:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
    return permission in getattr(request, "permissions", frozenset())


def org_permission_required(permission: str):
    """Let the view run only for a logged-in member of the current organisation who holds
    ``permission``; anyone else logged in gets 403 and a ``denied`` entry in the audit log."""
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_org_permission(request, permission):
                from brobyg.audit.services import log_denied

                log_denied(
                    request=request,
                    reason=gettext_noop("missing permission"),
                    details={"permission": permission},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.org_permission = permission
        return wrapped

    return decorator


def _denied_reason(request, found) -> str:
    if found is None:
        return gettext_noop("object not found")
    if request.org is not None and found.organisation_id == request.org.pk:
        return gettext_noop("object not visible to this role")
    return gettext_noop("object of another organisation")


def get_for_org_or_404(request, queryset, **lookup):
    """Fetch one object of the current organisation or raise 404.

    The queryset must be of a scoped model, so the current organisation's scope (set by the
    tenancy middleware) already limits it. A miss is logged as ``denied``, and when the object
    exists in another organisation the entry is filed under that organisation, so its privacy
    officer sees who tried.
    """
    obj = queryset.filter(**lookup).first()
    if obj is not None:
        return obj
    from brobyg.audit.services import log_denied

    with scopes_disabled():
        foreign = queryset.model.objects.filter(**lookup).select_related("organisation").first()
    log_denied(
        request=request,
        reason=_denied_reason(request, foreign),
        target=foreign,
        object_type=queryset.model._meta.label_lower,
        object_id=str(next(iter(lookup.values()), "")),
    )
    raise Http404
