import django.db.models.functions.comparison
from django.db import migrations, models

import brobyg.lib.days
from brobyg.lib.indexes import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("support", "0003_course_list_order")]

    operations = [
        AddIndexConcurrently(
            model_name="course",
            index=models.Index(
                models.F("organisation"),
                django.db.models.functions.comparison.Coalesce(
                    models.F("last_session_at"), brobyg.lib.days.MidnightUTC(models.F("started_on"))
                ),
                models.F("id"),
                condition=models.Q(("status", "active")),
                name="course_quiet_order",
            ),
        ),
    ]
