from django.urls import path

from brobyg.sso import views

urlpatterns = [
    path("organisation/log-in/", views.settings_page, name="sso_settings"),
]
