from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from brobyg.orgs.choices import Purpose, Role, SupportForm
from brobyg.orgs.models import Organisation, Programme, Unit


class OrganisationForm(djforms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "email", "phone"]


class OrganisationEditForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = [*OrganisationForm.Meta.fields, "show_staff_names_to_citizens"]


class UnitForm(djforms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "address", "is_active"]


class ProgrammeForm(djforms.ModelForm):
    purposes = djforms.MultipleChoiceField(
        label=_("Purposes"),
        choices=Purpose.choices,
        widget=djforms.CheckboxSelectMultiple,
        required=False,
    )
    forms = djforms.MultipleChoiceField(
        label=_("Forms of support"),
        choices=SupportForm.choices,
        widget=djforms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of support.")},
    )
    units = djforms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=Unit.objects.none(),
        to_field_name="public_id",
        widget=djforms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The services in your organisation where the programme runs."),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "support_type",
            "model",
            "peer_role",
            "purposes",
            "forms",
            "minimum_age",
            "legal_basis",
            "is_active",
        ]
        widgets = {
            "support_type": djforms.RadioSelect,
            "model": djforms.RadioSelect,
            "peer_role": djforms.RadioSelect,
            "legal_basis": djforms.RadioSelect,
            "description": djforms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "model": _(
                "Conventional: a professional with lived experience doing ordinary work. "
                "Supplementary: the peer is one part of a team's work. Separate: a service "
                "delivered only by peers."
            ),
            "minimum_age": _("Requests from younger citizens are not put on the waiting list."),
            "legal_basis": _(
                "Municipalities and regions usually work under public task; associations and "
                "volunteer centres need the citizen's explicit consent."
            ),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("support_type", "model", "peer_role", "legal_basis"):
            field = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.fields["units"].queryset = Unit.objects.filter(organisation=organisation)
        if self.instance.pk:
            self.fields["units"].initial = list(self.instance.units.all())

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberAddForm(djforms.Form):
    full_name = djforms.CharField(label=_("Full name"), max_length=200)
    email = djforms.EmailField(label=_("E-mail"))
    roles = djforms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=djforms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )


class MemberEditForm(djforms.Form):
    roles = djforms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=djforms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    is_active = djforms.BooleanField(
        label=_("Active member"),
        required=False,
        help_text=_("An inactive member can no longer log in to this organisation."),
    )


class MemberFilterForm(djforms.Form):
    q = djforms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = djforms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
