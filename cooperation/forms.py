"""Co-operation forms in the Design System. They parse and check input; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.models import Agency, User
from scrutiny.forms import ArchiveForm, Form, VersionedModelForm
from scrutiny.uploads import max_bytes

from . import rules, selectors
from .models import (
    ActionStatus,
    Escalation,
    EscalationLevel,
    EscalationStatus,
    EscalationStep,
    Meeting,
    MeetingAction,
    MeetingStatus,
    Mitigation,
    MitigationStatus,
    NoSurprisesNotice,
    NoticeKind,
    RiskStatus,
    SharedRisk,
)
from .services import (
    ACKNOWLEDGED_BEFORE_TOLD,
    ACKNOWLEDGED_NOT_TOLD,
    COMMITMENT_TYPE_NEEDED,
    COMMITMENT_TYPE_ONLY,
    RESOLUTION_NEEDED,
    TARGET_BEFORE_REACHED,
    URGENT_REASON_NEEDED,
    WITHDRAWAL_REASON_NEEDED,
    Attendee,
)

DATES_IN_ORDER = "The 'to' date cannot be before the 'from' date."
YEARS_IN_ORDER = "The last year cannot be before the first."
ACCEPTED_TYPES = (
    "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, CSV, PNG or JPEG, "
    "no bigger than {limit}."
)
ATTENDEE_HINT = (
    "One person per line: their name, then a comma and their role. For example: "
    "Alex Morgan, Chief Executive."
)
LIKELIHOOD = [
    (1, "1: Rare"),
    (2, "2: Unlikely"),
    (3, "3: Possible"),
    (4, "4: Likely"),
    (5, "5: Almost certain"),
]
IMPACT = [
    (1, "1: Negligible"),
    (2, "2: Minor"),
    (3, "3: Moderate"),
    (4, "4: Major"),
    (5, "5: Extreme"),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "ds_input--fixed-10"})


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.agency.code})"


def _body_field(label: str, **kwargs: Any) -> BodyChoiceField:
    return BodyChoiceField(label=label, queryset=Agency.objects.none(), **kwargs)


def _user_body(user: User) -> Agency | None:
    agency = getattr(user, "agency", None)
    return agency if agency is not None and agency.code in ("CI", "HIS") else None


# Filters -------------------------------------------------------------------------------------


def _financial_years(today: datetime.date) -> list[tuple[int, str]]:
    current = rules.financial_year(today)
    return [(y, rules.financial_year_label(y)) for y in range(current, current - 10, -1)]


class ListFilterForm(Form):
    """Filters every list shares: a search, a body, a date range, a sort and archived records.
    Subclasses add their own and say which selector arguments they fill."""

    optional_unmarked = True  # every filter is optional; saying so on each is noise
    sort_choices: list[tuple[str, str]] = []
    date_label = "Date"

    q = forms.CharField(label="Search", required=False, max_length=100)
    body = _body_field("Body", required=False, empty_label="Both bodies")
    date_from = forms.DateField(label="From", required=False, widget=_date_input())
    date_to = forms.DateField(label="To", required=False, widget=_date_input())
    sort = forms.ChoiceField(label="Sort by", required=False)
    archived = forms.BooleanField(label="Include archived records", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["body"].queryset = selectors.bodies()
        self.fields["sort"].choices = self.sort_choices
        self.fields["date_from"].label = f"{self.date_label} from"
        self.fields["date_to"].label = f"{self.date_label} to"
        # Filters go last but one: the sort and "include archived" close the form.
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
            "body": data.get("body"),
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


class MeetingFilterForm(ListFilterForm):
    sort_choices = [
        ("-date", "Date (newest first)"),
        ("date", "Date (oldest first)"),
        ("type", "Type"),
        ("status", "Status"),
    ]
    meeting_type = forms.ModelChoiceField(
        label="Type", required=False, queryset=None, empty_label="All types"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *MeetingStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = selectors.meeting_type_list()
        self.fields["body"].label = "Arranged by"
        self.fields["q"].help_text = "Words in the title, agenda or minutes."

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "meeting_type": data.get("meeting_type"),
            "status": data.get("status", ""),
        }


class ActionFilterForm(ListFilterForm):
    date_label = "Due"
    sort_choices = [
        ("due", "Due date (soonest first)"),
        ("-due", "Due date (latest first)"),
        ("status", "Status"),
        ("owner", "Owner"),
        ("meeting", "Meeting (newest first)"),
    ]
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), ("open", "Not done yet"), *ActionStatus.choices],
    )
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Owner's body"

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "status": data.get("status", ""),
            "overdue": data.get("overdue", False),
        }


class NoticeFilterForm(ListFilterForm):
    date_label = "Planned"
    sort_choices = [
        ("-planned", "Planned date (latest first)"),
        ("planned", "Planned date (earliest first)"),
        ("-told", "Date told (latest first)"),
        ("subject", "Subject (A to Z)"),
        ("body", "Body"),
    ]
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *NoticeKind.choices]
    )
    flag = forms.ChoiceField(
        label="Flag",
        required=False,
        choices=[("", "Any"), *selectors.NOTICE_FLAG_FILTERS.items()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Raised by"

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "kind": data.get("kind", ""),
            "flag": data.get("flag", ""),
        }


class EscalationFilterForm(ListFilterForm):
    date_label = "Raised"
    sort_choices = [
        ("raised", "Date raised (oldest first)"),
        ("-raised", "Date raised (newest first)"),
        ("level", "Level (lowest first)"),
        ("-level", "Level (highest first)"),
        ("target", "Target date"),
        ("subject", "Subject (A to Z)"),
    ]
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *EscalationStatus.choices]
    )
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All levels"), *EscalationLevel.choices]
    )
    overdue = forms.BooleanField(label="Only overdue escalations", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Raised by"

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "status": data.get("status", ""),
            "level": data.get("level", ""),
            "overdue": data.get("overdue", False),
        }


class RiskFilterForm(ListFilterForm):
    date_label = "Review"
    sort_choices = [
        ("-rating", "Rating (highest first)"),
        ("rating", "Rating (lowest first)"),
        ("review", "Review date (soonest first)"),
        ("title", "Title (A to Z)"),
    ]
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *RiskStatus.choices]
    )
    band = forms.ChoiceField(
        label="Rating",
        required=False,
        choices=[("", "Any rating"), *[(label, label) for _, label, _ in rules.RISK_BANDS]],
    )
    review_due = forms.BooleanField(label="Only risks due for review", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Owner"

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            **super().selector_kwargs(),
            "status": data.get("status", ""),
            "band": data.get("band", ""),
            "review_due": data.get("review_due", False),
        }


class YearsForm(Form):
    """A span of financial years, for the quarterly summary and the meeting gaps."""

    optional_unmarked = True

    first_year = forms.TypedChoiceField(label="From financial year", coerce=int, required=False)
    last_year = forms.TypedChoiceField(label="To financial year", coerce=int, required=False)

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        years = _financial_years(today)
        first, last = selectors.gap_years(today)
        for name, default in (("first_year", first), ("last_year", last)):
            self.fields[name].choices = years
            self.fields[name].initial = default
        self.defaults = {"first_year": first, "last_year": last}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", YEARS_IN_ORDER)
        return cleaned

    def years(self) -> tuple[int, int]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("first_year") or self.defaults["first_year"],
            data.get("last_year") or self.defaults["last_year"],
        )


class SummaryFilterForm(YearsForm):
    body = _body_field("Raised by", required=False, empty_label="Both bodies")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = selectors.bodies()


class GapFilterForm(YearsForm):
    meeting_type = forms.ModelChoiceField(
        label="Type", required=False, queryset=None, empty_label="All types checked for gaps"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = selectors.meeting_type_list()


# Meetings ------------------------------------------------------------------------------------


def _attendee_field_name(body: Agency) -> str:
    return f"attendees_{body.code.lower()}"


class MeetingForm(VersionedModelForm):
    raised_by = _body_field("Arranged by")

    class Meta:
        model = Meeting
        fields = [
            "meeting_type",
            "held_on",
            "status",
            "raised_by",
            "title",
            "location",
            "agenda",
            "minutes",
            "risks",
        ]
        widgets = {
            "held_on": _date_input(),
            "status": forms.RadioSelect,
            "agenda": _text(5),
            "minutes": _text(8),
            "risks": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "meeting_type": {"required": "Choose the type of meeting."},
            "held_on": {"required": "Enter the date of the meeting."},
            "status": {"required": "Say whether the meeting is booked, held or cancelled."},
        }
        help_texts = {
            "title": "Leave blank to call it by its type and date.",
            "status": "Booked: still to happen. Held: it took place.",
            "risks": "Risks from the joint register that the meeting considered.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = selectors.meeting_type_list()
        self.fields["meeting_type"].empty_label = "Choose a type"
        self.fields["raised_by"].queryset = selectors.bodies()
        self.fields["risks"].queryset = selectors.risk_choices(user=user)
        self.fields["risks"].required = False
        self.bodies = list(selectors.bodies())
        current: dict[int, list[str]] = {}
        if self.instance.pk:
            for attendee in selectors.current_attendees(self.instance):
                line = f"{attendee.name}, {attendee.role}" if attendee.role else attendee.name
                current.setdefault(attendee.agency_id, []).append(line)
        elif not self.is_bound:
            self.initial.setdefault("raised_by", _user_body(user))
            self.initial.setdefault("status", MeetingStatus.HELD)
        for body in self.bodies:
            name = _attendee_field_name(body)
            self.fields[name] = forms.CharField(
                label=f"{body.name} attendees",
                required=False,
                max_length=5000,
                help_text=ATTENDEE_HINT,
                widget=_text(4),
            )
            self.initial.setdefault(name, "\n".join(current.get(body.pk, [])))
        self.order_fields(
            [
                "meeting_type",
                "held_on",
                "status",
                "raised_by",
                "title",
                "location",
                *[_attendee_field_name(b) for b in self.bodies],
            ]
        )
        # The Design System class for the fields added after the mixin set the others'.
        for body in self.bodies:
            self.fields[_attendee_field_name(body)].widget.attrs["class"] = "ds_input"

    def changes(self) -> dict[str, Any]:
        """The meeting's own fields (not the attendees, not the risks)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "risks"}

    def attendees(self) -> list[Attendee]:
        people = []
        for body in self.bodies:
            for line in (self.cleaned_data.get(_attendee_field_name(body)) or "").splitlines():
                if not line.strip():
                    continue
                name, _, role = line.partition(",")
                people.append(Attendee(agency=body, name=name.strip(), role=role.strip()))
        return people


class MeetingCreateForm(MeetingForm):
    version = None


class AttachmentForm(Form):
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to upload."})
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=300,
        help_text="What the file is, for example Minutes, approved.",
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


class ReasonArchiveForm(ArchiveForm):
    version = None


# Meeting actions -----------------------------------------------------------------------------


class ActionForm(VersionedModelForm):
    owner = UserChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the owner."},
    )

    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due_on", "status", "completed_on", "notes"]
        widgets = {
            "description": _text(2),
            "due_on": _date_input(),
            "completed_on": _date_input(),
            "status": forms.RadioSelect,
            "notes": _text(3),
        }
        help_texts = {"completed_on": "For a done action. Leave blank for today."}
        error_messages = {
            "description": {"required": "Say what the action is."},
            "due_on": {"required": "Enter the date it is due."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.body_users(
            including=self.instance.owner_id if self.instance.pk else None
        )
        self.fields["owner"].empty_label = "Choose the owner"

    def clean(self) -> dict[str, Any]:
        """A done action has the date it was done (today unless given); others have none."""
        cleaned = super().clean()
        if cleaned.get("status") == ActionStatus.DONE:
            cleaned["completed_on"] = cleaned.get("completed_on") or timezone.localdate()
        elif "status" in cleaned:
            cleaned["completed_on"] = None
        self.instance.completed_on = cleaned.get("completed_on")
        return cleaned


class ActionCreateForm(ActionForm):
    version = None


class ActionStatusForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    completed_on = forms.DateField(
        label="Date done",
        required=False,
        help_text="For a done action. Leave blank for today.",
        widget=_date_input(),
    )


# No-surprises notices ------------------------------------------------------------------------


class NoticeForm(VersionedModelForm):
    raised_by = _body_field("Raised by", help_text="The body telling the other.")

    class Meta:
        model = NoSurprisesNotice
        fields = [
            "raised_by",
            "kind",
            "commitment_type",
            "subject",
            "details",
            "planned_on",
            "urgent",
            "urgent_reason",
            "told_on",
            "told_whom",
            "acknowledged_on",
            "outcome",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "details": _text(4),
            "planned_on": _date_input(),
            "told_on": _date_input(),
            "acknowledged_on": _date_input(),
            "urgent_reason": _text(3),
            "outcome": _text(3),
        }
        labels = {"urgent": "Urgent action taken before the other body could be told"}
        error_messages = {
            "kind": {"required": "Choose the kind of notice."},
            "subject": {"required": "Enter the subject."},
            "planned_on": {"required": "Enter the planned date of the announcement or commitment."},
        }
        help_texts = {
            "planned_on": "The date of the announcement or commitment.",
            "urgent": "Urgent action is never delayed: record it afterwards and tick this.",
            "told_on": "Leave blank if they have not been told yet.",
            "told_whom": "Name and role.",
            "acknowledged_on": "When the other body acknowledged it.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = selectors.bodies()
        self.fields["commitment_type"].choices = [
            ("", "Not a commitment"),
            *self.fields["commitment_type"].choices[1:],
        ]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("raised_by", _user_body(user))

    def clean(self) -> dict[str, Any]:
        """The rules the database also enforces, shown on their fields."""
        cleaned = super().clean()
        kind, commitment = cleaned.get("kind"), cleaned.get("commitment_type")
        if kind == NoticeKind.COMMITMENT and not commitment:
            self.add_error("commitment_type", COMMITMENT_TYPE_NEEDED)
        elif kind and kind != NoticeKind.COMMITMENT and commitment:
            self.add_error("commitment_type", COMMITMENT_TYPE_ONLY)
        if cleaned.get("urgent") and not (cleaned.get("urgent_reason") or "").strip():
            self.add_error("urgent_reason", URGENT_REASON_NEEDED)
        if not cleaned.get("urgent"):
            cleaned["urgent_reason"] = ""
        told, acknowledged = cleaned.get("told_on"), cleaned.get("acknowledged_on")
        if acknowledged and not told:
            self.add_error("acknowledged_on", ACKNOWLEDGED_NOT_TOLD)
        elif acknowledged and told and acknowledged < told:
            self.add_error("acknowledged_on", ACKNOWLEDGED_BEFORE_TOLD)
        return cleaned


class NoticeCreateForm(NoticeForm):
    version = None


# Escalations ---------------------------------------------------------------------------------


class EscalationCreateForm(Form):
    subject = forms.CharField(
        label="Subject", max_length=300, error_messages={"required": "Enter the subject."}
    )
    description = forms.CharField(
        label="What the disagreement is about", required=False, widget=_text(4)
    )
    raised_by = _body_field("Raised by")
    raised_on = forms.DateField(label="Date raised", widget=_date_input())
    raising_body_position = forms.CharField(
        label="Position of the body that raised it",
        widget=_text(3),
        error_messages={"required": "Say what the body that raised it wants."},
    )
    other_body_position = forms.CharField(
        label="Position of the other body", required=False, widget=_text(3)
    )
    held_by = forms.CharField(
        label="Relevant senior managers holding it",
        max_length=300,
        help_text="Names and roles, from each body.",
    )
    target_on = forms.DateField(
        label="Target date",
        help_text="When they aim to settle it.",
        widget=_date_input(),
        error_messages={"required": "Enter the target date."},
    )
    notes = forms.CharField(label="Notes", required=False, widget=_text(3))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = selectors.bodies()
        if not self.is_bound:
            self.initial.setdefault("raised_by", _user_body(user))
            self.initial.setdefault("raised_on", timezone.localdate())


class EscalationForm(VersionedModelForm):
    raised_by = _body_field("Raised by")

    class Meta:
        model = Escalation
        fields = [
            "subject",
            "description",
            "raised_by",
            "raising_body_position",
            "other_body_position",
        ]
        widgets = {
            "description": _text(4),
            "raising_body_position": _text(3),
            "other_body_position": _text(3),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = selectors.bodies()


class EscalateForm(Form):
    """The next step: to the next level only (the level is fixed by the page)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    level = forms.ChoiceField(choices=EscalationLevel.choices, widget=forms.HiddenInput)
    reached_on = forms.DateField(
        label="Date it reached this level",
        required=False,
        help_text="Leave blank for today.",
        widget=_date_input(),
    )
    held_by = forms.CharField(
        label="Who holds it", max_length=300, error_messages={"required": "Say who holds it."}
    )
    target_on = forms.DateField(
        label="Target date",
        widget=_date_input(),
        error_messages={"required": "Enter the target date."},
    )
    notes = forms.CharField(label="Notes", required=False, widget=_text(3))

    def clean_reached_on(self) -> datetime.date:
        return self.cleaned_data.get("reached_on") or timezone.localdate()


class StepForm(VersionedModelForm):
    class Meta:
        model = EscalationStep
        fields = ["held_by", "target_on", "notes"]
        widgets = {"target_on": _date_input(), "notes": _text(3)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        target = cleaned.get("target_on")
        if target and target < self.instance.reached_on:
            self.add_error("target_on", TARGET_BEFORE_REACHED)
        return cleaned


class ResolveForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    resolution = forms.CharField(
        label="How was it resolved?",
        widget=_text(4),
        error_messages={"required": RESOLUTION_NEEDED},
    )
    resolved_on = forms.DateField(
        label="Date resolved",
        required=False,
        help_text="Leave blank for today.",
        widget=_date_input(),
    )


class WithdrawForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why is it withdrawn?",
        widget=_text(4),
        error_messages={"required": WITHDRAWAL_REASON_NEEDED},
    )
    withdrawn_on = forms.DateField(
        label="Date withdrawn",
        required=False,
        help_text="Leave blank for today.",
        widget=_date_input(),
    )


class LogReviewForm(Form):
    reviewed_on = forms.DateField(label="Date you reviewed the log", widget=_date_input())
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=_text(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", timezone.localdate())


# Shared risks --------------------------------------------------------------------------------


class RiskForm(VersionedModelForm):
    raised_by = _body_field("Raised by")
    owner_body = _body_field("Owner", help_text="The body that owns the risk.")
    likelihood = forms.TypedChoiceField(label="Likelihood", choices=LIKELIHOOD, coerce=int)
    impact = forms.TypedChoiceField(label="Impact", choices=IMPACT, coerce=int)

    class Meta:
        model = SharedRisk
        fields = [
            "title",
            "description",
            "raised_by",
            "owner_body",
            "likelihood",
            "impact",
            "review_on",
            "status",
        ]
        widgets = {
            "description": _text(4),
            "review_on": _date_input(),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("raised_by", "owner_body"):
            self.fields[name].queryset = selectors.bodies()
        self.fields["likelihood"].choices = [("", "Choose"), *LIKELIHOOD]
        self.fields["impact"].choices = [("", "Choose"), *IMPACT]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("raised_by", _user_body(user))
            self.initial.setdefault("status", RiskStatus.OPEN)


class RiskCreateForm(RiskForm):
    version = None


class MitigationForm(VersionedModelForm):
    owner = UserChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the owner."},
    )

    class Meta:
        model = Mitigation
        fields = ["description", "owner", "agreed_on", "due_on", "status"]
        widgets = {
            "description": _text(2),
            "agreed_on": _date_input(),
            "due_on": _date_input(),
            "status": forms.RadioSelect,
        }
        help_texts = {"agreed_on": "When both bodies agreed it."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.body_users(
            including=self.instance.owner_id if self.instance.pk else None
        )
        self.fields["owner"].empty_label = "Choose the owner"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("status", MitigationStatus.PLANNED)


class MitigationCreateForm(MitigationForm):
    version = None
