from django.urls import path

from brobyg.sms import views, views_callbacks

urlpatterns = [
    path("text-messages/", views.message_list, name="sms_message_list"),
    path(
        "sms/delivery/gatewayapi/",
        views_callbacks.gatewayapi_delivery,
        name="sms_gatewayapi_delivery",
    ),
]
