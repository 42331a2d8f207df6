"""The participant evaluation on a group course's page (a section registered with groups), the
button that makes everyone's personal link, and the sheets to print with a QR code each."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brobyg.audit.services import log_list_read
from brobyg.groups import selectors as group_selectors
from brobyg.groups.models import GroupCourse
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.outcomes import group_evaluation, selectors
from brobyg.outcomes.links import answer_path, invitation_token, qr_svg


def group_section(request, group, *, sees_participants: bool) -> dict | None:
    """The shares for everyone who sees the group; the own words and the links only for the
    coordinators and the group's facilitators, never for a manager."""
    result = group_evaluation.summary(group)
    counts = group_evaluation.invitation_counts(group)
    return {
        "rows": result["rows"],
        "own_words": result["own_words"] if sees_participants else None,
        "asked": counts["asked"],
        "answered": counts["answered"],
        "can_invite": sees_participants and has_org_permission(request, "take_attendance"),
        "is_due": group_evaluation.is_due(group),
        "yes_values": sorted(group_evaluation.YES_VALUES),
    }


def _get_group(request, public_id):
    group = get_for_org_or_404(
        request,
        group_selectors.groups_visible_to(request.membership).select_related("programme"),
        public_id=public_id,
    )
    if not group_selectors.sees_participants(request.membership, group):
        get_for_org_or_404(request, GroupCourse.objects.none(), public_id=public_id)
    return group


@org_permission_required("take_attendance")
@require_POST
def group_invite(request, public_id):
    group = _get_group(request, public_id)
    try:
        result = group_evaluation.invite_group(actor=request.user, group=group, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d personal link was made; those with an e-mail address get it by e-mail.",
                "%(count)d personal links were made; those with an e-mail address get them by "
                "e-mail.",
                result["made"],
            )
            % {"count": result["made"]},
        )
        if result["skipped"]:
            messages.info(
                request,
                ngettext(
                    "%(count)d participant has not agreed to be asked and got no link.",
                    "%(count)d participants have not agreed to be asked and got no link.",
                    result["skipped"],
                )
                % {"count": result["skipped"]},
            )
    return redirect("groups_detail", public_id=group.public_id)


@never_cache
@org_permission_required("take_attendance")
def group_print(request, public_id):
    """One sheet per open link: the participant's name (to hand it out), the QR code and the
    questions on paper."""
    group = _get_group(request, public_id)
    invitations = [
        invitation for invitation in group_evaluation.invitations_of(group) if invitation.is_open
    ]
    log_list_read(
        request=request,
        subjects=[invitation.participant.audit_subject for invitation in invitations],
        object_type="outcomes.invitation",
        reason=gettext_noop("group evaluation links shown for printing"),
        details={"group": str(group.public_id), "results": len(invitations)},
    )
    sheets = []
    for invitation in invitations:
        texts = selectors.instrument_texts(invitation.instrument, request.org)
        language = texts.language(invitation.language)
        link = request.build_absolute_uri(answer_path(invitation_token(invitation)))
        sheets.append(
            {
                "invitation": invitation,
                "name": invitation.participant.name,
                "title": texts.title_in(language),
                "intro": texts.intro_in(language),
                "link": link,
                "qr": qr_svg(link),
                "items": [
                    {
                        "text": texts.item_text(item.id, language),
                        "options": [
                            texts.label(item.scale.code, value, language) or str(value)
                            for value in item.scale.values
                        ]
                        if item.scale
                        else [],
                    }
                    for item in texts.definition.items
                ],
            }
        )
    response = render(request, "outcomes/groups/print.html", {"group": group, "sheets": sheets})
    response["Referrer-Policy"] = "strict-origin"
    return response
