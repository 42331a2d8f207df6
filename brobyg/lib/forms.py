import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().-]*$")
MIN_PHONE_DIGITS = 8


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top. The user's input stays in the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_form_action(form: forms.Form, call) -> bool:
    """Validate ``form`` and hand its cleaned data to the service ``call``. True when the service
    ran; otherwise the form carries the errors (its own or the service's) and the input."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def clean_phone_and_email(form) -> None:
    """A citizen can be reached by phone, by e-mail or both; at least one is needed."""
    data = form.cleaned_data
    if "phone" in data and "email" in data and not data["phone"] and not data["email"]:
        form.add_error("phone", form.contact_missing_message)


def clean_phone(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARACTERS.match(value) or len(digits) < MIN_PHONE_DIGITS:
        raise ValidationError(
            _("Write a phone number with at least 8 digits, for example 20 30 40 50.")
        )
    return value


class ErrorSummaryMixin:
    """``error_summary``: every error of the form, in the order of the fields, each with the id of
    the input to jump to (the first option of a group of radio buttons or checkboxes)."""

    def error_summary(self) -> list[dict]:
        items = [{"anchor": "", "label": "", "message": error} for error in self.non_field_errors()]
        for bound_field in self.fields_in_page_order():
            for error in bound_field.errors:
                anchor = (
                    f"{bound_field.auto_id}_0"
                    if bound_field.use_fieldset
                    else bound_field.id_for_label
                )
                label = str(bound_field.label)
                if not label.endswith(("?", ".", "!", ":")):
                    label += ":"
                items.append({"anchor": anchor, "label": label, "message": error})
        return items

    def fields_in_page_order(self):
        """The bound fields in the order the page shows them."""
        return list(self)
