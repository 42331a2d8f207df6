from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from brobyg.orgs.models import Organisation


@task()
def send_invitation(*, user_id: int, organisation_id: int, language: str = "da") -> None:
    """E-mail a person who was given roles: a new account gets a link to choose a password, an
    existing one a link to log in."""
    user = get_user_model().objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    new_account = not user.has_usable_password()
    if new_account:
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    else:
        path = reverse("account_login")
    context = {
        "user": user,
        "organisation": organisation,
        "new_account": new_account,
        "link": settings.SITE_URL.rstrip("/") + path,
    }
    with translation.override(language):
        subject = render_to_string("orgs/email/invitation_subject.txt", context).strip()
        body = render_to_string("orgs/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
