from django.urls import include, path

from brobyg.lib.views import page_not_found

urlpatterns = [
    # Staff may not change their own e-mail address (their identity for memberships and the
    # audit log); an administrator does it. allauth's self-service page is therefore closed.
    path("accounts/email/", page_not_found),
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
    path("", include("brobyg.conversations.urls")),
    path("", include("brobyg.audit.urls")),
]

handler403 = "brobyg.lib.views.permission_denied"
handler404 = "brobyg.lib.views.page_not_found"
