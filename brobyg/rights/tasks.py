from django_scopes import scopes_disabled
from django_tasks import task

from brobyg.audit.services import purge_expired_access_entries
from brobyg.orgs.models import Organisation
from brobyg.rights import services


@task()
def apply_retention_rules() -> dict:
    """Periodic: every organisation's retention periods (``rights.retention``), then the access
    entries of no organisation (failed log-ins) by the default period, and old one-time codes."""
    done = {}
    with scopes_disabled():
        organisations = list(Organisation.objects.order_by("pk"))
    for organisation in organisations:
        done[str(organisation.public_id)] = services.retention_apply(organisation=organisation)
    done["access_entries_of_no_organisation"] = purge_expired_access_entries(organisation=None)
    done["access_codes"] = services.access_codes_purge()
    return done
