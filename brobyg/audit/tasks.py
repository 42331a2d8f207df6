from django_tasks import task

from brobyg.audit import services


@task()
def apply_access_log_retention() -> int:
    return services.purge_expired_access_entries()
