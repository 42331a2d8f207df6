from django.urls import path

from brobyg.imports import views

urlpatterns = [
    path("import/", views.start, name="imports_start"),
    path("import/template/", views.template, name="imports_template"),
    path("import/sample/", views.sample, name="imports_sample"),
    path("import/<uuid:public_id>/", views.preview, name="imports_preview"),
    path("import/<uuid:public_id>/run/", views.run, name="imports_run"),
    path("import/<uuid:public_id>/discard/", views.discard, name="imports_discard"),
]
