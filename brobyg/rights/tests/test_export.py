import json
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.rights.export_format import SCHEMA_PATH, json_schema_text, validate
from brobyg.rights.selectors import citizen_export
from brobyg.rights.services import data_request_register
from brobyg.test import in_org


def test_the_published_schema_is_the_one_the_export_is_checked_against():
    published = Path(settings.BASE_DIR) / "static" / SCHEMA_PATH
    assert published.read_text() == json_schema_text(), "regenerate the published schema"


def _access_request(personas, citizen):
    with in_org(personas.org_a):
        return data_request_register(actor=personas.per, citizen=citizen, kind="access")


def test_the_export_holds_every_part_and_who_read_the_data(client, personas, lone):
    client.force_login(personas.alice)
    client.get(reverse("intake_citizen_detail", args=[lone.public_id]))
    data_request = _access_request(personas, lone)
    client.force_login(personas.per)
    response = client.get(reverse("rights_request_export", args=[data_request.public_id]))
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    validate(data)
    assert data["person"]["records"][0]["name"] == "Lone Holm"
    assert data["parts"]["intake"]["requests"][0]["own_words"] == "Jeg vil gerne ud af lejligheden."
    course = data["parts"]["support"]["courses"][0]
    assert course["goals"][0]["text"] == "Komme ud blandt andre igen."
    assert course["sessions"][0]["note"] == "Vi talte om hendes søster."
    reads = [e for e in data["access_log"] if e["reason"] == "citizen page"]
    assert reads == [
        {
            "at": reads[0]["at"],
            "action": "read",
            "organisation": "Testkommune",
            "roles": ["coordinator"],
            "reason": "citizen page",
            "staff_member": None,
        }
    ]
    # Roles; staff names only where the organisation chose to show them (off by default).
    assert "Alice" not in response.content.decode()
    export = LogEntry.objects.get(action="export", actor=personas.per)
    assert export.subject_id == str(lone.public_id)
    assert export.details == {"format": "json"}


def test_the_pdf_is_made_from_the_same_data(client, personas, lone):
    data_request = _access_request(personas, lone)
    client.force_login(personas.per)
    response = client.get(
        reverse("rights_request_export", args=[data_request.public_id]), {"format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_erased_person_exports_nothing_identifying(personas, lone):
    from brobyg.rights.services import citizen_erase

    with in_org(personas.org_a):
        erasure = data_request_register(actor=personas.per, citizen=lone, kind="erasure")
        citizen_erase(actor=personas.per, data_request=erasure)
        lone.refresh_from_db()
        text = json.dumps(citizen_export(lone), ensure_ascii=False)
    for erased in ("Lone", "lone@example.org", "20304050", "søster", "Komme ud"):
        assert erased not in text
