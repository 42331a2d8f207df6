from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_request_source_imported"),
    ]

    operations = [
        migrations.RenameField(
            model_name="supportrequest",
            old_name="link_token_digest",
            new_name="token_digest",
        ),
    ]
