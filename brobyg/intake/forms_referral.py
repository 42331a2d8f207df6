"""The staff referral form: a member of staff refers a citizen. It asks what the self-referral
asks (``forms_public.SupportRequestForm``), with texts about the citizen rather than to them."""

from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from brobyg.intake.forms_public import SupportRequestForm, text_field
from brobyg.orgs.models import Programme, Unit
from brobyg.people.models import (
    ConsentMethod,
)

# How a referrer can have obtained the citizen's consent.
REFERRAL_CONSENT_METHODS = [
    (value, label)
    for value, label in ConsentMethod.choices
    if value not in (ConsentMethod.SELF_REFERRAL, ConsentMethod.PERSONAL_LINK)
]


# The referral form speaks about the citizen, not to them: (label, help text) per field; None
# keeps the citizen's text.
REFERRAL_TEXTS = {
    "purposes": (_("What does the citizen want support with?"), None),
    "own_words": (
        _("In the citizen's own words"),
        _("What the citizen hopes peer support can help with, as they said it, if they wish."),
    ),
    "forms": (_("How would the citizen like the support?"), None),
    "peer_type": (_("Does the citizen prefer a paid or a volunteer peer?"), None),
    "availability": (_("When can the citizen meet or talk?"), None),
    "wish_language": (_("Language the peer should speak"), ""),
    "wish_shared_experience": (_("Experiences the citizen would like the peer to share"), None),
    "name": (_("The citizen's name or chosen name"), None),
    "birth_year": (_("Year of birth"), _("Some programmes have a minimum age.")),
    "municipality": (_("Municipality the citizen lives in"), None),
    "gender": (_("The citizen's gender (if they want to say)"), None),
    "languages": (_("Languages the citizen speaks (if not only Danish)"), None),
    "cpr": (
        _("CPR number (optional)"),
        _(
            "Only with the citizen's agreement. It is stored encrypted, shown masked and used to "
            "find duplicate requests. Write it as DDMMYY-XXXX."
        ),
    ),
    "phone": (_("The citizen's phone"), None),
    "email": (
        _("The citizen's e-mail"),
        _("The citizen is sent a receipt with their personal link to this address."),
    ),
    "contact_times": (_("Best times to contact the citizen"), ""),
    "services_contact": (
        _("The citizen's current contact with services"),
        _("For example district psychiatry, supported housing or a job centre."),
    ),
    "in_crisis": (
        _(
            "Is the citizen in an acute crisis right now, or do they have thoughts of taking "
            "their life?"
        ),
        _(
            "If yes, make sure the citizen gets professional help now (112, in the Capital Region "
            "1813, or the psychiatric emergency room). The programme's coordinators are told at "
            "once."
        ),
    ),
    "consent_support": (
        _("The citizen agrees that the request is stored and used to offer them peer support."),
        _("Required: without it the request cannot be registered."),
    ),
    "consent_questionnaires": (
        _("The citizen may be contacted later with short questionnaires."),
        _("Optional."),
    ),
    "consent_evaluation": (
        _("The citizen's answers may be used, without name, in evaluation."),
        _("Optional."),
    ),
    "consent_share_with_team": (
        _("The peer may share what the citizen tells them with the staff around the citizen."),
        _("Optional."),
    ),
}


class ReferralForm(SupportRequestForm):
    """A member of staff refers a citizen: the same data, plus where from, why and how the
    citizen's consent was obtained."""

    programme = djforms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), to_field_name="public_id"
    )
    referring_unit = djforms.ModelChoiceField(
        label=_("Referring service"),
        queryset=Unit.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("None of them"),
        help_text=_("The service in your organisation the citizen is referred from, if any."),
    )
    referral_reason = text_field(
        _("Reason for the referral"),
        2000,
        required=True,
        rows=4,
        help_text=_("Why peer support, and why now. The citizen's own words go further down."),
    )
    consent_method = djforms.ChoiceField(
        label=_("How was the citizen's consent obtained?"),
        choices=REFERRAL_CONSENT_METHODS,
        widget=djforms.RadioSelect,
    )

    contact_missing_message = _(
        "Give the citizen's phone number or e-mail address, or both, so that the coordinator "
        "can reach them."
    )
    fieldsets = (
        (
            _("The referral"),
            "",
            ("programme", "referring_unit", "referral_reason"),
        ),
        (_("What the citizen wants support with"), "", ("purposes", "own_words")),
        (_("How and when"), "", ("forms", "peer_type", "availability")),
        (
            _("Wishes about the peer"),
            _("Everything here can be skipped."),
            ("wish_gender", "wish_age_band", "wish_language", "wish_shared_experience"),
        ),
        (
            _("About the citizen"),
            "",
            (
                "name",
                "birth_year",
                "municipality",
                "gender",
                "languages",
                "services_contact",
                "cpr",
            ),
        ),
        (
            _("How the coordinator can reach the citizen"),
            _("Give a phone number or an e-mail address, or both."),
            ("phone", "email", "contact_times"),
        ),
        (None, "", ("in_crisis",)),
        (
            _("The citizen's consent"),
            _("Tick only what the citizen has agreed to."),
            (
                "consent_method",
                "consent_support",
                "consent_questionnaires",
                "consent_evaluation",
                "consent_share_with_team",
            ),
        ),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation, is_active=True
        )
        self.fields["referring_unit"].queryset = Unit.objects.filter(
            organisation=organisation, is_active=True
        )
        for name, (label, help_text) in REFERRAL_TEXTS.items():
            field = self.fields[name]
            field.label = label
            if help_text is not None:
                field.help_text = help_text
        self.fields["consent_support"].error_messages["required"] = _(
            "A referral needs the citizen's consent to store the request."
        )
        self.fields["in_crisis"].error_messages["required"] = _("Answer yes or no.")

    def honeypot_filled(self) -> bool:
        return False

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **super().service_arguments(),
            "programme": data["programme"],
            "referring_unit": data["referring_unit"],
            "referral_reason": data["referral_reason"],
            "consent_method": data["consent_method"],
        }
