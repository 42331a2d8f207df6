from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from brobyg.audit.services import log_read
from brobyg.imports import files, selectors, services
from brobyg.imports.columns import COLUMNS
from brobyg.imports.forms import ImportForm, UploadForm
from brobyg.imports.models import ImportKind, ImportStatus
from brobyg.imports.parsing import MAX_FILE_BYTES, FileProblem, too_large_message
from brobyg.imports.rows import check
from brobyg.lib.spreadsheets import as_csv, as_xlsx
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required

# Where the imported records are listed, and who may see that list.
LISTS = {
    ImportKind.PEERS: ("matching_peer_list", "view_peers"),
    ImportKind.REQUESTS: ("intake_waiting_list", "view_waiting_list"),
    ImportKind.COURSES: ("support_course_list", "view_courses"),
}
# What a multipart request may carry beyond the file itself (the form's other fields).
FORM_OVERHEAD_BYTES = 64 * 1024


class SizeLimitHandler(FileUploadHandler):
    """Refuses a file over ``MAX_FILE_BYTES`` before its body is read: by the request's declared
    length at once, else as soon as the bytes received pass the limit. The rest of the body is
    skipped, not kept, and the view says why."""

    too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > MAX_FILE_BYTES + FORM_OVERHEAD_BYTES:
            self.too_large = True

    def new_file(self, *args, **kwargs):
        if self.too_large:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_FILE_BYTES:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in ImportKind.values else ImportKind.PEERS


def _page(request, form, status=200):
    kinds = [
        {"kind": kind, "label": label, "columns": COLUMNS[kind]}
        for kind, label in ImportKind.choices
    ]
    return render(
        request,
        "imports/start.html",
        {"form": form, "kinds": kinds, "max_megabytes": MAX_FILE_BYTES // (1024 * 1024)},
        status=status,
    )


@csrf_exempt
@org_permission_required("import_data")
def start(request):
    """The import page; a POST uploads a file. The size limit is installed before anything reads
    the body (hence CSRF is checked after it, in ``_upload``)."""
    limit = SizeLimitHandler(request)
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)
    return _start(request, limit)


@csrf_protect
def _start(request, limit):
    if request.method != "POST":
        return _page(request, UploadForm(initial={"kind": _kind(request)}))
    form = UploadForm(request.POST, request.FILES)
    if limit.too_large:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", too_large_message())
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form)
    uploaded = form.cleaned_data["file"]
    try:
        upload = services.upload_store(
            actor=request.user,
            organisation=request.org,
            kind=form.cleaned_data["kind"],
            data=uploaded.read(MAX_FILE_BYTES + 1),
            file_name=uploaded.name,
            request=request,
        )
    except FileProblem as problem:
        for message in problem.args:
            form.add_error("file", message)
        return _page(request, form)
    return redirect("imports_preview", public_id=upload.public_id)


def _download(content: bytes, name: str, extension: str) -> HttpResponse:
    types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(content, content_type=types[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file(request, *, sample: bool) -> HttpResponse:
    kind = _kind(request)
    extension = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    header = files.headings(kind)
    rows = files.sample_rows(kind, request.org) if sample else []
    if extension == "xlsx":
        content = as_xlsx(header, rows, title=str(ImportKind(kind).label))
    else:
        content = as_csv(header, rows)
    return _download(content, files.file_name(kind, sample=sample, extension=extension), extension)


@org_permission_required("import_data")
def template(request):
    return _file(request, sample=False)


@org_permission_required("import_data")
def sample(request):
    return _file(request, sample=True)


@org_permission_required("import_data")
def preview(request, public_id):
    upload = get_for_org_or_404(
        request, selectors.own_uploads(request.membership), public_id=public_id
    )
    if upload.status != ImportStatus.WAITING:
        return _status_page(request, upload)
    checked = check(upload.kind, upload.organisation, upload.rows)
    columns = COLUMNS[upload.kind]
    for row in checked.rows:
        row.in_order = [row.cells.get(column.key, "") for column in columns]
    log_read(request=request, target=upload, reason=gettext_noop("import preview"))
    return render(
        request,
        "imports/preview.html",
        {
            "upload": upload,
            "checked": checked,
            "columns": columns,
            "import_form": ImportForm(),
            "upload_form": UploadForm(initial={"kind": upload.kind}),
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        },
    )


@require_POST
@org_permission_required("import_data")
def run(request, public_id):
    upload = get_for_org_or_404(
        request, selectors.own_uploads(request.membership), public_id=public_id
    )
    form = ImportForm(request.POST)
    form.is_valid()
    try:
        services.import_queue(
            actor=request.user,
            upload=upload,
            skip_duplicates=form.cleaned_data.get("duplicates") != "import",
            invite_peers=bool(form.cleaned_data.get("invite_peers")),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports_preview", public_id=public_id)


def _status_page(request, upload):
    """A confirmed import: waiting, running (the page asks again every few seconds), or how it
    went, with the way to the imported records."""
    where, permission = LISTS[upload.kind]
    return render(
        request,
        "imports/status.html",
        {
            "upload": upload,
            "finished": upload.status in (ImportStatus.DONE, ImportStatus.FAILED),
            "list_url_name": where if permission in request.permissions else "",
        },
    )


@require_POST
@org_permission_required("import_data")
def discard(request, public_id):
    upload = get_for_org_or_404(
        request, selectors.own_uploads(request.membership), public_id=public_id
    )
    services.upload_discard(actor=request.user, upload=upload, request=request)
    messages.success(request, _("The upload was deleted; nothing was imported."))
    return redirect("imports_start")
