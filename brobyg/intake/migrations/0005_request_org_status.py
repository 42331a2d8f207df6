from django.db import migrations, models

from brobyg.lib.indexes import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("intake", "0004_request_open_order")]

    operations = [
        AddIndexConcurrently(
            model_name="supportrequest",
            index=models.Index(
                fields=["organisation", "status"],
                include=[
                    "id",
                    "programme",
                    "created_at",
                    "urgent",
                    "below_minimum_age",
                    "age_override_reason",
                ],
                name="request_org_status",
            ),
        ),
    ]
