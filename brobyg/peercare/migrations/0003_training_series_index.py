"""A peer's training records by kind and time, with the columns that decide whether a later
record renews one. Peer care's flags ask, for each record about to expire, whether a later one
renews it: PostgreSQL hashed every record of a big municipality (6,000) to answer, 5 of the
11 ms of "Needs attention" at national scale (``benchmarks/pages.py``); from this index it
answers each from the index alone (1 ms). Training records are few and rarely written."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0005_user_name_order"),
        ("peercare", "0002_backfill_last_supervised_on"),
        ("people", "0008_peer_last_supervised_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trainingrecord",
            index=models.Index(
                fields=["peer", "kind", "completed_on", "id"],
                include=("recovery_tool", "title", "organisation"),
                name="training_series",
            ),
        ),
    ]
