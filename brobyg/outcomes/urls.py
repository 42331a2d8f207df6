from django.urls import path

from brobyg.outcomes import views_groups, views_peers, views_public, views_staff

urlpatterns = [
    # Public: answering through a personal link, without an account
    path("q/<str:token>/", views_public.answer, name="outcomes_answer"),
    # A group course's participant evaluation (shown on the group's page)
    path(
        "groups/<uuid:public_id>/evaluation/invite/",
        views_groups.group_invite,
        name="outcomes_group_invite",
    ),
    path(
        "groups/<uuid:public_id>/evaluation/print/",
        views_groups.group_print,
        name="outcomes_group_print",
    ),
    # A citizen's questionnaires (linked from the citizen's and, later, the course page)
    path(
        "citizens/<uuid:public_id>/outcomes/",
        views_staff.citizen_outcomes,
        name="outcomes_citizen",
    ),
    path(
        "citizens/<uuid:public_id>/outcomes/invite/",
        views_staff.citizen_invite,
        name="outcomes_citizen_invite",
    ),
    path(
        "outcomes/invitations/<uuid:public_id>/print/",
        views_staff.invitation_print,
        name="outcomes_invitation_print",
    ),
    path(
        "outcomes/responses/<uuid:public_id>/fhir/",
        views_staff.response_fhir,
        name="outcomes_response_fhir",
    ),
    # Questionnaires
    path("outcomes/instruments/", views_staff.instrument_list, name="outcomes_instrument_list"),
    path(
        "outcomes/instruments/<uuid:public_id>/",
        views_staff.instrument_detail,
        name="outcomes_instrument_detail",
    ),
    path(
        "outcomes/instruments/<uuid:public_id>/fhir/",
        views_staff.instrument_fhir,
        name="outcomes_instrument_fhir",
    ),
    # A programme's schedules
    path(
        "programmes/<uuid:public_id>/outcomes/",
        views_staff.programme_schedules,
        name="outcomes_programme_schedules",
    ),
    path(
        "outcomes/schedules/<uuid:public_id>/toggle/",
        views_staff.schedule_toggle,
        name="outcomes_schedule_toggle",
    ),
    # Peer check-ins
    path("my-check-ins/", views_peers.my_checkins, name="outcomes_my_checkins"),
    path(
        "my-check-ins/<uuid:public_id>/share/",
        views_peers.checkin_share,
        name="outcomes_checkin_share",
    ),
    path(
        "outcomes/peers/<uuid:public_id>/check-ins/",
        views_peers.peer_checkins,
        name="outcomes_peer_checkins",
    ),
    path(
        "outcomes/alerts/<uuid:public_id>/handled/",
        views_peers.alert_handled,
        name="outcomes_alert_handled",
    ),
]
