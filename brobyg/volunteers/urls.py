from django.urls import path

from brobyg.volunteers import views, views_claims, views_public

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
    # Hours and expenses
    path("volunteering/", views_claims.mine, name="volunteers_mine"),
    path("volunteering/statement/", views_claims.statement_own, name="volunteers_statement_own"),
    path(
        "volunteering/claims/<uuid:public_id>/edit/",
        views_claims.claim_edit,
        name="volunteers_claim_edit",
    ),
    path(
        "volunteering/claims/<uuid:public_id>/receipt/",
        views_claims.claim_receipt_own,
        name="volunteers_claim_receipt_own",
    ),
    path("volunteers/claims/", views_claims.claim_list, name="volunteers_claims"),
    path("volunteers/claims/export/", views_claims.claims_export, name="volunteers_claims_export"),
    path(
        "volunteers/claims/<uuid:public_id>/receipt/",
        views_claims.claim_receipt,
        name="volunteers_claim_receipt",
    ),
    path(
        "volunteers/claims/<uuid:public_id>/decide/",
        views_claims.claim_decide,
        name="volunteers_claim_decide",
    ),
    path(
        "volunteers/peers/<uuid:public_id>/statement/",
        views_claims.statement,
        name="volunteers_statement",
    ),
    path("volunteers/rate/", views_claims.mileage_rate, name="volunteers_mileage_rate"),
]
