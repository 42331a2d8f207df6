from django.urls import path

from brobyg.reports import views

urlpatterns = [
    path("reports/", views.report_page, name="reports_report"),
    path("reports/files/", views.export_create, name="reports_export"),
    path("reports/files/<uuid:public_id>/", views.run_page, name="reports_run"),
    path("reports/files/<uuid:public_id>/download/", views.run_download, name="reports_download"),
]
