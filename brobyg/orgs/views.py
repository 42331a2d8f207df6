from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_denied, log_list_read, log_read
from brobyg.lib.forms import add_service_errors
from brobyg.lib.pagination import paginate
from brobyg.orgs import selectors, services
from brobyg.orgs.choices import Role
from brobyg.orgs.forms import (
    MemberAddForm,
    MemberEditForm,
    MemberFilterForm,
    OrganisationEditForm,
    OrganisationForm,
    ProgrammeForm,
    UnitForm,
)
from brobyg.orgs.models import Membership, Programme, Unit
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.orgs.start import start_sections


def start(request):
    if not request.user.is_authenticated:
        return render(request, "orgs/welcome.html")
    membership = request.membership
    # An evaluator reads an organisation's pseudonymised data; they do not work in it.
    evaluates_only = membership is not None and set(membership.roles) == {Role.EVALUATOR}
    return render(
        request,
        "orgs/start.html",
        {"sections": start_sections(request), "evaluates_only": evaluates_only},
    )


@login_required
@require_POST
def organisation_switch(request):
    if services.switch_organisation(
        request=request, organisation_public_id=request.POST.get("organisation", "")
    ):
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("start")
    messages.error(request, _("You are not a member of that organisation."))
    return redirect("start")


@login_required
def organisation_create(request):
    """Only the installation's platform administrators create organisations."""
    if not request.user.is_platform_admin:
        log_denied(request=request, reason=gettext_noop("not a platform administrator"))
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            services.switch_organisation(
                request=request, organisation_public_id=str(organisation.public_id)
            )
            messages.success(request, _("The organisation was created. You are its administrator."))
            return redirect("start")
    return render(request, "orgs/organisation_form.html", {"form": form, "creating": True})


@org_permission_required("manage_organisation")
def organisation_edit(request):
    form = OrganisationEditForm(request.POST or None, instance=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=request.org, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("start")
    return render(request, "orgs/organisation_form.html", {"form": form, "creating": False})


@org_permission_required("view_units")
def unit_list(request):
    units = selectors.units_for_organisation(request.org)
    return render(request, "orgs/unit_list.html", {"units": units})


def _unit_form(request, unit=None):
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                services.unit_create(
                    actor=request.user, organisation=request.org, data=form.cleaned_data
                )
            else:
                services.unit_update(actor=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("unit_list")
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@org_permission_required("manage_units")
def unit_create(request):
    return _unit_form(request)


@org_permission_required("manage_units")
def unit_edit(request, public_id):
    return _unit_form(request, get_for_org_or_404(request, Unit.objects, public_id=public_id))


@org_permission_required("view_programmes")
def programme_list(request):
    programmes = selectors.programmes_for_organisation(request.org)
    return render(request, "orgs/programme_list.html", {"programmes": programmes})


@org_permission_required("view_programmes")
def programme_detail(request, public_id):
    programme = get_for_org_or_404(
        request, Programme.objects.prefetch_related("units"), public_id=public_id
    )
    return render(request, "orgs/programme_detail.html", {"programme": programme})


def _programme_form(request, programme=None):
    form = ProgrammeForm(request.POST or None, instance=programme, organisation=request.org)
    if request.method == "POST" and form.is_valid():
        units = list(form.cleaned_data["units"])
        try:
            if programme is None:
                programme = services.programme_create(
                    actor=request.user,
                    organisation=request.org,
                    data=form.service_data(),
                    units=units,
                )
            else:
                services.programme_update(
                    actor=request.user, programme=programme, data=form.service_data(), units=units
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programme_detail", public_id=programme.public_id)
    return render(request, "orgs/programme_form.html", {"form": form, "programme": programme})


@org_permission_required("manage_programmes")
def programme_create(request):
    return _programme_form(request)


@org_permission_required("manage_programmes")
def programme_edit(request, public_id):
    programme = get_for_org_or_404(request, Programme.objects, public_id=public_id)
    return _programme_form(request, programme)


@org_permission_required("view_members")
def member_list(request):
    filters = MemberFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(
        request,
        selectors.member_list_parts(
            request.org, query=criteria.get("q", ""), role=criteria.get("role", "")
        ),
    )
    members = page.object_list
    log_list_read(
        request=request,
        subjects=[member.user for member in members],
        action=Action.SEARCH if any(criteria.values()) else Action.READ,
        object_type="orgs.membership",
        reason=gettext_noop("member list"),
        details={
            "criteria": {k: v for k, v in criteria.items() if v},
            "results": page.paginator.count,
            "page": page.number,
        },
    )
    return render(
        request,
        "orgs/member_list.html",
        {"members": members, "page": page, "filters": filters},
    )


@org_permission_required("view_members")
def member_detail(request, public_id):
    membership = get_for_org_or_404(
        request, Membership.objects.select_related("user"), public_id=public_id
    )
    log_read(
        request=request,
        target=membership,
        subject=membership.user,
        reason=gettext_noop("member details"),
    )
    return render(request, "orgs/member_detail.html", {"membership": membership})


@org_permission_required("manage_members")
def member_add(request):
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_add(
                actor=request.user, organisation=request.org, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person was added and has been told by e-mail."))
            return redirect("member_detail", public_id=membership.public_id)
    return render(request, "orgs/member_add.html", {"form": form})


@org_permission_required("manage_members")
def member_edit(request, public_id):
    membership = get_for_org_or_404(
        request, Membership.objects.select_related("user"), public_id=public_id
    )
    initial = {"roles": membership.roles, "is_active": membership.is_active}
    form = MemberEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The roles were saved."))
            return redirect("member_detail", public_id=membership.public_id)
    else:
        log_read(
            request=request,
            target=membership,
            subject=membership.user,
            reason=gettext_noop("edit member"),
        )
    return render(request, "orgs/member_edit.html", {"form": form, "membership": membership})
