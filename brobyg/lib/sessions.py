"""Django's database sessions, with the read that every request makes compiled once."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from brobyg.lib.compiled import compiled_values


def _session(session_key):
    return Session.objects.filter(session_key=session_key).values_list(
        "session_data", "expire_date"
    )


class SessionStore(DatabaseSessionStore):
    """Reads a session with a query compiled once per process, the session key its argument
    (never kept: ``brobyg.lib.compiled``); expired sessions load as empty, as Django's do."""

    def _get_session_from_db(self):
        rows = compiled_values(Session, ("sessions.session",), _session, (self.session_key,))
        if rows and rows[0][1] > timezone.now():
            session_data, expire_date = rows[0]
            return Session(
                session_key=self.session_key, session_data=session_data, expire_date=expire_date
            )
        self._session_key = None
        return None
