"""With DEBUG off, as in production and in the demo: the site's own error pages, in Danish and in
the site's layout, never Django's technical pages; static files are still served."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False


def test_a_missing_page_is_the_sites_own_in_danish(client, debug_off, db):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="da">' in page and 'class="site-header"' in page
    assert "Siden blev ikke fundet" in page
    assert "URLconf" not in page and "Traceback" not in page


def test_a_server_error_is_the_sites_own_with_the_crisis_numbers(debug_off):
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="da">' in page and "Noget gik galt" in page
    assert 'href="tel:112"' in page and 'href="tel:1813"' in page


def test_static_files_and_the_icon_are_served_without_debug(client, debug_off, db):
    assert client.get("/static/brobyg/favicon.svg").status_code == 200
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page


def test_a_page_the_role_may_not_open_is_the_sites_own_in_danish(client, debug_off, personas):
    from django.urls import reverse

    client.force_login(personas.bob)  # a peer: the audit log is for privacy officers
    response = client.get(reverse("audit_entry_list"))
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="da">' in page and 'class="site-header"' in page
    assert "Ikke tilgængelig for din rolle" in page
    assert "Traceback" not in page and "403 Forbidden" not in page
