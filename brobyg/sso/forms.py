from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.dk import cvr

from brobyg.orgs.choices import Role
from brobyg.sso.models import IdentityProvider
from brobyg.sso.services import EDITABLE_FIELDS

MAX_METADATA_BYTES = 1_000_000


def parse_mappings(text: str) -> list[tuple[str, str]]:
    """Lines of ``group = role`` (the role's code or its name) into pairs; raises on a bad
    line, naming it."""
    by_name = {str(label).lower(): code for code, label in Role.choices}
    by_name.update({code: code for code in Role.values})
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        group, equals, role = line.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not equals or not group or role not in by_name:
            raise forms.ValidationError(
                _('Line %(number)s: write "group = role", with one of the roles listed.')
                % {"number": number}
            )
        pairs.append((group, by_name[role]))
    return pairs


def _https_urls(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class IdentityProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=gettext_lazy("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Stored encrypted. Leave empty to keep the saved secret."),
    )
    metadata_file = forms.FileField(
        label=gettext_lazy("Upload IdP metadata"),
        required=False,
        help_text=gettext_lazy("Instead of a metadata URL: the identity provider's XML file."),
    )
    mappings = forms.CharField(
        label=gettext_lazy("Role mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            'One line per group: "group = role", e.g. "Brobyg-koordinatorer = coordinator". '
            "A person gets every role their groups map to; with none, they cannot log in."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = list(EDITABLE_FIELDS)
        widgets = {"protocol": forms.RadioSelect, "admission": forms.RadioSelect}
        formfield_callback = _https_urls

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["mappings"] = "\n".join(
                f"{mapping.group} = {mapping.role}" for mapping in self.instance.role_mappings.all()
            )

    def clean_cvr(self):
        number = "".join(self.cleaned_data["cvr"].split())
        if number and not cvr.is_valid(number):
            raise forms.ValidationError(_("Enter a valid CVR number (8 digits)."))
        return number

    def clean_mappings(self):
        return parse_mappings(self.cleaned_data["mappings"])

    def clean_metadata_file(self):
        upload = self.cleaned_data.get("metadata_file")
        if not upload:
            return ""
        if upload.size > MAX_METADATA_BYTES:
            raise forms.ValidationError(_("The file is too large for SAML metadata."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not SAML metadata of an identity provider.")
            ) from None

    def _post_clean(self):
        # The model's own checks run in services.provider_save, after the secret and the
        # uploaded metadata are applied; here only the form's fields are checked.
        pass
