from django.urls import path

from brobyg.rights import views, views_citizen, views_retention, views_spot

urlpatterns = [
    # The citizen's own data page (no account)
    path("my-data/", views_citizen.my_data, name="rights_my_data"),
    path("my-data-link/<str:token>/", views_citizen.my_data_link, name="rights_my_data_link"),
    path("my-data/download/", views_citizen.my_data_download, name="rights_my_data_download"),
    path("my-data/close/", views_citizen.my_data_close, name="rights_my_data_close"),
    # The privacy officer's pages
    path("privacy/requests/", views.request_list, name="rights_request_list"),
    path(
        "privacy/citizens/<uuid:public_id>/requests/new/",
        views.request_create,
        name="rights_request_create",
    ),
    path("privacy/requests/<uuid:public_id>/", views.request_detail, name="rights_request_detail"),
    path(
        "privacy/requests/<uuid:public_id>/decide/",
        views.request_decide,
        name="rights_request_decide",
    ),
    path("privacy/requests/<uuid:public_id>/holds/", views.hold_place, name="rights_hold_place"),
    path(
        "privacy/requests/<uuid:public_id>/export/",
        views.request_export,
        name="rights_request_export",
    ),
    path(
        "citizens/<uuid:public_id>/correct/", views.citizen_correct, name="rights_citizen_correct"
    ),
    path("privacy/spot-checks/", views_spot.spot_check_list, name="rights_spot_check_list"),
    path(
        "privacy/spot-checks/<uuid:public_id>/",
        views_spot.spot_check_detail,
        name="rights_spot_check_detail",
    ),
    path(
        "privacy/spot-checks/items/<uuid:public_id>/",
        views_spot.spot_check_mark,
        name="rights_spot_check_mark",
    ),
    path(
        "privacy/record-of-processing/",
        views.processing_record,
        name="rights_processing_record",
    ),
    path("privacy/retention/", views_retention.retention, name="rights_retention"),
    path("privacy/holds/<uuid:public_id>/lift/", views.hold_lift, name="rights_hold_lift"),
]
