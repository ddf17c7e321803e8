"""The form for how a person wants reminders emailed."""

from __future__ import annotations

from django import forms

from scrutiny.forms import Form

from .models import EmailMode


class PreferenceForm(Form):
    email_mode = forms.ChoiceField(
        label="How do you want reminders emailed?",
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text="Every reminder is also under Notifications here, whatever you choose.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
