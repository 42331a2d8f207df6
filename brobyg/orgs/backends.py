from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from brobyg.orgs.selectors import signed_in_user


class AuthenticationBackend(AllauthBackend):
    """allauth's log-in by e-mail. The signed-in user, read at every request, comes with their
    memberships from one query compiled once per process (``orgs.selectors.signed_in_user``)."""

    def get_user(self, user_id):
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            return super().get_user(user_id)
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
