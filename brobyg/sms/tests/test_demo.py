"""The demo shows texts: receipts sent, one failed for good, one waiting to be tried again."""

import io

from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.orgs.models import User
from brobyg.sms.models import TextMessage, TextStatus


def test_the_demo_has_texts_in_every_state(
    db, settings, client, django_capture_on_commit_callbacks
):
    settings.DEMO_MODE = True
    # The receipts are texted after the seed's transaction commits, as in the real demo.
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        statuses = set(TextMessage.objects.values_list("status", flat=True))
    assert {TextStatus.SENT, TextStatus.FAILED, TextStatus.RETRYING} <= statuses
    client.force_login(User.objects.get(email="koordinator@brobyg.demo"))
    response = client.get(reverse("sms_message_list"))
    assert response.status_code == 200
    assert "kunne ikke sendes" in response.content.decode()
