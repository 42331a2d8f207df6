from django_scopes import scopes_disabled
from oauth2_provider.oauth2_validators import OAuth2Validator

from brobyg.api.selectors import live_credential_of_application


class ApiClientValidator(OAuth2Validator):
    """django-oauth-toolkit's checks, and then: a token only for a secret still in use, of a
    client neither revoked nor expired."""

    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        with scopes_disabled():
            return live_credential_of_application(request.client.pk) is not None
