from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="match",
            old_name="link_token_digest",
            new_name="token_digest",
        ),
    ]
