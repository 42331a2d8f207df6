from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("brobyg.orgs.urls")),
    path("", include("brobyg.intake.urls_public")),
    path("", include("brobyg.intake.urls_staff")),
    path("", include("brobyg.audit.urls")),
]

handler403 = "brobyg.lib.views.permission_denied"
handler404 = "brobyg.lib.views.page_not_found"
