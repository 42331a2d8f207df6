from django_scopes import scopes_disabled
from django_tasks import task

from brobyg.imports import services


@task()
def delete_expired_uploads() -> int:
    """Periodic: delete uploads whose preview was never confirmed in time."""
    with scopes_disabled():
        return services.uploads_purge_expired()
