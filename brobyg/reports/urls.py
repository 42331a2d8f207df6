from django.urls import path

from brobyg.reports import views

urlpatterns = [
    path("reports/", views.report_page, name="reports_report"),
    path("reports/figures/<uuid:public_id>/", views.snapshot_status, name="reports_snapshot"),
    path(
        "reports/figures/<uuid:public_id>/refresh/",
        views.snapshot_refresh,
        name="reports_snapshot_refresh",
    ),
    path("reports/files/", views.export_create, name="reports_export"),
    path("reports/files/<uuid:public_id>/", views.run_page, name="reports_run"),
    path("reports/files/<uuid:public_id>/download/", views.run_download, name="reports_download"),
]
