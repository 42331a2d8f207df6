import xmlsec
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from brobyg.audit.services import log_denied
from brobyg.lib.forms import run_form_action
from brobyg.orgs.permissions import org_permission_required
from brobyg.sso import selectors, services
from brobyg.sso.forms import IdentityProviderForm
from brobyg.sso.models import IdentityProvider, Protocol


@org_permission_required("manage_organisation")
def settings_page(request):
    provider = selectors.provider_of(request.org)
    form = IdentityProviderForm(
        request.POST or None,
        request.FILES or None,
        instance=provider or IdentityProvider(organisation=request.org),
    )

    def save(data):
        services.provider_save(
            actor=request.user,
            organisation=request.org,
            data={field: data[field] for field in services.EDITABLE_FIELDS},
            client_secret=data["client_secret"],
            metadata_xml=data["metadata_file"],
            mappings=data["mappings"],
        )

    if request.method == "POST" and run_form_action(form, save):
        messages.success(request, _("The log-in settings were saved."))
        return redirect("sso_settings")
    return render(
        request,
        "sso/settings.html",
        {"form": form, "provider": provider, **_our_side(request, provider)},
    )


def _our_side(request, provider) -> dict:
    """What the administrator gives the identity provider: our addresses."""
    if provider is None:
        return {}
    if provider.protocol == Protocol.SAML:
        return {
            "sp_metadata_url": request.build_absolute_uri(selectors.sp_metadata_url(provider)),
            "acs_url": request.build_absolute_uri(
                reverse("saml_acs", kwargs={"organization_slug": provider.slug})
            ),
            "sls_url": request.build_absolute_uri(
                reverse("saml_sls", kwargs={"organization_slug": provider.slug})
            ),
        }
    return {
        "callback_url": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": provider.slug})
        )
    }


def saml_finish_acs(request, organization_slug):
    """allauth's end of a SAML log-in, which refuses a replayed answer (its request is no longer
    awaited) or one that cannot be decrypted by raising; both get the same clear page and a
    ``denied`` entry as any other refused answer."""
    from allauth.socialaccount.providers.saml.views import finish_acs

    try:
        return finish_acs(request, organization_slug=organization_slug)
    except (PermissionDenied, xmlsec.Error) as error:
        log_denied(
            request=request,
            reason="sso: replayed or unreadable SAML answer",
            target=selectors.enabled_provider_by_slug(organization_slug),
            details={"sso": organization_slug, "error": type(error).__name__},
        )
        return render(
            request,
            "sso/refused.html",
            {
                "message": _(
                    "The answer from your identity provider could not be accepted (it was "
                    "altered, unsigned, expired or already used). Try logging in again."
                )
            },
            status=403,
        )


@csrf_exempt  # as allauth's own: the message comes from the provider, signed
def saml_sls(request, organization_slug):
    """allauth's SAML single logout service (the provider's answer to our LogoutRequest, or a
    logout the provider begins). allauth answers a message it refuses (unsigned, altered,
    expired) with a bare 400; here it also gets a ``denied`` entry and the clear page."""
    from allauth.socialaccount.providers.saml.views import sls

    response = sls(request, organization_slug=organization_slug)
    if response.status_code != 400:
        return response
    log_denied(
        request=request,
        reason="sso: refused SAML logout message",
        target=selectors.enabled_provider_by_slug(organization_slug),
        details={"sso": organization_slug},
    )
    return render(
        request,
        "sso/refused.html",
        {
            "message": _(
                "The logout message from your identity provider could not be accepted (it was "
                "altered, unsigned or expired)."
            )
        },
        status=400,
    )
