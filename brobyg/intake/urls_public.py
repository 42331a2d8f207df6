from django.urls import path

from brobyg.intake import views_public, views_referral

urlpatterns = [
    # Public: a citizen asks for support, without an account
    path("support/<uuid:public_id>/", views_public.self_referral, name="intake_self_referral"),
    path(
        "support/organisation/<uuid:public_id>/",
        views_public.self_referral_organisation,
        name="intake_self_referral_organisation",
    ),
    path("support/received/", views_public.receipt, name="intake_receipt"),
    path("my-request/<str:token>/", views_public.personal_page, name="intake_personal_page"),
    # Staff refer a citizen and follow their referrals
    path("referrals/", views_referral.referral_list, name="intake_referral_list"),
    path("referrals/new/", views_referral.referral_create, name="intake_referral_create"),
    path(
        "referrals/<uuid:public_id>/sent/",
        views_referral.referral_sent,
        name="intake_referral_sent",
    ),
]
