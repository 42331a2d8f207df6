from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_demo_mode_off(app_configs, **kwargs):
    if settings.DEMO_MODE:
        return [
            Error(
                "BROBYG_DEMO_MODE is on: staff can see personal data without a second factor.",
                hint="Demo mode is for `make demo` only. Unset BROBYG_DEMO_MODE in production.",
                id="brobyg.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_production_env(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return [
            Error(
                "BROBYG_ENV is not 'production'.",
                hint="Set BROBYG_ENV=production with SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.",
                id="brobyg.E002",
            )
        ]
    return []
