"""The organisation admin's webhook pages: subscribe a client, stop a subscription, the delivery
log with "send again"."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brobyg.api import selectors, services
from brobyg.api.forms import WebhookForm
from brobyg.api.models import ApiClient, WebhookDelivery, WebhookSubscription
from brobyg.lib.forms import add_service_errors
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required


@org_permission_required("manage_api_clients")
@require_http_methods(["GET", "POST"])
def webhook_create(request, public_id):
    api_client = get_for_org_or_404(request, ApiClient.objects.all(), public_id=public_id)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                actor=request.user, api_client=api_client, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = render(
                request,
                "api/webhook_secret.html",
                {"api_client": api_client, "subscription": subscription, "secret": secret},
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return render(request, "api/webhook_form.html", {"form": form, "api_client": api_client})


@org_permission_required("manage_api_clients")
@require_POST
def webhook_stop(request, public_id):
    subscription = get_for_org_or_404(
        request, WebhookSubscription.objects.select_related("api_client"), public_id=public_id
    )
    services.subscription_stop(actor=request.user, subscription=subscription, request=request)
    messages.success(request, _("The address receives no more events."))
    return redirect("api_client_detail", public_id=subscription.api_client.public_id)


@org_permission_required("manage_api_clients")
@require_http_methods(["GET"])
def delivery_list(request, public_id):
    """The latest deliveries to the client's addresses: status code, attempts, next try, the
    last error (a code, never the receiver's answer)."""
    api_client = get_for_org_or_404(request, ApiClient.objects.all(), public_id=public_id)
    return render(
        request,
        "api/delivery_list.html",
        {
            "api_client": api_client,
            "deliveries": selectors.deliveries_of(api_client),
            "retention_days": settings.BROBYG_WEBHOOK_RETENTION_DAYS,
        },
    )


@org_permission_required("manage_api_clients")
@require_POST
def delivery_send_again(request, public_id):
    delivery = get_for_org_or_404(
        request,
        WebhookDelivery.objects.select_related("subscription__api_client"),
        public_id=public_id,
    )
    try:
        services.delivery_send_again(actor=request.user, delivery=delivery, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The event is being sent again."))
    return redirect("api_delivery_list", public_id=delivery.subscription.api_client.public_id)
