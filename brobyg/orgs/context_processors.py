from django.conf import settings


def tenancy(request):
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
        "perms_in_org": getattr(request, "permissions", frozenset()),
        "demo_mode": settings.DEMO_MODE,
    }
