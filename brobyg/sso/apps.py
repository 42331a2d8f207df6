from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "brobyg.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        from brobyg.sso import receivers  # noqa: F401
        from brobyg.sso.saml_response import SAMLResponse

        # python3-saml's own hook for its response class; see saml_response.py for why.
        OneLogin_Saml2_Auth.response_class = SAMLResponse
