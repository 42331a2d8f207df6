import io

from django.core.management import call_command
from django.urls import reverse

from brobyg.orgs.models import User


def test_the_demo_has_api_clients_on_the_admins_page(db, client, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="admin@brobyg.demo"))
    page = client.get(reverse("api_client_list")).content.decode()
    assert "Nexus (kommunens omsorgssystem)" in page
