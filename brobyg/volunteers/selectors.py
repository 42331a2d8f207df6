"""Reads of the volunteer pipeline. Who sees applications is decided only in
``applications_visible_to`` (the permission table's ``view_volunteer_applications``)."""

from django.db.models import Count, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.lib.links import token_digest
from brobyg.orgs.permissions import visible_by_table
from brobyg.volunteers.models import Application, ApplicationStatus, Stage


def applications_visible_to(membership):
    if membership is None:
        return Application.objects.none()
    applications = Application.objects.filter(organisation_id=membership.organisation_id)
    return visible_by_table(applications, membership, "view_volunteer_applications")


def pipeline(applications, stages) -> list[dict]:
    """The open applications grouped by stage, oldest in the stage first (two queries)."""
    by_stage = {stage.pk: {"stage": stage, "applications": []} for stage in stages}
    open_applications = applications.filter(status=ApplicationStatus.OPEN).order_by(
        "stage_entered_at", "pk"
    )
    for application in open_applications:
        if application.stage_id in by_stage:
            by_stage[application.stage_id]["applications"].append(application)
    return list(by_stage.values())


def ended(applications, *, limit: int = 50):
    return applications.exclude(status=ApplicationStatus.OPEN).order_by("-closed_at", "-pk")[:limit]


def stages_of(organisation):
    return list(
        Stage.objects.filter(organisation=organisation)
        .annotate(open_count=Count("applications", filter=Q(applications__status="open")))
        .order_by("position")
    )


def history(application):
    return list(application.events.select_related("stage", "actor"))


def application_by_agreement_token(token: str):
    """The application a personal agreement link points to, or None if unknown or expired.
    Read across scopes: the applicant has no account, the token is the authorisation."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        application = (
            Application.objects.select_related("organisation", "agreement_sent")
            .filter(agreement_token_digest=token_digest(token))
            .first()
        )
    if application is None or application.agreement_link_expires_at < timezone.now():
        return None
    return application
