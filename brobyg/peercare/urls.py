from django.urls import path

from brobyg.peercare import views, views_own, views_supervision

urlpatterns = [
    # Those who look after peers (coordinators, managers, supervisors): no notes here.
    path("peer-care/", views.overview, name="peercare_overview"),
    path("peer-care/attention/", views.attention, name="peercare_attention"),
    path("peer-care/load/", views.load_page, name="peercare_load"),
    path("peer-care/peers/<uuid:public_id>/", views.peer, name="peercare_peer"),
    path(
        "peer-care/peers/<uuid:public_id>/supervisor/",
        views.peer_supervisor,
        name="peercare_peer_supervisor",
    ),
    path(
        "peer-care/peers/<uuid:public_id>/activate/",
        views.peer_activate,
        name="peercare_peer_activate",
    ),
    path(
        "peer-care/peers/<uuid:public_id>/training/new/",
        views.training_add,
        name="peercare_training_add",
    ),
    path(
        "peer-care/programmes/<uuid:public_id>/",
        views.programme_care,
        name="peercare_programme",
    ),
    # The supervisor's own sessions and notes
    path("supervision/", views_supervision.supervision, name="peercare_supervision"),
    path(
        "supervision/sessions/new/",
        views_supervision.session_create,
        name="peercare_session_create",
    ),
    path(
        "supervision/sessions/<uuid:public_id>/",
        views_supervision.session,
        name="peercare_session",
    ),
    path(
        "supervision/sessions/<uuid:public_id>/notes/",
        views_supervision.session_note,
        name="peercare_session_note",
    ),
    # The peer's own
    path("my-peer-care/", views_own.own, name="peercare_own"),
    path("my-peer-care/break/", views_own.own_pause, name="peercare_own_pause"),
    path("my-peer-care/resume/", views_own.own_resume, name="peercare_own_resume"),
    path(
        "my-peer-care/role/<uuid:public_id>/confirm/",
        views_own.own_confirm_role,
        name="peercare_own_confirm_role",
    ),
    path(
        "my-peer-care/supervision/<uuid:public_id>/",
        views_own.own_session,
        name="peercare_own_session",
    ),
    path("my-peer-care/pathway/", views_own.own_pathway, name="peercare_own_pathway"),
    path(
        "my-peer-care/pathway/<uuid:public_id>/delete/",
        views_own.own_pathway_delete,
        name="peercare_own_pathway_delete",
    ),
    path(
        "my-peer-care/skills-statement/",
        views_own.own_statement,
        name="peercare_own_statement",
    ),
]
