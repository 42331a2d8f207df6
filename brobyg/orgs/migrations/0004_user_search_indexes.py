from django.db import migrations

from brobyg.lib.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orgs", "0003_organisation_show_staff_names")]

    operations = [trigram_indexes("orgs_user", ["full_name", "email"])]
