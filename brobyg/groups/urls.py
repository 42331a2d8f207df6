from django.urls import path

from brobyg.groups import views, views_public

urlpatterns = [
    path("groups/", views.group_list, name="groups_list"),
    path("groups/new/", views.group_create, name="groups_create"),
    path("groups/<uuid:public_id>/", views.group_detail, name="groups_detail"),
    path("groups/<uuid:public_id>/edit/", views.group_edit, name="groups_edit"),
    path("groups/<uuid:public_id>/start/", views.group_start, name="groups_start"),
    path("groups/<uuid:public_id>/finish/", views.group_finish, name="groups_finish"),
    path("groups/<uuid:public_id>/cancel/", views.group_cancel, name="groups_cancel"),
    path(
        "groups/<uuid:public_id>/participants/",
        views.participant_add,
        name="groups_participant_add",
    ),
    path("groups/<uuid:public_id>/enrol/", views.enrol_request, name="groups_enrol_request"),
    path("groups/<uuid:public_id>/message/", views.group_message, name="groups_message"),
    path(
        "groups/participants/<uuid:public_id>/move-in/",
        views.participant_move_in,
        name="groups_participant_move_in",
    ),
    path(
        "groups/participants/<uuid:public_id>/leave/",
        views.participant_leave,
        name="groups_participant_leave",
    ),
    path(
        "groups/sessions/<uuid:public_id>/attendance/",
        views.session_attendance,
        name="groups_session_attendance",
    ),
    path("join/<uuid:public_id>/", views_public.signup, name="groups_signup"),
    path("join/done/", views_public.signup_done, name="groups_signup_done"),
]
