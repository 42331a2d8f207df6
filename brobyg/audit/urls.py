from django.urls import path

from brobyg.audit import views

urlpatterns = [
    path("audit/", views.entry_list, name="audit_entry_list"),
    path("audit/export.csv", views.entry_export, name="audit_entry_export"),
]
