import pytest

from brobyg.api.tests.receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A client system's webhook receiver on a free localhost port (plain http allowed)."""
    settings.BROBYG_WEBHOOK_ALLOW_HTTP = True
    with Receiver() as running:
        yield running
