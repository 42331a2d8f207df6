from django import template

from brobyg.sso import selectors

register = template.Library()


@register.simple_tag
def sso_login_buttons() -> list[dict]:
    """The log-in page's buttons, one per organisation with a connected identity provider."""
    return selectors.login_buttons()
