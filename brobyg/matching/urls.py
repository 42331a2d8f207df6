from django.urls import path

from brobyg.matching import views, views_peers, views_public

urlpatterns = [
    path("matching/", views.overview, name="matching_overview"),
    path("matching/runs/", views.batch_create, name="matching_batch_create"),
    path("matching/started/<uuid:public_id>/", views.batch_job, name="matching_batch_job"),
    path("matching/runs/<uuid:public_id>/", views.batch_detail, name="matching_batch_detail"),
    path(
        "matching/runs/<uuid:public_id>/approve/",
        views.batch_approve,
        name="matching_batch_approve",
    ),
    # One request
    path("requests/<uuid:public_id>/matching/", views.request_matching, name="matching_request"),
    path(
        "requests/<uuid:public_id>/matching/wishes/",
        views.request_wishes,
        name="matching_request_wishes",
    ),
    path(
        "requests/<uuid:public_id>/matching/propose/",
        views.request_propose,
        name="matching_request_propose",
    ),
    path(
        "requests/<uuid:public_id>/matching/exclude/",
        views.request_exclude,
        name="matching_request_exclude",
    ),
    path(
        "exclusions/<uuid:public_id>/remove/",
        views.exclusion_remove,
        name="matching_exclusion_remove",
    ),
    # One match
    path("matches/<uuid:public_id>/", views.match_detail, name="matching_match_detail"),
    path(
        "matches/<uuid:public_id>/answer/",
        views.match_peer_answer,
        name="matching_match_peer_answer",
    ),
    path(
        "matches/<uuid:public_id>/citizen-answer/",
        views.match_record_citizen_answer,
        name="matching_match_record_citizen_answer",
    ),
    path(
        "matches/<uuid:public_id>/send-link/",
        views.match_send_link,
        name="matching_match_send_link",
    ),
    path(
        "matches/<uuid:public_id>/withdraw/",
        views.match_withdraw,
        name="matching_match_withdraw",
    ),
    path("matches/<uuid:public_id>/end/", views.match_end, name="matching_match_end"),
    # Weights
    path(
        "programmes/<uuid:public_id>/matching-weights/",
        views.programme_weights,
        name="matching_programme_weights",
    ),
    # Peers
    path("peers/", views_peers.peer_list, name="matching_peer_list"),
    path("peers/new/", views_peers.peer_create, name="matching_peer_create"),
    path("peers/<uuid:public_id>/", views_peers.peer_detail, name="matching_peer_detail"),
    path("peers/<uuid:public_id>/edit/", views_peers.peer_edit, name="matching_peer_edit"),
    path("profile/peer/", views_peers.own_profile, name="matching_own_profile"),
    path("profile/matches/", views_peers.own_matches, name="matching_own_matches"),
    # The citizen's personal link
    path("my-match/<str:token>/", views_public.citizen_answer, name="matching_citizen_answer"),
    path(
        "my-request/<str:token>/proposal/",
        views_public.request_proposal,
        name="matching_request_proposal",
    ),
]
