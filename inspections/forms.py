"""Inspection forms in the Design System. They parse and check input; the services decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.models import User
from accounts.roles import ROLE_GROUP_NAMES, Role
from partnerships.selectors import partnership_list
from scrutiny.forms import ArchiveForm, Form, VersionedModelForm
from scrutiny.uploads import max_bytes

from . import lifecycle, selectors, services
from .models import (
    ConflictDecision,
    ConflictKind,
    EvidenceActivity,
    Inspection,
    InspectionStatus,
    Milestone,
    TeamRole,
)

if TYPE_CHECKING:
    from .selectors import NextStep

SORT_LABELS = {
    "-notification": "Notification date (newest first)",
    "notification": "Notification date (oldest first)",
    "title": "Title (A to Z)",
    "-title": "Title (Z to A)",
    "partnership": "Partnership (A to Z)",
    "-partnership": "Partnership (Z to A)",
    "status": "Status",
    "-status": "Status (reversed)",
}
FIELDWORK_ORDER = "Fieldwork cannot end before it starts."
EVIDENCE_ORDER = "The end date cannot be before the start date."
DETAILS_NEEDED = "Say what the connection is, so the lead inspector can decide."
CHOOSE_STEP = "Choose one of the next steps shown on the inspection."
ACCEPTED_TYPES = (
    "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, CSV, PNG or JPEG, "
    "no bigger than {limit}."
)


def _active_users():
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")


def lead_inspector_choices():
    """Everyone holding the Lead inspector role."""
    return _active_users().filter(groups__name=ROLE_GROUP_NAMES[Role.LEAD_INSPECTOR])


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.agency.code})"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.agency.code})"


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """Quality indicators, named with their programme when several programmes are offered."""

    with_programme = True

    def label_from_instance(self, obj) -> str:
        label = str(obj)
        return f"{label} ({obj.programme.name})" if self.with_programme else label


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "ds_input--fixed-10"})


# Inspection list ---------------------------------------------------------------------------


class InspectionFilterForm(Form):
    optional_unmarked = True  # every filter is optional; saying so on each is noise

    q = forms.CharField(
        label="Search", required=False, max_length=100, help_text="A title or partnership name."
    )
    programme = forms.ModelChoiceField(
        label="Programme", required=False, queryset=None, empty_label="All programmes"
    )
    partnership = forms.ModelChoiceField(
        label="Partnership", required=False, queryset=None, empty_label="All partnerships"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *InspectionStatus.choices]
    )
    lead_inspector = UserChoiceField(
        label="Lead inspector", required=False, queryset=None, empty_label="Any lead inspector"
    )
    year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Notified (or planned) in.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds_input--fixed-4"}),
        error_messages={"invalid": "Enter a year, like 2026."},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(k, v) for k, v in SORT_LABELS.items() if k in selectors.INSPECTION_ORDERINGS],
    )
    mine = forms.BooleanField(label="Only inspections I am on the team of", required=False)
    archived = forms.BooleanField(label="Include archived inspections", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.programme_list(user=user)
        self.fields["partnership"].queryset = partnership_list(user=user)
        self.fields["lead_inspector"].queryset = lead_inspector_choices()

    def selector_kwargs(self) -> dict[str, Any]:
        """The selector's arguments; an invalid form filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "programme": data.get("programme"),
            "partnership": data.get("partnership"),
            "status": data.get("status", ""),
            "lead_inspector": data.get("lead_inspector"),
            "year": data.get("year"),
            "mine": data.get("mine", False),
            "search": (data.get("q") or "").strip(),
            "ordering": data.get("sort") or "-notification",
            "include_archived": data.get("archived", False),
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in self.fields if name not in ("sort",)
        )


# Planning and editing an inspection --------------------------------------------------------


class _FieldworkDatesMixin:
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("fieldwork_starts_on"), cleaned.get("fieldwork_ends_on")
        if starts and ends and ends < starts:
            self.add_error("fieldwork_ends_on", FIELDWORK_ORDER)
        return cleaned


class InspectionCreateForm(_FieldworkDatesMixin, Form):
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=None,
        empty_label="Choose a programme",
        error_messages={"required": "Choose the programme."},
    )
    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=None,
        empty_label="Choose a partnership",
        error_messages={"required": "Choose the partnership to inspect."},
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": "Enter a title."},
        help_text="For example, Joint inspection of adult services: Fife.",
    )
    theme = forms.CharField(
        label="Theme",
        required=False,
        max_length=200,
        help_text="For themed inspections. Leave blank to use the programme's theme.",
    )
    planned_notification_on = forms.DateField(
        label="Planned notification date", required=False, widget=_date_input()
    )
    fieldwork_starts_on = forms.DateField(
        label="Fieldwork starts", required=False, widget=_date_input()
    )
    fieldwork_ends_on = forms.DateField(
        label="Fieldwork ends", required=False, widget=_date_input()
    )
    lead_inspector = UserChoiceField(
        label="Lead inspector",
        required=False,
        queryset=None,
        empty_label="Not chosen yet",
        help_text="Someone with the Lead inspector role. They join the team as its lead.",
    )
    quality_indicators = IndicatorChoiceField(
        label="Quality indicators in scope",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose indicators from the chosen programme's framework only.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.programme_list(user=user)
        self.fields["partnership"].queryset = partnership_list(user=user)
        self.fields["lead_inspector"].queryset = lead_inspector_choices()
        self.fields["quality_indicators"].queryset = selectors.quality_indicator_list(user=user)
        if not self.is_bound and user.has_role(Role.LEAD_INSPECTOR):
            self.initial["lead_inspector"] = user.pk

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["quality_indicators"] = list(data["quality_indicators"])
        return data


class InspectionForm(_FieldworkDatesMixin, VersionedModelForm):
    quality_indicators = IndicatorChoiceField(
        label="Quality indicators in scope",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Inspection
        fields = [
            "title",
            "theme",
            "planned_notification_on",
            "fieldwork_starts_on",
            "fieldwork_ends_on",
            "summary",
            "quality_indicators",
        ]
        widgets = {
            "planned_notification_on": _date_input(),
            "fieldwork_starts_on": _date_input(),
            "fieldwork_ends_on": _date_input(),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quality_indicators"]
        field.queryset = selectors.quality_indicator_list(
            user=user, programme=self.instance.programme
        )
        field.with_programme = False
        field.help_text = f"From the {self.instance.programme} framework."


# Lifecycle -----------------------------------------------------------------------------------


class TransitionForm(Form):
    """One next step: the status to move to, the date (today if blank) and, for suspending or
    withdrawing, the reason. Each step's form has its own ids so several fit on one page."""

    status = forms.ChoiceField(
        choices=InspectionStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": CHOOSE_STEP, "invalid_choice": CHOOSE_STEP},
    )
    on = forms.DateField(
        label="Date", required=False, help_text="Leave blank for today.", widget=_date_input()
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        help_text="This is kept in the inspection's status history.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data=None, *, status: str = "", button_label: str = "", **kwargs):
        if data is not None:
            status = data.get("status", "")
        if status not in InspectionStatus.values:
            status = "step"
        kwargs.setdefault("auto_id", f"id_{status}_%s")
        super().__init__(data, initial={"status": status}, **kwargs)
        self.button_label = button_label
        if status in lifecycle.NEEDS_REASON:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = services.REASON_NEEDED
        elif status != "step":
            del self.fields["reason"]


def _button_label(inspection: Inspection, step: NextStep) -> str:
    if step.status == InspectionStatus.SUSPENDED:
        return "Suspend the inspection"
    if step.status == InspectionStatus.WITHDRAWN:
        return "Withdraw the inspection"
    if inspection.status == InspectionStatus.SUSPENDED:
        return f"Resume: back to {step.label}"
    return f"Move to {step.label}"


@dataclass(frozen=True)
class StepForms:
    """The next steps' forms: the lifecycle's own, and suspending or withdrawing (shown
    folded away, unless the user has just tried one of them)."""

    main: list[tuple[NextStep, TransitionForm]]
    exceptional: list[tuple[NextStep, TransitionForm]]

    @property
    def exceptional_open(self) -> bool:
        return any(form.is_bound for _, form in self.exceptional)

    def __bool__(self) -> bool:
        return bool(self.main or self.exceptional)


def step_forms(
    inspection: Inspection, steps: list[NextStep], failed: TransitionForm | None = None
) -> StepForms:
    """A form for each next step; the one the user just tried keeps their input."""
    main, exceptional = [], []
    for step in steps:
        form = TransitionForm(status=step.status)
        if failed is not None and failed.data.get("status") == step.status:
            form = failed
        form.button_label = _button_label(inspection, step)
        (exceptional if step.status in lifecycle.NEEDS_REASON else main).append((step, form))
    return StepForms(main, exceptional)


class InspectionArchiveForm(ArchiveForm):
    version = None


# Team ----------------------------------------------------------------------------------------


class _DeclarationMixin:
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        conflict = cleaned.get("conflict")
        if conflict and conflict != ConflictKind.NONE and not cleaned.get("conflict_details"):
            self.add_error("conflict_details", DETAILS_NEEDED)
        return cleaned


def _conflict_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ConflictKind.choices,
        initial=ConflictKind.NONE,
        widget=forms.RadioSelect,
    )


def _details_field() -> forms.CharField:
    return forms.CharField(
        label="What is the connection?",
        required=False,
        max_length=2000,
        help_text="Only the inspection team sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TeamMemberForm(_DeclarationMixin, Form):
    user = UserChoiceField(label="Person", queryset=None, empty_label="Choose a person")
    role = forms.ChoiceField(
        label="Role on the team", choices=[("", "Choose a role"), *TeamRole.choices]
    )
    conflict = _conflict_field("Does this person have a connection with the partnership?")
    conflict_details = _details_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _active_users()


class DeclarationForm(_DeclarationMixin, Form):
    conflict = _conflict_field("Do you have a connection with the partnership?")
    conflict_details = _details_field()


class ConflictDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (c.value, c.label)
            for c in (
                ConflictDecision.CLEARED,
                ConflictDecision.RESTRICTED,
                ConflictDecision.EXCLUDED,
            )
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        help_text="For example, the restrictions: which services or records they must not see.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label="Why?",
        max_length=500,
        error_messages={"required": "Give a reason."},
        help_text="This is kept in the record's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


# Milestones ----------------------------------------------------------------------------------


class MilestoneMoveForm(VersionedModelForm):
    reason = forms.CharField(
        label="Why is it moving?",
        max_length=500,
        error_messages={"required": services.MOVE_REASON_NEEDED},
        help_text="This is kept in the milestone's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Milestone
        fields = ["due_on"]
        labels = {"due_on": "New due date"}
        widgets = {"due_on": _date_input()}

    def changes(self) -> dict[str, Any]:
        return {"due_on": self.cleaned_data["due_on"]}


class MilestoneCompleteForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    done = forms.TypedChoiceField(
        choices=[("yes", "Done"), ("no", "Not done")],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.HiddenInput,
    )
    completed_on = forms.DateField(
        label="Date done", required=False, help_text="Leave blank for today.", widget=_date_input()
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("done") is False:
            cleaned["completed_on"] = None
        elif "done" in cleaned and not cleaned.get("completed_on"):
            cleaned["completed_on"] = timezone.localdate()
        return cleaned


# Evidence ------------------------------------------------------------------------------------


class EvidenceActivityForm(VersionedModelForm):
    carried_out_by = UserMultipleChoiceField(
        label="Carried out by",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EvidenceActivity
        fields = ["kind", "title", "starts_on", "ends_on", "carried_out_by", "notes", "status"]
        labels = {"starts_on": "Starts", "ends_on": "Ends"}
        widgets = {
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_team = Q(
            inspection_teams__inspection=inspection, inspection_teams__archived_at__isnull=True
        )
        if self.instance.pk:
            on_team |= Q(evidence_activities=self.instance)
        field = self.fields["carried_out_by"]
        field.queryset = _active_users().filter(on_team).distinct()
        field.help_text = (
            "Team members who took part."
            if self.instance.pk
            else "Team members who took part. Leave blank if it was only you."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", EVIDENCE_ORDER)
        return cleaned


class EvidenceActivityCreateForm(EvidenceActivityForm):
    """Recording an activity: no version yet."""

    version = None


class EvidenceArchiveForm(ArchiveForm):
    pass


class AttachmentForm(Form):
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to upload."})
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=300,
        help_text="What the file is, for example Position statement, March 2026.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = ACCEPTED_TYPES.format(limit=filesizeformat(max_bytes()))

    def add_error(self, field: str | None, error: Any) -> None:
        """Errors on the file, including the service's (its type or size), mark the input."""
        super().add_error(field, error)
        dict_errors = getattr(error, "error_dict", error if isinstance(error, dict) else {})
        if field == "file" or "file" in dict_errors:
            bound = self["file"]
            attrs = self.fields["file"].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{bound.auto_id}-hint {bound.auto_id}-error"
            if "ds_file-upload__input--error" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} ds_file-upload__input--error".strip()


class AttachmentArchiveForm(ArchiveForm):
    version = None
