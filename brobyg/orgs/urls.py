from django.urls import path

from brobyg.orgs import views

urlpatterns = [
    path("", views.start, name="start"),
    path("organisation/switch/", views.organisation_switch, name="organisation_switch"),
    path("organisation/new/", views.organisation_create, name="organisation_create"),
    path("organisation/edit/", views.organisation_edit, name="organisation_edit"),
    path("services/", views.unit_list, name="unit_list"),
    path("services/new/", views.unit_create, name="unit_create"),
    path("services/<uuid:public_id>/edit/", views.unit_edit, name="unit_edit"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<uuid:public_id>/edit/", views.programme_edit, name="programme_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_add, name="member_add"),
    path("members/<uuid:public_id>/", views.member_detail, name="member_detail"),
    path("members/<uuid:public_id>/edit/", views.member_edit, name="member_edit"),
]
