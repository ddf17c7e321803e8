"""Forms for the link-inspector engagement log. They parse and check input; the services
decide."""

from __future__ import annotations

from typing import Any

from django import forms

from scrutiny.forms import Form, VersionedModelForm

from . import engagement_selectors as selectors
from .models import (
    Engagement,
    EngagementKind,
    GoodPractice,
    GoodPracticeStatus,
    LinkActivityArea,
    LinkRisk,
    LinkRiskStatus,
    LocalAuthority,
    Partnership,
    ServiceArea,
)

DATES_IN_ORDER = "The 'to' date cannot be before the 'from' date."
CHOOSE_SUBJECT = "Choose the council area or partnership the engagement was with."
AREA_PREFIX, PARTNERSHIP_PREFIX = "area-", "partnership-"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "ds_input--fixed-10"})


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _activity_areas() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Areas of link-inspector activity it covered",
        queryset=LinkActivityArea.objects.filter(archived_at__isnull=True).order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area of link-inspector activity."},
    )


def subject_value(subject: LocalAuthority | Partnership | None) -> str:
    """The value of a council area or partnership in the "Engaged with" list."""
    if isinstance(subject, Partnership):
        return f"{PARTNERSHIP_PREFIX}{subject.pk}"
    if isinstance(subject, LocalAuthority):
        return f"{AREA_PREFIX}{subject.pk}"
    return ""


# Filters -------------------------------------------------------------------------------------


class ListFilterForm(Form):
    """Filters every engagement list shares: words, dates, a sort and archived records."""

    optional_unmarked = True  # every filter is optional; saying so on each is noise
    sort_choices: list[tuple[str, str]] = []
    date_label = "Date"

    q = forms.CharField(label="Search", required=False, max_length=100)
    local_authority = forms.ModelChoiceField(
        label="Council area",
        required=False,
        queryset=LocalAuthority.objects.none(),
        empty_label="All council areas",
        help_text="Includes the partnerships covering it.",
    )
    partnership = forms.ModelChoiceField(
        label="Partnership",
        required=False,
        queryset=Partnership.objects.none(),
        empty_label="All partnerships",
    )
    date_from = forms.DateField(label="From", required=False, widget=_date_input())
    date_to = forms.DateField(label="To", required=False, widget=_date_input())
    sort = forms.ChoiceField(label="Sort by", required=False)
    archived = forms.BooleanField(label="Include archived records", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            archived_at__isnull=True
        ).order_by("name")
        self.fields["partnership"].queryset = Partnership.objects.filter(
            archived_at__isnull=True
        ).order_by("name", "kind")
        self.fields["sort"].choices = self.sort_choices
        self.fields["date_from"].label = f"{self.date_label} from"
        self.fields["date_to"].label = f"{self.date_label} to"
        order = [n for n in self.fields if n not in ("q", "sort", "archived")]
        self.order_fields(["q", *order, "sort", "archived"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATES_IN_ORDER)
        return cleaned

    def values(self) -> dict[str, Any]:
        """The cleaned filters; an invalid form filters nothing."""
        return self.cleaned_data if self.is_valid() else {}

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        kwargs = {
            "local_authority": data.get("local_authority"),
            "partnership": data.get("partnership"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "search": (data.get("q") or "").strip(),
            "include_archived": data.get("archived", False),
        }
        if data.get("sort"):
            kwargs["ordering"] = data["sort"]
        return kwargs

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields if name != "sort")


class EngagementFilterForm(ListFilterForm):
    sort_choices = [
        ("-date", "Date (newest first)"),
        ("date", "Date (oldest first)"),
        ("kind", "Kind"),
    ]
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *EngagementKind.choices]
    )
    area = forms.ModelChoiceField(
        label="Area of activity",
        required=False,
        queryset=LinkActivityArea.objects.none(),
        empty_label="All areas of activity",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = LinkActivityArea.objects.filter(
            archived_at__isnull=True
        ).order_by("number")
        self.fields["q"].help_text = "Words in the notes."

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "kind": data.get("kind", ""),
            "area": data.get("area"),
        }


class LinkRiskFilterForm(ListFilterForm):
    date_label = "Found"
    sort_choices = [
        ("-found", "Date found (newest first)"),
        ("found", "Date found (oldest first)"),
        ("-last", "Last followed up (most recent first)"),
        ("status", "Status"),
        ("title", "Title (A to Z)"),
    ]
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "All statuses"),
            (selectors.CURRENT, "Not closed (open or monitoring)"),
            *LinkRiskStatus.choices,
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = "Words in the title, description or likely impact."

    def selector_kwargs(self) -> dict[str, Any]:
        return {**super().selector_kwargs(), "status": self.values().get("status", "")}


class GoodPracticeFilterForm(ListFilterForm):
    date_label = "Found"
    sort_choices = [
        ("-found", "Date found (newest first)"),
        ("found", "Date found (oldest first)"),
        ("title", "Title (A to Z)"),
    ]
    service_area = forms.ChoiceField(
        label="Services", required=False, choices=[("", "All services"), *ServiceArea.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All"), *GoodPracticeStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = "Words in the title, description or theme."

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "service_area": data.get("service_area", ""),
            "status": data.get("status", ""),
        }


# Engagements ---------------------------------------------------------------------------------


class EngagementEditForm(VersionedModelForm):
    areas = _activity_areas()

    class Meta:
        model = Engagement
        fields = ["engaged_on", "kind", "areas", "notes"]
        widgets = {"engaged_on": _date_input(), "kind": forms.RadioSelect, "notes": _text(6)}
        help_texts = {"notes": "What was discussed or seen, and what follows from it."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EngagementKind.choices  # no blank choice among radios


class EngagementForm(EngagementEditForm):
    """Recording an engagement: what it was with, from the council areas and partnerships whose
    log the user keeps."""

    version = None
    subject = forms.ChoiceField(
        label="Engaged with",
        help_text="A council area, or one of the partnerships covering it.",
        error_messages={"required": CHOOSE_SUBJECT, "invalid_choice": CHOOSE_SUBJECT},
    )

    class Meta(EngagementEditForm.Meta):
        fields = ["subject", "engaged_on", "kind", "areas", "notes"]

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas, partnerships = selectors.subjects_for(user)
        self._subjects: dict[str, LocalAuthority | Partnership] = {
            **{subject_value(a): a for a in areas},
            **{subject_value(p): p for p in partnerships},
        }
        self.fields["subject"].choices = [
            ("", "Choose"),
            ("Council areas", [(subject_value(a), a.name) for a in areas]),
            ("Partnerships", [(subject_value(p), str(p)) for p in partnerships]),
        ]
        self.order_fields(["subject", "engaged_on", "kind", "areas", "notes"])

    @property
    def has_subjects(self) -> bool:
        """Does the user keep any council area's or partnership's log?"""
        return bool(self._subjects)

    def clean_subject(self) -> LocalAuthority | Partnership:
        subject = self._subjects.get(self.cleaned_data["subject"])
        if subject is None:
            raise forms.ValidationError(CHOOSE_SUBJECT)
        return subject

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        subject = data["subject"]
        return {
            "local_authority": subject if isinstance(subject, LocalAuthority) else None,
            "partnership": subject if isinstance(subject, Partnership) else None,
            "engaged_on": data["engaged_on"],
            "kind": data["kind"],
            "areas": list(data["areas"]),
            "notes": data.get("notes", ""),
        }


class FollowRiskForm(Form):
    risk = forms.ModelChoiceField(
        label="Risk followed up",
        queryset=LinkRisk.objects.none(),
        empty_label="Choose a risk",
        error_messages={"required": "Choose the risk this engagement followed up."},
    )

    def __init__(self, *args: Any, risks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = risks


# Risks ---------------------------------------------------------------------------------------


_NOT_CLOSED = [(v, label) for v, label in LinkRiskStatus.choices if v != LinkRiskStatus.CLOSED]


class LinkRiskEditForm(VersionedModelForm):
    class Meta:
        model = LinkRisk
        fields = ["title", "description", "likely_impact", "status"]
        widgets = {
            "description": _text(4),
            "likely_impact": _text(3),
            "status": forms.RadioSelect,
        }
        help_texts = {
            "status": "Monitoring: the risk is known and being watched. Close a risk from its "
            "page, with the date and a closing note."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _NOT_CLOSED


class LinkRiskForm(LinkRiskEditForm):
    version = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("status", LinkRiskStatus.OPEN)


class LinkRiskCloseForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    closed_on = forms.DateField(
        label="Date closed",
        widget=_date_input(),
        error_messages={"required": "Enter the date the risk was closed."},
    )
    closing_note = forms.CharField(
        label="Closing note",
        help_text="Why the risk no longer threatens people's outcomes.",
        widget=_text(4),
        max_length=5000,
        error_messages={"required": "Say why the risk can be closed."},
    )


class LinkRiskReopenForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why are you reopening this risk?",
        help_text="This is kept in the risk's history with its closing date and note.",
        widget=_text(3),
        max_length=500,
        error_messages={"required": "Say why the risk is being reopened."},
    )


# Good practice -------------------------------------------------------------------------------


class GoodPracticeEditForm(VersionedModelForm):
    class Meta:
        model = GoodPractice
        fields = ["title", "description", "service_area", "theme", "status", "shared_on"]
        widgets = {
            "description": _text(5),
            "service_area": forms.RadioSelect,
            "status": forms.RadioSelect,
            "shared_on": _date_input(),
        }
        help_texts = {
            "status": "Shared good practice appears in the national list for everyone.",
            "shared_on": "Today if left blank when it is shared.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_area"].choices = ServiceArea.choices
        self.fields["status"].choices = GoodPracticeStatus.choices


class GoodPracticeForm(GoodPracticeEditForm):
    version = None

    class Meta(GoodPracticeEditForm.Meta):
        fields = ["title", "description", "service_area", "theme", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("status", GoodPracticeStatus.IDENTIFIED)
