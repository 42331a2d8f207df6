"""Bridge-building pages beside the hand-overs: follow-ups, the register of local communities
and drop-in counts. Managers read the activity in the evaluation report."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read, log_read
from brobyg.lib.forms import run_form_action
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.support import selectors, services
from brobyg.support.forms import (
    CommunityForm,
    DropInForm,
    FollowUpForm,
)
from brobyg.support.models import (
    Community,
    FollowUp,
)

# Follow-ups


@org_permission_required("answer_handovers")
def follow_up_list(request):
    rows = list(selectors.due_follow_ups(request.org))
    subjects = [selectors.follow_up_citizen(row) for row in rows]
    log_list_read(
        request=request,
        subjects=[subject for subject in subjects if subject is not None],
        object_type="support.followup",
        reason=gettext_noop("follow-ups due"),
        details={"results": len(rows)},
    )
    return render(request, "support/follow_up_list.html", {"follow_ups": rows})


@org_permission_required("answer_handovers")
def follow_up_record(request, public_id):
    follow_up = get_for_org_or_404(
        request,
        FollowUp.objects.select_related(
            "handover__to_course__citizen",
            "handover__receiving_programme",
            "community_link__course__citizen",
            "community_link__community",
        ),
        public_id=public_id,
    )
    citizen = selectors.follow_up_citizen(follow_up)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.follow_up_record(
            actor=request.user,
            follow_up=follow_up,
            started=data["started"] == "yes",
            still_connected=data["still_connected"] == "yes",
            request=request,
        ),
    ):
        messages.success(request, _("The follow-up is recorded."))
        return redirect("support_follow_up_list")
    log_read(request=request, target=follow_up, subject=citizen, reason=gettext_noop("follow-up"))
    return render(
        request,
        "support/follow_up_form.html",
        {"form": form, "follow_up": follow_up, "citizen": citizen},
    )


# The register of communities


@org_permission_required("view_communities")
def community_list(request):
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "support/community_list.html",
        {
            "communities": selectors.communities_of(request.org, include_inactive=show_all),
            "show_all": show_all,
            "can_manage": has_org_permission(request, "manage_communities"),
        },
    )


def _community_form_page(request, community, success):
    form = CommunityForm(request.POST or None, instance=community)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.community_save(
            actor=request.user, community=form.instance, request=request
        ),
    ):
        messages.success(request, success)
        return redirect("support_community_list")
    return render(request, "support/community_form.html", {"form": form, "community": community})


@org_permission_required("manage_communities")
def community_create(request):
    return _community_form_page(
        request, Community(organisation=request.org), _("The community was added to the register.")
    )


@org_permission_required("manage_communities")
def community_edit(request, public_id):
    community = get_for_org_or_404(request, Community.objects.all(), public_id=public_id)
    return _community_form_page(request, community, _("The community was saved."))


# Drop-in counts


@org_permission_required("record_drop_in")
def drop_in(request):
    form = DropInForm(request.POST or None, organisation=request.org)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.drop_in_record(
            actor=request.user, organisation=request.org, data=data, request=request
        ),
    ):
        messages.success(request, _("The drop-in contacts were recorded."))
        return redirect("support_drop_in")
    return render(
        request,
        "support/drop_in.html",
        {"form": form, "counts": selectors.drop_in_counts(request.org)[:30]},
    )
