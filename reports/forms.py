"""The "Create PDF" form of a record's Reports section: which kind of report, of which record,
and the page to come back to."""

from __future__ import annotations

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from scrutiny.forms import Form

from .models import ReportKind


class ReportRequestForm(Form):
    kind = forms.ChoiceField(choices=ReportKind.choices, widget=forms.HiddenInput)
    inspection = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    partnership = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quarter = forms.DateField(
        required=False,
        label="Quarter",
        error_messages={"invalid": "Choose a quarter from the list."},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        wanted = {
            ReportKind.INSPECTION_REPORT: "inspection",
            ReportKind.PARTNERSHIP_PROFILE: "partnership",
            ReportKind.COOPERATION_QUARTER: "quarter",
        }.get(kind)
        if wanted and cleaned.get(wanted) in (None, ""):
            self.add_error(wanted if wanted == "quarter" else None, "Say what the report is of.")
        return cleaned

    def next_url(self) -> str | None:
        """The page to return to, if it is on this site."""
        url = (self.cleaned_data.get("next") or "").strip() if hasattr(self, "cleaned_data") else ""
        if (
            url
            and self.request is not None
            and url_has_allowed_host_and_scheme(
                url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
            )
        ):
            return url
        return None
