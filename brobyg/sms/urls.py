from django.urls import path

from brobyg.sms import views

urlpatterns = [
    path("text-messages/", views.message_list, name="sms_message_list"),
]
