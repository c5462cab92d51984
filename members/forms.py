import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import person_name
from members.credentials import (
    normalize_credit_code,
    normalize_license_number,
    validate_credit_code,
    validate_lawyer_license_number,
)

# Control, format, private-use and surrogate characters: never part of a name or a number.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def validate_visible(value):
    if any(unicodedata.category(character) in INVISIBLE_CATEGORIES for character in value):
        raise ValidationError(
            _("Remove the invisible control characters from your query."), code="invisible"
        )


class QueryField(forms.CharField):
    default_validators = [validate_visible]

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class LawyerLookupForm(forms.Form):
    """律师查询: an exact name or a licence number, optionally narrowed by the firm."""

    name = QueryField(label=_("Name"), max_length=50)
    license_number = QueryField(
        label=_("Licence number"), max_length=40, help_text=_("The 17 digits of 执业证号.")
    )
    firm = QueryField(
        label=_("Law firm"),
        min_length=2,
        max_length=100,
        help_text=_("Optional: part of the firm's name, to tell apart lawyers of the same name."),
    )

    def clean_name(self):
        return person_name(self.cleaned_data["name"])

    def clean_license_number(self):
        number = self.cleaned_data["license_number"]
        if not number:
            return ""
        message = validate_lawyer_license_number(number)
        if message:
            raise ValidationError(message)
        return normalize_license_number(number)

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not (cleaned_data["name"] or cleaned_data["license_number"]):
            raise ValidationError(_("Enter a name or a licence number."), code="empty")
        return cleaned_data


class LawFirmLookupForm(forms.Form):
    """律所查询: part of the name, or the credit code."""

    name = QueryField(label=_("Name of the firm"), min_length=2, max_length=100)
    credit_code = QueryField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("The 18 characters of 统一社会信用代码."),
    )

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        if not code:
            return ""
        message = validate_credit_code(code, law_firm=True)
        if message:
            raise ValidationError(message)
        return normalize_credit_code(code)

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not (cleaned_data["name"] or cleaned_data["credit_code"]):
            raise ValidationError(
                _("Enter part of the firm's name or its credit code."), code="empty"
            )
        return cleaned_data


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the column headers in row 1."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(megabytes)s MB.")
                % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
