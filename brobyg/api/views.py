"""The API's pages for people: the organisation admin's clients and the operations' reference."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brobyg.api import selectors, services
from brobyg.api.api import PREFIX, openapi_document
from brobyg.api.forms import ApiClientForm
from brobyg.api.models import ApiClient, ApiCredential
from brobyg.lib.forms import add_service_errors
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@require_http_methods(["GET"])
def openapi_json(request):
    """The OpenAPI 3 document of the API (public: it holds no data)."""
    return HttpResponse(json.dumps(openapi_document()), content_type="application/json")


def _operations(document) -> list[dict]:
    operations = []
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": operation.get("parameters", []),
                        "statuses": sorted(operation.get("responses", {})),
                        "tag": (operation.get("tags") or [""])[0],
                    }
                )
    return operations


@require_http_methods(["GET"])
def api_docs(request):
    """A page of the operations, made on the server from the OpenAPI document (no scripts)."""
    document = openapi_document()
    return render(
        request,
        "api/docs.html",
        {"document": document, "operations": _operations(document), "prefix": PREFIX},
    )


@org_permission_required("manage_api_clients")
@require_http_methods(["GET"])
def client_list(request):
    clients = selectors.clients_of(request.org)
    return render(request, "api/client_list.html", {"clients": clients})


def _secret_page(request, api_client, credential, secret):
    response = render(
        request,
        "api/client_secret.html",
        {"api_client": api_client, "credential": credential, "secret": secret},
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@org_permission_required("manage_api_clients")
@require_http_methods(["GET", "POST"])
def client_create(request):
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_client, credential, secret = services.api_client_create(
                actor=request.user,
                organisation=request.org,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, api_client, credential, secret)
    return render(request, "api/client_form.html", {"form": form})


@org_permission_required("manage_api_clients")
@require_http_methods(["GET"])
def client_detail(request, public_id):
    api_client = get_for_org_or_404(
        request, ApiClient.objects.select_related("created_by"), public_id=public_id
    )
    credentials = api_client.credentials.select_related("application")
    return render(
        request,
        "api/client_detail.html",
        {
            "api_client": api_client,
            "credentials": credentials,
            "subscriptions": selectors.subscriptions_of(api_client),
        },
    )


@org_permission_required("manage_api_clients")
@require_POST
def client_rotate(request, public_id):
    """A second secret beside the first, shown once; the first keeps working until retired."""
    api_client = get_for_org_or_404(request, ApiClient.objects.all(), public_id=public_id)
    try:
        credential, secret = services.api_credential_add(
            actor=request.user, api_client=api_client, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("api_client_detail", public_id=api_client.public_id)
    return _secret_page(request, api_client, credential, secret)


@org_permission_required("manage_api_clients")
@require_POST
def credential_retire(request, public_id):
    credential = get_for_org_or_404(
        request, ApiCredential.objects.select_related("api_client"), public_id=public_id
    )
    services.api_credential_retire(actor=request.user, credential=credential, request=request)
    messages.success(request, _("The secret is retired: its tokens no longer work."))
    return redirect("api_client_detail", public_id=credential.api_client.public_id)


@org_permission_required("manage_api_clients")
@require_POST
def client_revoke(request, public_id):
    api_client = get_for_org_or_404(request, ApiClient.objects.all(), public_id=public_id)
    services.api_client_revoke(actor=request.user, api_client=api_client, request=request)
    messages.success(request, _("The client is revoked: none of its tokens work any more."))
    return redirect("api_client_detail", public_id=api_client.public_id)
