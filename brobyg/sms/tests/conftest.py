import pytest

from brobyg.sms.tests.fake_gatewayapi import TOKEN, FakeGatewayApi


@pytest.fixture
def gateway(settings):
    """Texts go to a local stand-in for GatewayAPI."""
    with FakeGatewayApi() as fake:
        settings.BROBYG_SMS_BACKEND = "gatewayapi"
        settings.BROBYG_GATEWAYAPI_URL = fake.url
        settings.BROBYG_GATEWAYAPI_TOKEN = TOKEN
        yield fake
