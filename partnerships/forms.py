from django import forms

from scrutiny.forms import Form, VersionedModelForm

from .models import Contact, HealthBoard, Partnership, PartnershipKind
from .selectors import PARTNERSHIP_ORDERINGS

SORT_LABELS = {
    "name": "Name (A to Z)",
    "-name": "Name (Z to A)",
    "kind": "Kind",
    "-kind": "Kind (reversed)",
    "code": "GSS code",
    "-code": "GSS code (reversed)",
}


class PartnershipFilterForm(Form):
    optional_unmarked = True  # every filter is optional; saying so on each is noise

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="A partnership or council area name, or a GSS code.",
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *PartnershipKind.choices]
    )
    health_board = forms.ModelChoiceField(
        label="Health board",
        required=False,
        queryset=HealthBoard.objects.filter(archived_at__isnull=True).order_by("name"),
        empty_label="All health boards",
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in PARTNERSHIP_ORDERINGS],
    )
    archived = forms.BooleanField(label="Include archived partnerships", required=False)


class PartnershipForm(VersionedModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "gss_code",
            "integration_model",
            "integration_model_confirmed",
            "local_authorities",
            "health_boards",
            "notes",
        ]
        widgets = {
            "local_authorities": forms.CheckboxSelectMultiple,
            "health_boards": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }


class ContactForm(VersionedModelForm):
    class Meta:
        model = Contact
        fields = ["role", "name", "email", "phone", "started_on", "ended_on"]
        widgets = {"started_on": forms.DateInput, "ended_on": forms.DateInput}


class ContactCreateForm(ContactForm):
    """Adding a contact: no version yet."""

    version = None
