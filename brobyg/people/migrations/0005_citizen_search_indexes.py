from django.db import migrations

from brobyg.lib.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("people", "0004_citizen_contact_channel")]

    operations = [trigram_indexes("people_citizen", ["name", "phone", "email"])]
