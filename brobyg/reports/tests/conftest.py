import pytest

from brobyg.outcomes.tests.helpers import load_instruments


@pytest.fixture
def instruments(db):
    """The shipped instruments, loaded, by code."""
    return load_instruments()
