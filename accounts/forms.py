from django import forms
from django.contrib.auth import forms as auth_forms

from scrutiny.forms import DesignSystemFormMixin, Form


class SignInForm(DesignSystemFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive "
        "except the email address.",
        "inactive": "This account is not active. Ask your administrator.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(DesignSystemFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(DesignSystemFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DesignSystemFormMixin, auth_forms.PasswordChangeForm):
    pass


class ApiTokenCreateForm(Form):
    EXPIRY_CHOICES = [
        ("30", "30 days"),
        ("90", "90 days"),
        ("365", "1 year"),
        ("", "Never (until you revoke it)"),
    ]
    expires_in_days = forms.ChoiceField(
        label="Expires after",
        choices=EXPIRY_CHOICES,
        initial="90",
        required=False,
        widget=forms.RadioSelect,
        help_text="Choose the shortest time that does the job.",
    )
