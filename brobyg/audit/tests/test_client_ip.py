from django.test import RequestFactory

from brobyg.audit.services import client_ip


def test_it_uses_the_connection_address_without_proxies(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_it_takes_the_address_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    # The visitor may send their own X-Forwarded-For (6.6.6.6); the proxy appends the real one.
    assert client_ip(request) == "203.0.113.7"
