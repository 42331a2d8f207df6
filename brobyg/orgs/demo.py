"""Shared pieces of the demo data (``manage.py seed_demo`` and each app's ``demo.py``)."""


def person_name(fake) -> str:
    """A first and last name, without the titles Faker sometimes adds ("Prof.", "Dr.")."""
    return f"{fake.first_name()} {fake.last_name()}"
