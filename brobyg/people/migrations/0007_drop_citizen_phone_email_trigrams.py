from django.db import migrations

from brobyg.lib.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("people", "0006_citizen_search_text")]

    operations = [trigram_indexes("people_citizen", ["phone", "email"], drop=True)]
