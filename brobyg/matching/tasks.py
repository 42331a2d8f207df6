from django.utils import translation
from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.matching import batch
from brobyg.matching.models import LIVE_JOB_STATUSES, BatchJob


@task()
def run_batch(job_id: str) -> dict:
    """Match the waiting list for a started job (``batch.batch_queue``), in its organisation's
    scope and the coordinator's language. A run whose worker died is queued again by the
    periodic jobs and runs again from the start: nothing of the first run was kept."""
    with scopes_disabled():
        job = (
            BatchJob.objects.select_related("organisation", "created_by")
            .filter(public_id=job_id)
            .first()
        )
    if job is None or job.status not in LIVE_JOB_STATUSES:
        return {}
    with scope(organisation=job.organisation_id), translation.override(job.language):
        return batch.batch_job_run(job=job)
