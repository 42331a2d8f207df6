from django.urls import include, path

from brobyg.lib.views import page_not_found
from brobyg.sso import views as sso_views

urlpatterns = [
    # Staff may not change their own e-mail address (their identity for memberships and the
    # audit log); an administrator does it. allauth's self-service page is therefore closed.
    path("accounts/email/", page_not_found),
    # Accounts are linked to an organisation's identity provider at log-in (brobyg.sso), never
    # by the person on allauth's connections page.
    path("accounts/3rdparty/", page_not_found),
    # allauth's SAML finish step, wrapped so that a replayed or undecryptable answer gets the
    # refusal page and a `denied` entry (brobyg.sso).
    path("accounts/saml/<organization_slug>/acs/finish/", sso_views.saml_finish_acs),
    # allauth's SAML single logout service, wrapped so that a refused logout message gets the
    # same page and a `denied` entry (brobyg.sso).
    path("accounts/saml/<organization_slug>/sls/", sso_views.saml_sls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("brobyg.orgs.urls")),
    path("", include("brobyg.intake.urls_public")),
    path("", include("brobyg.intake.urls_staff")),
    path("", include("brobyg.matching.urls")),
    path("", include("brobyg.support.urls")),
    path("", include("brobyg.groups.urls")),
    path("", include("brobyg.peercare.urls")),
    path("", include("brobyg.outcomes.urls")),
    path("", include("brobyg.reports.urls")),
    path("", include("brobyg.rights.urls")),
    path("", include("brobyg.imports.urls")),
    path("", include("brobyg.sms.urls")),
    path("", include("brobyg.volunteers.urls")),
    path("", include("brobyg.sso.urls")),
    path("", include("brobyg.conversations.urls")),
    path("", include("brobyg.audit.urls")),
    path("", include("brobyg.api.urls")),
]

handler403 = "brobyg.lib.views.permission_denied"
handler404 = "brobyg.lib.views.page_not_found"
