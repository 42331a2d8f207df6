"""Each peer's ``last_supervised_on`` from the supervision sessions they attended, in one
UPDATE (from then on ``peercare.services.attendance_record`` keeps it)."""

from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def backfill(apps, schema_editor):
    Peer = apps.get_model("people", "Peer")
    SupervisionSession = apps.get_model("peercare", "SupervisionSession")
    attended = SupervisionSession.attendees.through.objects.filter(peer_id=OuterRef("pk"))
    Peer.objects.update(
        last_supervised_on=Subquery(
            attended.values("peer_id")
            .annotate(last=Max("supervisionsession__held_on"))
            .values("last")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("peercare", "0001_initial"),
        ("people", "0008_peer_last_supervised_on"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
