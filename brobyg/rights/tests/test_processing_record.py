from django.urls import reverse

from brobyg.test import in_org


def test_the_record_lists_programmes_categories_recipients_and_retention(
    client, personas, settings
):
    settings.ACCESS_LOG_RETENTION_DAYS = 183
    client.force_login(personas.per)
    response = client.get(reverse("rights_processing_record"))
    page = response.content.decode()
    assert "Peer-støtte i socialpsykiatrien" in page
    assert "Frivillig peer-støtte" not in page  # organisation B's programme
    assert "183" in page
    categories = [str(label) for label in response.context["record"]["categories"]]
    assert "Henvendelser om støtte" in categories or "Requests for support" in categories
    assert len(categories) == 9  # every shredder that covers models


def test_a_recipient_appears_once_data_was_shared_with_it(client, personas, lone):

    from brobyg.people.services import consent_record

    with in_org(personas.org_a):
        consent_record(
            actor=personas.alice,
            citizen=lone,
            purpose="share_with_organisation",
            given=True,
            method="in_person",
            shared_with=personas.org_b,
        )
    client.force_login(personas.per)
    record = client.get(reverse("rights_processing_record")).context["record"]
    assert record["recipients"] == ["Frivilligcenter Testby"]
    pdf = client.get(reverse("rights_processing_record"), {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
