from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db import router

from brobyg.lib.compiled import compiled_values
from brobyg.orgs.models import User

USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def _user(pk):
    return User.objects.filter(pk=pk).values_list(*USER_FIELDS)


class AuthenticationBackend(AllauthBackend):
    """allauth's log-in by e-mail. The signed-in user, read at every request, comes from a query
    compiled once per process (``brobyg.lib.compiled``) with the user's id as its argument."""

    def get_user(self, user_id):
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            return super().get_user(user_id)
        rows = compiled_values(User, ("orgs.signed_in_user",), _user, (user_id,))
        if not rows:
            return None
        user = User.from_db(router.db_for_read(User), USER_FIELDS, rows[0])
        return user if self.user_can_authenticate(user) else None
