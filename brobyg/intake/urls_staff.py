from django.urls import path

from brobyg.intake import views_staff

urlpatterns = [
    path("waiting-list/", views_staff.waiting_list, name="intake_waiting_list"),
    # A request for support and the actions on it
    path("requests/<uuid:public_id>/", views_staff.request_detail, name="intake_request_detail"),
    path(
        "requests/<uuid:public_id>/status/",
        views_staff.request_status,
        name="intake_request_status",
    ),
    path(
        "requests/<uuid:public_id>/first-contact/",
        views_staff.request_first_contact,
        name="intake_request_first_contact",
    ),
    path(
        "requests/<uuid:public_id>/age-override/",
        views_staff.request_age_override,
        name="intake_request_age_override",
    ),
    # A citizen
    path("citizens/<uuid:public_id>/", views_staff.citizen_detail, name="intake_citizen_detail"),
    path(
        "citizens/<uuid:public_id>/consents/",
        views_staff.citizen_consent,
        name="intake_citizen_consent",
    ),
    path(
        "citizens/<uuid:public_id>/merge/",
        views_staff.citizen_merge,
        name="intake_citizen_merge",
    ),
]
