from django.urls import path

from brobyg.volunteers import views, views_public

urlpatterns = [
    # Public: a person applies to become a volunteer peer, without an account
    path("volunteer/<uuid:public_id>/", views_public.apply, name="volunteer_apply"),
    path("volunteer/received/", views_public.received, name="volunteer_received"),
    path("volunteer/agreement/<str:token>/", views_public.agreement, name="volunteer_agreement"),
    # The coordinator's pipeline
    path("volunteers/", views.pipeline, name="volunteers_pipeline"),
    path("volunteers/stages/", views.stages, name="volunteers_stages"),
    path("volunteers/agreement/", views.agreement, name="volunteers_agreement"),
    path("volunteers/<uuid:public_id>/", views.detail, name="volunteers_detail"),
    path("volunteers/<uuid:public_id>/move/", views.move, name="volunteers_move"),
    path("volunteers/<uuid:public_id>/note/", views.note, name="volunteers_note"),
    path("volunteers/<uuid:public_id>/not-now/", views.not_now, name="volunteers_not_now"),
    path(
        "volunteers/<uuid:public_id>/send-agreement/",
        views.send_agreement,
        name="volunteers_send_agreement",
    ),
]
