from django.db import migrations, models

from brobyg.lib.indexes import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("intake", "0005_request_org_status")]

    operations = [
        AddIndexConcurrently(
            model_name="supportrequest",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("new", "screened", "waiting")),
                    models.Q(
                        ("age_override_reason", ""), ("below_minimum_age", True), _negated=True
                    ),
                ),
                fields=["organisation", "programme", "created_at", "id"],
                include=("urgent",),
                name="request_queue_order",
            ),
        ),
    ]
