from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "brobyg.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        from brobyg.sso import receivers  # noqa: F401
