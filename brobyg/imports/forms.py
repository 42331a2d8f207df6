from django import forms
from django.utils.translation import gettext_lazy as _

from brobyg.imports.models import ImportKind
from brobyg.lib.forms import ErrorSummaryMixin


class UploadForm(ErrorSummaryMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
        error_messages={
            "required": _("Choose the file to upload."),
            "empty": _("The file is empty. Fill in the template and upload it again."),
        },
    )


class ImportForm(forms.Form):
    duplicates = forms.ChoiceField(
        label=_("Rows that look like someone already in Brobyg or like another row"),
        choices=[
            ("skip", _("Skip them")),
            ("import", _("Import them too; they are marked as possible duplicates to merge")),
        ],
        initial="skip",
        widget=forms.RadioSelect,
        required=False,
    )
    invite_peers = forms.BooleanField(
        label=_("E-mail the new peers an invitation to choose a password"),
        required=False,
    )
