"""An organisation's identity provider (SAML 2.0 or OpenID Connect) and its role mapping.

One organisation has at most one identity provider. Its ``slug`` is the provider id allauth uses
in the log-in URLs (``/accounts/saml/<slug>/...``, ``/accounts/oidc/<slug>/...``), so an
account made through one organisation's provider is never an account of another's. Secrets
(the OIDC client secret, our SAML private key) are stored encrypted like CPR numbers.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from brobyg.lib import crypto
from brobyg.orgs.choices import Role
from brobyg.orgs.models import Organisation
from brobyg.sso.privileges import KOMBIT_PRIVILEGES


class Protocol(models.TextChoices):
    SAML = "saml", _("SAML 2.0 (e.g. KOMBIT Context Handler)")
    OIDC = "oidc", _("OpenID Connect (e.g. Microsoft Entra ID)")


class Admission(models.TextChoices):
    JUST_IN_TIME = "just_in_time", _("Anyone whose groups map to a role gets a membership")
    INVITED_ONLY = "invited_only", _("Only people the administrator has already added")


# OIOSAML 3 (the Danish SAML profile KOMBIT's Context Handler speaks) attribute names.
OIOSAML3_EMAIL = "https://data.gov.dk/model/core/eid/email"
OIOSAML3_NAME = "https://data.gov.dk/model/core/eid/fullName"
OIOSAML3_ASSURANCE = "https://data.gov.dk/concept/core/nsis/loa"


class IdentityProvider(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="identity_provider"
    )
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    slug = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("Used in the log-in addresses, e.g. aarhus-kommune. Letters, digits, hyphens."),
    )
    label = models.CharField(
        _("button text"),
        max_length=100,
        help_text=_('Shown on the log-in page, e.g. "Log in with Aarhus Kommune".'),
    )
    is_enabled = models.BooleanField(_("enabled"), default=True)
    admission = models.CharField(
        _("who may log in"),
        max_length=16,
        choices=Admission.choices,
        default=Admission.JUST_IN_TIME,
    )
    sso_only = models.BooleanField(
        _("single sign-on only"),
        default=False,
        help_text=_("Members of the organisation cannot log in with a Brobyg password."),
    )
    cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        help_text=_(
            "The organisation's CVR number. KOMBIT's privileges count only when they are given "
            "for this number."
        ),
    )
    groups_claim = models.CharField(
        _("groups claim or attribute"),
        max_length=200,
        default="groups",
        help_text=_(
            "The claim (OIDC) or attribute (SAML) that lists the person's groups or roles."
        ),
    )
    # OpenID Connect
    server_url = models.URLField(
        _("issuer URL"),
        blank=True,
        help_text=_("The issuer; its discovery document is at /.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client id"), max_length=200, blank=True)
    client_secret_encrypted = models.TextField(blank=True)
    use_pkce = models.BooleanField(_("use PKCE"), default=True)
    # SAML 2.0: the identity provider, from its metadata (by URL, or uploaded and parsed).
    idp_metadata_url = models.URLField(_("IdP metadata URL"), blank=True)
    idp_entity_id = models.CharField(_("IdP entity id"), max_length=300, blank=True)
    idp_sso_url = models.URLField(blank=True)
    idp_slo_url = models.URLField(blank=True)
    idp_certificate = models.TextField(blank=True)
    # SAML 2.0: our side. The key pair signs our requests and decrypts encrypted assertions.
    sp_entity_id = models.CharField(_("our entity id"), max_length=300, blank=True)
    sp_certificate = models.TextField(blank=True)
    sp_private_key_encrypted = models.TextField(blank=True)
    sign_requests = models.BooleanField(_("sign our requests"), default=True)
    want_assertions_signed = models.BooleanField(_("require signed assertions"), default=True)
    want_assertions_encrypted = models.BooleanField(
        _("require encrypted assertions"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_LABEL = True

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return self.label

    @property
    def client_secret(self) -> str:
        return crypto.decrypt(self.client_secret_encrypted)

    @property
    def sp_private_key(self) -> str:
        return crypto.decrypt(self.sp_private_key_encrypted)

    @property
    def allauth_provider(self) -> str:
        return "saml" if self.protocol == Protocol.SAML else "openid_connect"

    def clean(self):
        super().clean()
        if self.protocol == Protocol.OIDC:
            missing = {
                field: _("Required for OpenID Connect.")
                for field in ("server_url", "client_id")
                if not getattr(self, field)
            }
            if missing:
                raise ValidationError(missing)
        elif self.groups_claim == KOMBIT_PRIVILEGES and not self.cvr:
            raise ValidationError(
                {"cvr": _("KOMBIT's privileges need the organisation's CVR number.")}
            )
        elif not self.idp_metadata_url and not (self.idp_entity_id and self.idp_sso_url):
            raise ValidationError(
                {"idp_metadata_url": _("Give the identity provider's metadata URL or upload it.")}
            )


class RoleMapping(models.Model):
    """People in ``group`` (a value of the provider's groups claim) get ``role``."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="role_mappings"
    )
    group = models.CharField(_("group"), max_length=300)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "group", "role"], name="sso_rolemapping_unique"
            )
        ]

    def __str__(self):
        return f"{self.group} → {self.role}"
