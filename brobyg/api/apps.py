from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "brobyg.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # Webhooks: the events the apps announce (orgs.extensions), delivered to the clients
        # that subscribed and may see the object.
        from brobyg.api.services_webhooks import on_event
        from brobyg.orgs.extensions import register_event_listener

        register_event_listener("api_webhooks", on_event)
