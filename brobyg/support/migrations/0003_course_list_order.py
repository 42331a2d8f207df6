from django.db import migrations, models

from brobyg.lib.indexes import AddIndexConcurrently, RemoveIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("support", "0002_goal_version_source")]

    operations = [
        AddIndexConcurrently(
            model_name="course",
            index=models.Index(
                fields=["organisation", "status", "-started_on", "id"], name="course_list_order"
            ),
        ),
        RemoveIndexConcurrently(model_name="course", name="course_org_status"),
    ]
