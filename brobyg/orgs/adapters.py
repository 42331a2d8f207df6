from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by an organisation's administrator, never by sign-up."""

    def is_open_for_signup(self, request):
        return False


def axes_username(request, credentials=None):
    """django-axes locks by the e-mail address allauth authenticates with."""
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if not email and request is not None and request.method == "POST":
        email = request.POST.get("login")
    return (email or "").strip().lower() or None
