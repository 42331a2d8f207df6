"""Log-in events from Django, allauth and django-axes, written to the audit log."""

from allauth.mfa.signals import authentication_failed as second_factor_failed
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from brobyg.audit.models import Action
from brobyg.audit.services import log_action


def _user_by_email(email):
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def log_login(sender, request, user, **kwargs):
    log_action(action=Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        log_action(action=Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials.get("email") or credentials.get("username") or "").strip().lower()
    log_action(
        action=Action.LOGIN_FAILED,
        actor=_user_by_email(email),
        details={"email": email[:254]},
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def log_lockout(sender, request, username=None, ip_address=None, **kwargs):
    email = (username or "").strip().lower()
    log_action(
        action=Action.LOCKOUT,
        actor=_user_by_email(email),
        details={"email": email[:254]},
        request=request,
    )


@receiver(second_factor_failed, dispatch_uid="audit_second_factor_failed")
def log_second_factor_failed(sender, request, user, reauthentication=False, **kwargs):
    log_action(
        action=Action.LOGIN_FAILED,
        actor=user,
        details={"step": "reauthentication" if reauthentication else "second_factor"},
        request=request,
    )
