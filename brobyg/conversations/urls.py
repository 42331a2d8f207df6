from django.urls import path

from brobyg.conversations import views, views_citizen, views_device

urlpatterns = [
    path("conversations/", views.conversation_list, name="conversations_list"),
    path(
        "conversations/answering-hours/",
        views.answering_hours,
        name="conversations_answering_hours",
    ),
    path(
        "conversations/attachments/<uuid:public_id>/",
        views.attachment,
        name="conversations_attachment",
    ),
    path(
        "courses/<uuid:public_id>/conversation/",
        views.conversation,
        name="conversations_conversation",
    ),
    path(
        "courses/<uuid:public_id>/conversation/new/",
        views.conversation_new,
        name="conversations_new",
    ),
    path(
        "courses/<uuid:public_id>/conversation/hand-over/",
        views.conversation_hand_over,
        name="conversations_hand_over",
    ),
    path(
        "courses/<uuid:public_id>/conversation/pause/",
        views.conversation_pause,
        name="conversations_pause",
    ),
    path(
        "courses/<uuid:public_id>/conversation/resume/",
        views.conversation_resume,
        name="conversations_resume",
    ),
    path(
        "groups/<uuid:public_id>/conversation/",
        views.group_conversation,
        name="conversations_group_conversation",
    ),
    path(
        "groups/<uuid:public_id>/conversation/new/",
        views.group_conversation_new,
        name="conversations_group_new",
    ),
    # The citizen's side, by one-time code on a new device
    path("messages/", views_device.device_start, name="conversations_device_start"),
    path(
        "messages/attachments/<uuid:public_id>/",
        views_citizen.citizen_attachment,
        name="conversations_citizen_attachment",
    ),
    path(
        "messages/mine/<uuid:public_id>/",
        views_device.device_conversation,
        name="conversations_device_conversation",
    ),
    path(
        "messages/mine/<uuid:public_id>/new/",
        views_device.device_new,
        name="conversations_device_new",
    ),
    # The citizen's side, by personal link
    path("messages/<str:token>/", views_citizen.citizen_conversation, name="conversations_citizen"),
    path("messages/<str:token>/new/", views_citizen.citizen_new, name="conversations_citizen_new"),
]
