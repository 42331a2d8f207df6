import io

from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.api.models import ApiClient
from brobyg.orgs.models import User


def test_the_demo_has_api_clients_and_a_webhook_log_on_the_admins_pages(db, client, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="admin@brobyg.demo"))
    page = client.get(reverse("api_client_list")).content.decode()
    assert "Nexus (kommunens omsorgssystem)" in page
    with scopes_disabled():
        nexus = ApiClient.objects.get(name="Nexus (kommunens omsorgssystem)")
    detail = client.get(reverse("api_client_detail", kwargs={"public_id": nexus.public_id}))
    assert "nexus.kk.example.invalid" in detail.content.decode()
    log = client.get(reverse("api_delivery_list", kwargs={"public_id": nexus.public_id}))
    text = log.content.decode()
    assert "Leveret" in text and "Prøves igen" in text and "Opgivet" in text and "HTTP 503" in text
