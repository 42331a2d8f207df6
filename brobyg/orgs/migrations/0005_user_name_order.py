from django.db import migrations, models

from brobyg.lib.indexes import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orgs", "0004_user_search_indexes")]

    operations = [
        AddIndexConcurrently(
            model_name="user",
            index=models.Index(fields=["full_name", "id"], name="user_name_order"),
        ),
    ]
