from django.conf import settings
from django.utils.functional import SimpleLazyObject

from brobyg.orgs.navigation import main_menu


def tenancy(request):
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
        "perms_in_org": getattr(request, "permissions", frozenset()),
        "demo_mode": settings.DEMO_MODE,
        "main_menu": SimpleLazyObject(lambda: main_menu(request)),
    }
