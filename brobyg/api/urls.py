from django.urls import include, path
from oauth2_provider.views import TokenView

from brobyg.api import views, views_webhooks
from brobyg.api.api import api

# django-ninja's operations, without its root page (nothing lives at /api/v1/ itself).
operations = [pattern for pattern in api.urls[0] if pattern.name != "api-root"]

urlpatterns = [
    # The machine side: the token endpoint (OAuth 2.0 client credentials), the OpenAPI
    # document, its page, and the operations.
    path("api/v1/oauth/token/", TokenView.as_view(), name="api_token"),
    path("api/v1/openapi.json", views.openapi_json, name="api_openapi"),
    path("api/v1/docs/", views.api_docs, name="api_docs"),
    path("api/v1/", include(operations)),
    # The organisation admin's pages.
    path("api-clients/", views.client_list, name="api_client_list"),
    path("api-clients/new/", views.client_create, name="api_client_create"),
    path("api-clients/<uuid:public_id>/", views.client_detail, name="api_client_detail"),
    path("api-clients/<uuid:public_id>/rotate/", views.client_rotate, name="api_client_rotate"),
    path("api-clients/<uuid:public_id>/revoke/", views.client_revoke, name="api_client_revoke"),
    path(
        "api-credentials/<uuid:public_id>/retire/",
        views.credential_retire,
        name="api_credential_retire",
    ),
    # Webhooks: a client's addresses and its delivery log.
    path(
        "api-clients/<uuid:public_id>/webhooks/new/",
        views_webhooks.webhook_create,
        name="api_webhook_create",
    ),
    path(
        "api-clients/<uuid:public_id>/deliveries/",
        views_webhooks.delivery_list,
        name="api_delivery_list",
    ),
    path(
        "api-webhooks/<uuid:public_id>/stop/", views_webhooks.webhook_stop, name="api_webhook_stop"
    ),
    path(
        "api-deliveries/<uuid:public_id>/send-again/",
        views_webhooks.delivery_send_again,
        name="api_delivery_send_again",
    ),
]
