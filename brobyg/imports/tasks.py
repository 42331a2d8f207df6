from django.utils import translation
from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.imports import services
from brobyg.imports.models import ImportStatus, ImportUpload


@task()
def delete_expired_uploads() -> int:
    """Periodic: delete uploads whose preview was never confirmed in time, and old results."""
    with scopes_disabled():
        return services.uploads_purge_expired()


@task()
def run_import(upload_id: str) -> dict:
    """Import a confirmed upload (``services.import_queue``), in its organisation's scope and
    the importer's language. An import that was interrupted (its worker died) is queued again
    by the periodic jobs and runs again: nothing of the first run was kept."""
    with scopes_disabled():
        upload = (
            ImportUpload.objects.select_related("organisation", "created_by")
            .filter(public_id=upload_id)
            .first()
        )
    if upload is None or upload.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return {}
    language = upload.options.get("language", "da")
    with scope(organisation=upload.organisation_id), translation.override(language):
        return services.import_run(upload=upload)
