"""Upload → preview → import all or nothing, through the ordinary services, audit-logged."""

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.imports import services
from brobyg.imports.models import ImportUpload
from brobyg.imports.parsing import MAX_FILE_BYTES
from brobyg.intake.models import Source, Status, SupportRequest
from brobyg.people.models import Citizen, Peer
from brobyg.support.models import Course
from brobyg.test import in_org, make_peer, make_request

NOW = "2026-03-10 10:00 +01:00"

REQUESTS_CSV = (
    "Navn;Telefon;E-mail;Fødselsår;Indsats;På ventelisten siden;Status\r\n"
    "Mette Holm;20304050;;1988;Peer-støtte i socialpsykiatrien;15-01-2026;på ventelisten\r\n"
    "Jonas Berg;;jonas@example.dk;1975;;03.02.2026;visiteret\r\n"
    "Aisha Khan;31425364;;1999;peer-støtte i socialpsykiatrien;2026-02-20;\r\n"
)


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """Confirm an import: it is queued for the worker when the request's transaction commits,
    and the tests' tasks backend runs it at once."""

    def post(public_id, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("imports_run", kwargs={"public_id": public_id}), data or {})

    return post


def upload(client, kind, content, name="liste.csv"):
    return client.post(
        reverse("imports_start"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def alice(client, personas, settings):
    """Alice, reading the site in English (one test reads it in Danish)."""
    client.force_login(personas.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return personas


@time_machine.travel(NOW, tick=False)
def test_it_previews_every_row_and_imports_the_waiting_list(client, alice, confirm):
    response = upload(client, "requests", REQUESTS_CSV.encode("cp1252"))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Aisha Khan" in preview.content.decode()
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]

    response = confirm(public_id)
    assert response.status_code == 302
    with in_org(alice.org_a):
        requests = {r.citizen.name: r for r in SupportRequest.objects.select_related("citizen")}
        assert set(requests) == {"Mette Holm", "Jonas Berg", "Aisha Khan"}
        assert requests["Mette Holm"].status == Status.WAITING
        assert requests["Jonas Berg"].status == Status.SCREENED
        assert requests["Aisha Khan"].status == Status.WAITING
        assert requests["Mette Holm"].source == Source.IMPORTED
        assert requests["Mette Holm"].referred_by is None
        assert requests["Mette Holm"].created_at.date() == date(2026, 1, 15)
        done = ImportUpload.objects.get()
        assert (done.status, done.result, done.rows) == ("done", {"created": 3, "skipped": 0}, [])
        created = LogEntry.objects.filter(action="create", object_type="people.citizen")
        assert created.count() == 3
        assert all(entry.actor == alice.alice for entry in created)
        assert all(entry.reason == "imported" for entry in created)
        assert {entry.details["import"] for entry in created} == {public_id}
    status = client.get(response["Location"]).content.decode()
    assert "Imported 3 rows; 0 were skipped." in status
    assert "hx-trigger" not in status  # finished: the page stops asking


@time_machine.travel(NOW, tick=False)
def test_a_confirmed_import_waits_for_the_worker_and_the_page_follows_it(
    client, alice, monkeypatch
):
    """Until the worker runs it, the import is only queued: the page says so and asks again;
    confirming twice does not import twice."""
    from types import SimpleNamespace

    from brobyg.imports import tasks

    monkeypatch.setattr(tasks, "run_import", SimpleNamespace(enqueue=lambda upload_id: None))
    response = upload(client, "requests", REQUESTS_CSV.encode())
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    run = reverse("imports_run", kwargs={"public_id": public_id})
    assert client.post(run)["Location"] == response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "The rows are being imported" in page and 'hx-trigger="every 3s"' in page
    client.post(run)
    assert (
        "This import has already been started." in client.get(response["Location"]).content.decode()
    )
    with in_org(alice.org_a):
        assert not SupportRequest.objects.exists()
        assert ImportUpload.objects.get().status == "queued"


@time_machine.travel(NOW, tick=False)
def test_it_shows_each_bad_cell_with_row_column_and_fix_and_imports_nothing(
    client, alice, settings, confirm
):
    bad = REQUESTS_CSV + "Ole;2030;;19x8;Ukendt indsats;31-02-2026;måske\r\n;;;;;;\r\nPer;;;;;;\r\n"
    response = upload(client, "requests", bad.encode())
    page = client.get(response["Location"]).content.decode()
    assert 'Row 5, column "Phone":' in page
    assert "Write a phone number with at least 8 digits" in page
    assert "&quot;19x8&quot; is not a year of birth. Write four digits" in page
    assert "There is no active programme called &quot;Ukendt indsats&quot;" in page
    assert "&quot;31-02-2026&quot; is not a date" in page
    assert "&quot;måske&quot; is not one of the choices" in page
    assert 'Row 7, column "Phone":' in page  # Per, who cannot be reached; row 6 is empty
    assert "Give a phone number or an e-mail address" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(response["Location"]).content.decode()
    assert 'Række 5, kolonne "Telefon":' in page
    assert "&quot;19x8&quot; er ikke et fødselsår. Skriv fire cifre, fx 1988." in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    response = confirm(public_id)
    assert response.status_code == 302
    with in_org(alice.org_a):
        assert not SupportRequest.objects.exists()
        assert not Citizen.objects.exists()
        assert ImportUpload.objects.get().status == "failed"
    status = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in status and "rows have errors" in status


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "liste.csv", "The file is empty."),
        (b"Navn;Telefon\r\n", "liste.csv", "headings but no rows"),
        ("Navn\r\nÆble".encode("utf-16"), "liste.csv", "UTF-16"),
        (b"Skonummer;Navn\r\n42;Mette\r\n", "liste.csv", "is not one this import knows"),
        (b"Navn;E-mail\r\nMette;m@example.dk\r\n", "liste.csv", "is missing"),
        (b"not excel", "liste.xlsx", "could not be opened as an Excel workbook"),
    ],
)
def test_it_explains_a_bad_file_and_keeps_the_choice(client, alice, content, name, message):
    response = upload(client, "requests", content, name)
    assert response.status_code == 200
    page = response.content.decode().replace("&quot;", '"')
    assert message in page
    assert re.search(r'value="requests"[^>]* checked', page)
    with in_org(alice.org_a):
        assert not ImportUpload.objects.exists()


def test_it_refuses_a_50_mb_upload_before_reading_it(client, alice):
    content = b"Navn;Telefon\r\n" + b"x" * (50 * 1024 * 1024)
    response = upload(client, "requests", content)
    assert response.status_code == 200
    assert f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB" in response.content.decode()
    with in_org(alice.org_a):
        assert not ImportUpload.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_finds_duplicates_by_intakes_rule_and_skips_them_unless_told(client, alice, confirm):
    make_request(alice.programme_a, name="Mette H.", phone="20304050")
    response = upload(client, "requests", REQUESTS_CSV.encode())
    page = client.get(response["Location"]).content.decode()
    assert "A citizen with the same phone number is already in Brobyg." in page
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    confirm(public_id, {"duplicates": "skip"})
    with in_org(alice.org_a):
        assert Citizen.objects.count() == 3  # the earlier one and two new

    response = upload(client, "requests", REQUESTS_CSV.encode())
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    confirm(public_id, {"duplicates": "import"})
    with in_org(alice.org_a):
        assert Citizen.objects.count() == 6


@time_machine.travel(NOW, tick=False)
def test_it_imports_peers_then_courses_naming_them(client, alice, confirm):
    peers = (
        "Name;E-mail;Paid or volunteer;Status;Citizens at a time;Programmes;Municipalities\r\n"
        "Anna Lund;anna@example.dk;frivillig;aktiv;4;Peer-støtte i socialpsykiatrien;"
        '"København; Furesø"\r\n'
        "Bob Nielsen;bob@example.org;lønnet;;;;\r\n"
    )
    make_peer(alice.org_a, alice.bob, [alice.programme_a])
    response = upload(client, "peers", peers.encode())
    page = client.get(response["Location"]).content.decode()
    assert "already has a peer profile here" in page
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    confirm(public_id)
    with in_org(alice.org_a):
        anna = Peer.objects.select_related("user").get(user__email="anna@example.dk")
        assert anna.kind == "volunteer" and anna.status == "active" and anna.capacity == 4
        assert anna.municipalities == ["København", "Furesø"]
        assert list(anna.programmes.all()) == [alice.programme_a]

    courses = (
        "Navn;Telefon;Indsats;Peer-støtternes e-mail;Startet;Planlagt evaluering;Form;"
        "Mål med borgerens egne ord\r\n"
        'Mette Holm;20304050;;"anna@example.dk; bob@example.org";01-02-2026;2026-05-01;blandet;'
        "Komme ud\r\n"
    )
    response = upload(client, "courses", courses.encode())
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    response = confirm(public_id)
    with in_org(alice.org_a):
        course = Course.objects.get()
        assert course.started_on == date(2026, 2, 1)
        assert course.form == "mixed"
        assert {peer.user.email for peer in course.peers.all()} == {
            "anna@example.dk",
            "bob@example.org",
        }


def test_it_offers_templates_and_samples_in_both_formats(client, alice, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.get(reverse("imports_template"), {"kind": "requests", "format": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").startswith("Navn;Telefon;E-mail;Fødselsår")
    response = client.get(reverse("imports_sample"), {"kind": "requests", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("imports_template"), {"kind": "peers"})
    assert response.content.decode("utf-8-sig").startswith("Name;E-mail;Paid or volunteer")


@time_machine.travel(NOW, tick=False)
def test_the_sample_file_imports_as_it_is(client, alice, confirm):
    sample = client.get(reverse("imports_sample"), {"kind": "requests", "format": "xlsx"})
    response = upload(client, "requests", sample.content, "sample.xlsx")
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    confirm(public_id)
    with in_org(alice.org_a):
        assert SupportRequest.objects.count() == 3


def test_expired_uploads_are_deleted(client, alice):
    with time_machine.travel(NOW, tick=False):
        response = upload(client, "requests", REQUESTS_CSV.encode())
    with time_machine.travel("2026-03-10 11:01 +01:00", tick=False):
        client.force_login(alice.alice)
        assert client.get(response["Location"]).status_code == 404
        with in_org(alice.org_a):
            assert services.uploads_purge_expired() == 1


@time_machine.travel(NOW, tick=False)
def test_the_waiting_upload_keeps_no_cpr_number_or_name_unencrypted(client, alice):
    content = (
        "Navn;Telefon;Fødselsår;CPR-nummer;Indsats;På ventelisten siden\r\n"
        "Mette Holm;20304050;1988;010188-1234;Peer-støtte i socialpsykiatrien;15-01-2026\r\n"
    )
    response = upload(client, "requests", content.encode("utf-8"))
    assert response.status_code == 302
    with in_org(alice.org_a):
        stored = ImportUpload.objects.values_list("sealed_rows", flat=True).get()
        for plain in ("010188", "1234", "Mette Holm", "20304050"):
            assert plain not in stored
        upload_row = ImportUpload.objects.get().rows[0]
    assert upload_row[1]["cpr"] == "010188-1234" and upload_row[1]["name"] == "Mette Holm"
    assert "Mette Holm" in client.get(response["Location"]).content.decode()
