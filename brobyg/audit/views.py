import csv
import json

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from brobyg.audit import selectors
from brobyg.audit.forms import EntryFilterForm
from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib.pagination import keyset_page
from brobyg.orgs.permissions import org_permission_required
from brobyg.orgs.selectors import member_users_matching
from brobyg.people import selectors as people_selectors


def _filtered(request, *entry_sets):
    """The filter form, each of ``entry_sets`` narrowed by it, and the criteria to log."""
    form = EntryFilterForm(request.GET or None, organisation=request.org)
    criteria = {}
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        citizen_ids = (
            people_selectors.citizen_public_ids_matching(request.org, criteria["citizen"])
            if criteria["citizen"]
            else None
        )
        if citizen_ids is not None:
            # The log keeps whom the search found, not the name that was typed.
            criteria["citizen"] = sorted(citizen_ids)
            criteria["citizen_search"] = True
        member_ids = None
        if criteria["about"]:
            member_ids = [
                str(public_id)
                for public_id in member_users_matching(request.org, criteria["about"]).values_list(
                    "public_id", flat=True
                )
            ]
            # As for citizens: whom the search found, not the name that was typed.
            criteria["about"] = sorted(member_ids)
            criteria["member_search"] = True
        narrowing = {
            "actor": form.cleaned_data.get("actor"),
            "actors": member_users_matching(request.org, criteria["who"])
            if criteria["who"]
            else None,
            "subject_id": criteria["subject_id"],
            "member_ids": member_ids,
            "citizen_ids": citizen_ids,
            "action": criteria["action"],
            "date_from": form.cleaned_data.get("date_from"),
            "date_to": form.cleaned_data.get("date_to"),
        }
        entry_sets = [selectors.filter_entries(entries, **narrowing) for entries in entry_sets]
    elif form.is_bound:
        entry_sets = [entries.none() for entries in entry_sets]
    return form, entry_sets, {k: v for k, v in criteria.items() if v}


@org_permission_required("view_audit_log")
def entry_list(request):
    form, parts, criteria = _filtered(request, *selectors.entry_parts_for_organisation(request.org))
    page = keyset_page(request, [selectors.for_rows(part) for part in parts])
    list_url = reverse("audit_entry_list")
    rows = selectors.entry_rows(page.object_list, list_url=list_url)
    log_action(
        action=Action.SEARCH,
        actor=request.user,
        organisation=request.org,
        object_type="audit.logentry",
        reason=gettext_noop("audit log review"),
        details={"criteria": criteria},
        request=request,
    )
    query = request.GET.copy()
    for name in ("page", "older", "newer"):
        query.pop(name, None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "chosen": _chosen_people(form, query),
            "rows": rows,
        },
    )


def _chosen_people(form, query) -> list[dict]:
    """The members chosen by a link (``actor``, ``subject``), by name, each with the address of
    the same filter without them."""
    if not form.is_bound or not form.is_valid():
        return []
    chosen = []
    for name in ("actor", "subject"):
        user = form.cleaned_data.get(name)
        if user is not None:
            without = query.copy()
            without.pop(name, None)
            chosen.append({"field": name, "user": user, "without": without.urlencode()})
    return chosen


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = [
    "time",
    "actor_email",
    "actor_name",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "subject_type",
    "subject_id",
    "subject_name",
    "reason",
    "ip_address",
    "details",
]


def _filtered_by_person(criteria) -> bool:
    return bool(
        criteria.get("subject_id")
        or criteria.get("member_search")
        or criteria.get("citizen_search")
    )


@org_permission_required("export_audit_log")
def entry_export(request):
    """The filtered log as CSV. Data subjects are named only when the export is filtered by a
    person (a member of staff or a citizen); otherwise the file holds their ids only."""
    _form, (entries,), criteria = _filtered(
        request, selectors.entries_for_organisation(request.org)
    )
    entries = list(entries)
    names = selectors.subject_names(entries) if _filtered_by_person(criteria) else {}
    log_action(
        action=Action.EXPORT,
        actor=request.user,
        organisation=request.org,
        object_type="audit.logentry",
        reason=gettext_noop("audit log export"),
        details={
            "criteria": criteria,
            "rows": len(entries),
            "subjects_named": _filtered_by_person(criteria),
        },
        request=request,
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_HEADER)
        for entry in entries:
            yield writer.writerow(
                [
                    _cell(value)
                    for value in (
                        timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                        entry.actor.email if entry.actor else "",
                        entry.actor.full_name if entry.actor else "",
                        entry.organisation.name if entry.organisation else "",
                        entry.action,
                        entry.object_type,
                        entry.object_id,
                        entry.object_label,
                        entry.subject_type,
                        entry.subject_id,
                        names.get(entry.subject_id, ""),
                        entry.reason,
                        entry.ip_address,
                        json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
                    )
                ]
            )

    filename = f"brobyg-audit-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
