from django.urls import path

from brobyg.support import views, views_calendar, views_communities, views_handovers

urlpatterns = [
    # Courses and sessions
    path("courses/", views.course_list, name="support_course_list"),
    path(
        "citizens/<uuid:public_id>/courses/new/", views.course_create, name="support_course_create"
    ),
    path("courses/<uuid:public_id>/", views.course_detail, name="support_course_detail"),
    path("courses/<uuid:public_id>/edit/", views.course_edit, name="support_course_edit"),
    path("courses/<uuid:public_id>/goals/", views.course_goals, name="support_course_goals"),
    path("courses/<uuid:public_id>/end/", views.course_end, name="support_course_end"),
    path("courses/<uuid:public_id>/nudge/", views.course_nudge, name="support_course_nudge"),
    path("courses/<uuid:public_id>/sessions/new/", views.session_log, name="support_session_log"),
    path(
        "courses/<uuid:public_id>/appointments/new/",
        views.session_plan,
        name="support_session_plan",
    ),
    path(
        "sessions/<uuid:public_id>/log/",
        views.session_log_planned,
        name="support_session_log_planned",
    ),
    path("sessions/<uuid:public_id>/cancel/", views.session_cancel, name="support_session_cancel"),
    path(
        "courses/<uuid:public_id>/communities/", views.community_join, name="support_community_join"
    ),
    path(
        "community-links/<uuid:public_id>/left/",
        views.community_left,
        name="support_community_left",
    ),
    path(
        "programmes/<uuid:public_id>/support-settings/",
        views.programme_settings,
        name="support_programme_settings",
    ),
    # Hand-overs and follow-ups
    path(
        "courses/<uuid:public_id>/handover/",
        views_handovers.handover_propose,
        name="support_handover_propose",
    ),
    path("handovers/", views_handovers.handover_list, name="support_handover_list"),
    path(
        "handovers/<uuid:public_id>/",
        views_handovers.handover_detail,
        name="support_handover_detail",
    ),
    path(
        "handovers/<uuid:public_id>/consent/",
        views_handovers.handover_consent,
        name="support_handover_consent",
    ),
    path(
        "handovers/<uuid:public_id>/answer/",
        views_handovers.handover_answer,
        name="support_handover_answer",
    ),
    path(
        "handovers/<uuid:public_id>/withdraw/",
        views_handovers.handover_withdraw,
        name="support_handover_withdraw",
    ),
    path("follow-ups/", views_communities.follow_up_list, name="support_follow_up_list"),
    path(
        "follow-ups/<uuid:public_id>/",
        views_communities.follow_up_record,
        name="support_follow_up_record",
    ),
    # Communities, drop-in and figures
    path("communities/", views_communities.community_list, name="support_community_list"),
    path("communities/new/", views_communities.community_create, name="support_community_create"),
    path(
        "communities/<uuid:public_id>/edit/",
        views_communities.community_edit,
        name="support_community_edit",
    ),
    path("drop-in/", views_communities.drop_in, name="support_drop_in"),
    # Calendar
    path("calendar/", views_calendar.week, name="support_calendar"),
    path("calendar/feed/", views_calendar.feed, name="support_calendar_feed"),
    path("my-calendar/<str:token>.ics", views_calendar.ics, name="support_calendar_ics"),
]
