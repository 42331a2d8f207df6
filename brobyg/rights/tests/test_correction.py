from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.rights.selectors import unseal_earlier
from brobyg.rights.services import citizen_erase, data_request_register
from brobyg.test import in_org


def _form(citizen, **changes):
    data = {
        "name": citizen.name,
        "phone": citizen.phone,
        "email": citizen.email,
        "contact_times": citizen.contact_times,
        "birth_year": citizen.birth_year or "",
        "municipality": citizen.municipality,
        "gender": citizen.gender,
        "services_contact": citizen.services_contact,
        "cpr": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_corrects_details_and_the_log_keeps_the_earlier_values_sealed(
    client, personas, lone
):
    client.force_login(personas.alice)
    url = reverse("rights_citizen_correct", args=[lone.public_id])
    response = client.post(url, _form(lone, name="Lone Holm-Berg", phone="20304051"))
    assert response.status_code == 302
    with in_org(personas.org_a):
        lone.refresh_from_db()
    assert (lone.name, lone.phone) == ("Lone Holm-Berg", "20304051")
    entry = LogEntry.objects.get(action="update", reason="details corrected")
    assert entry.details["fields"] == ["name", "phone"]
    assert "Lone Holm" not in str(entry.details) and "20304050" not in str(entry.details)
    with in_org(personas.org_a):
        assert unseal_earlier(lone, entry) == {"name": "Lone Holm", "phone": "20304050"}
    page = client.get(url).content.decode()
    assert "20304050" not in page  # the earlier values are not on the page


def test_a_cpr_correction_is_logged_by_name_only(client, personas, lone):
    client.force_login(personas.per)
    url = reverse("rights_citizen_correct", args=[lone.public_id])
    client.post(url, _form(lone, cpr="010190-1234"))
    entry = LogEntry.objects.get(action="update", reason="details corrected")
    assert entry.details["fields"] == ["cpr"]
    assert "earlier_sealed" not in entry.details
    assert "1234" not in str(entry.details)


def test_erasure_makes_the_earlier_values_unreadable(client, personas, lone):
    client.force_login(personas.alice)
    client.post(
        reverse("rights_citizen_correct", args=[lone.public_id]), _form(lone, name="Lone B.")
    )
    entry = LogEntry.objects.get(action="update", reason="details corrected")
    with in_org(personas.org_a):
        erasure = data_request_register(actor=personas.per, citizen=lone, kind="erasure")
        citizen_erase(actor=personas.per, data_request=erasure)
        assert unseal_earlier(lone, entry) is None


def test_a_correction_needs_a_phone_or_an_e_mail(client, personas, lone):
    client.force_login(personas.alice)
    response = client.post(
        reverse("rights_citizen_correct", args=[lone.public_id]), _form(lone, phone="", email="")
    )
    assert response.status_code == 200
    assert not LogEntry.objects.filter(reason="details corrected").exists()
