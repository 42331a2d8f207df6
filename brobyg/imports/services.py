"""Every write of an import: keeping an upload for its preview, importing it all or nothing
through the ordinary services (people, intake, support, orgs) in the background worker, and
deleting uploads.

A confirmed import is queued (``import_queue``) and run by ``tasks.run_import``: thousands of rows
take minutes (about 40 ms a row in intake's services), longer than a web request may last. The
import page follows its status; the rows are imported in one transaction, so either every row is
there or none is, and the page says which.
"""

import logging
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on, logged_as, save_and_log
from brobyg.imports.columns import match_headings
from brobyg.imports.models import UPLOAD_KEPT_MINUTES, ImportKind, ImportStatus, ImportUpload
from brobyg.imports.parsing import read_table
from brobyg.imports.rows import check
from brobyg.intake import services as intake_services
from brobyg.intake.models import Status
from brobyg.orgs import services as orgs_services
from brobyg.orgs.choices import Role
from brobyg.people import services as people_services
from brobyg.people import services_peers
from brobyg.support import services as support_services

CITIZEN_KEYS = ("name", "phone", "email", "birth_year", "municipality")
# A queued import and then its outcome stay this long for the importer to see.
RESULT_KEPT = timedelta(days=1)

logger = logging.getLogger(__name__)


@transaction.atomic
def upload_store(
    *, actor, organisation, kind: str, data: bytes, file_name: str, request=None
) -> ImportUpload:
    """Read the file and keep its cells for the preview; raises ``parsing.FileProblem`` with
    what is wrong when the file cannot be read. The member's earlier uploads are deleted."""
    table = read_table(data, file_name)
    keys = match_headings(kind, table.headings)
    rows = [
        [number, {key: cells[index] if index < len(cells) else "" for index, key in keys.items()}]
        for number, cells in table.rows
    ]
    ImportUpload.objects.filter(organisation=organisation, created_by=actor).delete()
    upload = ImportUpload(
        organisation=organisation,
        kind=ImportKind(kind),
        created_by=actor,
        expires_at=timezone.now() + timedelta(minutes=UPLOAD_KEPT_MINUTES),
        file_name=file_name[:200],
        rows=rows,
    )
    return save_and_log(
        upload,
        action=Action.CREATE,
        actor=actor,
        details={"kind": kind, "rows": len(rows), "encoding": table.encoding},
        request=request,
    )


@transaction.atomic
def upload_discard(*, actor, upload: ImportUpload, request=None) -> None:
    log_action_on(
        upload, action=Action.DELETE, actor=actor, details={"kind": upload.kind}, request=request
    )
    upload.delete()


@transaction.atomic
def import_queue(*, actor, upload: ImportUpload, skip_duplicates: bool, invite_peers: bool):
    """Confirm an upload: it is imported by the background worker (``tasks.run_import``)."""
    from brobyg.imports.tasks import run_import

    upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ImportStatus.WAITING:
        raise ValidationError(_("This import has already been started."))
    upload.status = ImportStatus.QUEUED
    upload.options = {
        "skip_duplicates": skip_duplicates,
        "invite_peers": invite_peers,
        "language": translation.get_language() or "da",
    }
    upload.expires_at = timezone.now() + RESULT_KEPT
    upload.save(update_fields=["status", "options", "expires_at"])
    log_action_on(
        upload,
        action=Action.UPDATE,
        actor=actor,
        reason=gettext_noop("import confirmed"),
        details={"kind": upload.kind, "fields": ["status"]},
    )
    run_import.enqueue(str(upload.public_id))
    return upload


def import_run(*, upload: ImportUpload) -> dict:
    """The background worker's part: import a queued upload (all or nothing) and record how it
    went on the upload. A row that cannot be imported leaves nothing imported and says why."""
    ImportUpload.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING)
    options = upload.options
    try:
        return upload_import(
            actor=upload.created_by,
            upload=upload,
            skip_duplicates=options.get("skip_duplicates", True),
            invite_peers=options.get("invite_peers", False),
        )
    except ValidationError as error:
        problem = " ".join(error.messages)
    except Exception:
        # The cause goes to the log by its type only: an error message may quote a cell.
        logger.error("An import failed unexpectedly (%s).", upload.public_id, exc_info=False)
        problem = _("Something went wrong, so nothing was imported. Try again, or ask for help.")
    ImportUpload.objects.filter(pk=upload.pk).update(
        status=ImportStatus.FAILED, problem=problem, finished_at=timezone.now()
    )
    return {"problem": problem}


def uploads_purge_expired(*, now=None) -> int:
    """Periodic: delete uploads nobody imported in time."""
    return ImportUpload.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]


@transaction.atomic
def upload_import(
    *, actor, upload: ImportUpload, skip_duplicates: bool, invite_peers: bool = False, request=None
) -> dict:
    """Import every row of the upload, or nothing: the rows are checked again, and if any has an
    error nothing is saved. Each record is made by the ordinary service, inside
    ``audit.logged_as``, so its entry names the importing user and says "imported". Rows that
    look like someone already here are skipped when ``skip_duplicates``; a peer who already has
    a profile always is. Returns {"created": n, "skipped": n}. The upload keeps only that result:
    its cells are deleted."""
    checked = check(upload.kind, upload.organisation, upload.rows)
    if checked.error_rows:
        raise ValidationError(
            _(
                "%(count)s rows have errors, so nothing was imported. Fix them in the file and "
                "upload it again."
            )
            % {"count": len(checked.error_rows)}
        )
    create = {
        ImportKind.PEERS: _create_peer,
        ImportKind.REQUESTS: _create_request,
        ImportKind.COURSES: _create_course,
    }[upload.kind]
    created = skipped = 0
    context = {"import": str(upload.public_id), "import_kind": upload.kind}
    with logged_as(reason=gettext_noop("imported"), details=context):
        for row in checked.rows:
            if row.skip or (skip_duplicates and row.duplicates):
                skipped += 1
                continue
            try:
                create(actor=actor, organisation=upload.organisation, values=row.values,
                       invite=invite_peers, request=request)  # fmt: skip
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(row)s could not be imported: %(problem)s Nothing was imported.")
                    % {"row": row.number, "problem": " ".join(error.messages)}
                ) from None
            created += 1
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=upload.organisation,
        object_type="imports.import",
        object_id=str(upload.public_id),
        reason=gettext_noop("imported"),
        details={"kind": upload.kind, "created": created, "skipped": skipped},
        request=request,
    )
    result = {"created": created, "skipped": skipped}
    upload.rows = []
    upload.status, upload.result, upload.finished_at = ImportStatus.DONE, result, timezone.now()
    upload.save(update_fields=["sealed_rows", "status", "result", "finished_at"])
    return result


def _citizen_data(values) -> dict:
    return {key: values[key] for key in CITIZEN_KEYS if key in values}


def _received_at(day):
    if day is None or day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12)))


def _create_request(*, actor, organisation, values, request, **_ignored):
    programme = values["programme"]
    support_request, _token = intake_services.request_submit(
        programme=programme,
        citizen_data=_citizen_data(values),
        request_data={
            "own_words": values.get("own_words", ""),
            "peer_type": values.get("peer_type", "no_preference"),
        },
        consents=[],
        in_crisis=False,
        cpr=values.get("cpr", ""),
        actor=actor,
        imported_received_at=_received_at(values.get("waiting_since")),
        request=request,
    )
    target = values.get("status", Status.WAITING)
    for status in (Status.SCREENED, Status.WAITING):
        if support_request.status == target:
            break
        intake_services.request_change_status(
            actor=actor, support_request=support_request, status=status, request=request
        )
    return support_request


def _create_course(*, actor, organisation, values, request, **_ignored):
    citizen = people_services.citizen_create(
        actor=actor,
        organisation=organisation,
        data=_citizen_data(values),
        cpr=values.get("cpr", ""),
        request=request,
    )
    data = {"started_on": values["started_on"], "review_on": values.get("review_on")}
    if values.get("form"):
        data["form"] = values["form"]
    return support_services.course_create(
        actor=actor,
        citizen=citizen,
        programme=values["programme"],
        peers=values["peers"],
        data=data,
        goals=values.get("goals", ""),
        request=request,
    )


def _create_peer(*, actor, organisation, values, invite, request, **_ignored):
    user = values.get("existing_user")
    if user is None:
        membership = orgs_services.member_add(
            actor=actor,
            organisation=organisation,
            email=values["email"],
            full_name=values["name"],
            roles=[Role.PEER],
            invite=invite,
        )
        user = membership.user
    data = {"kind": values["kind"], "status": values.get("status", "onboarding")}
    for key in ("capacity", "municipalities"):
        if key in values:
            data[key] = values[key]
    return services_peers.peer_create(
        actor=actor,
        organisation=organisation,
        user=user,
        data=data,
        programmes=values.get("programmes", []),
        request=request,
    )
