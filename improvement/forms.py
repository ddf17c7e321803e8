"""Forms for support assessments and decisions, improvement plans and their actions, progress
reviews and improvement support. They parse and check input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from inspections.models import Finding, Inspection
from scrutiny.forms import WIDGET_CLASSES, Form, VersionedModelForm

from . import selectors
from .models import (
    ActionStatus,
    ImprovementPlan,
    ImprovementSupport,
    ProgressJudgement,
    ProgressUpdate,
    RecordStatus,
    ReviewKind,
    ReviewStatus,
    SupportDecision,
    SupportLevel,
    SupportProvider,
    SupportStatus,
)

MET_CHOICES = [("yes", "Met"), ("no", "Not met")]
JUDGE_EVERY_CRITERION_MESSAGE = "Say whether this criterion is met."

FORMAL_REVIEW_HINT = (
    "Assisted and directed support only. Assisted support brings an agreed formal progress "
    "review; directed support brings formal monitoring at agreed regular intervals with a fixed "
    "date for the formal review. Agreeing the decision schedules them."
)
INTERVAL_HINT = (
    "Directed support only: formal monitoring every this many months (1 to 12) from the day "
    "the decision is agreed until the formal progress review."
)
REVISION_REASON_LABEL = "Reason for revising the agreed plan"
REVISION_REASON_HINT = (
    "The plan has been agreed, so this change is a numbered revision of it. The reason is kept "
    "with the revision and in the plan's history."
)
REVISION_REASON_REQUIRED = "Say why the agreed plan is being revised."


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "ds_input--fixed-10"})


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _style(field: forms.Field) -> None:
    """The Design System class for a field added after the mixin styled the others."""
    widget = field.widget
    kind = widget.__class__.__name__.lower().removesuffix("input")
    widget.attrs["class"] = " ".join(
        filter(None, [widget.attrs.get("class"), WIDGET_CLASSES.get(kind, "ds_input")])
    )


def _revision_reason_field() -> forms.CharField:
    field = forms.CharField(
        label=REVISION_REASON_LABEL,
        help_text=REVISION_REASON_HINT,
        max_length=2000,
        widget=_text(3),
        error_messages={"required": REVISION_REASON_REQUIRED},
    )
    _style(field)
    return field


class RevisionReasonMixin:
    """Adds the required "Reason for revising the agreed plan" when the plan is agreed."""

    def add_revision_reason(self, plan: ImprovementPlan) -> None:
        self.revises_agreed_plan = plan.is_agreed
        if plan.is_agreed:
            self.fields["revision_reason"] = _revision_reason_field()

    def revision_reason(self) -> str | None:
        return self.cleaned_data.get("revision_reason") if self.revises_agreed_plan else None


# Support assessments and decisions -----------------------------------------------------------


class AssessmentForm(Form):
    """The assessment's details and, for every criterion grouped by condition, met or not met
    with an evidence note."""

    assessed_on = forms.DateField(label="Date of the assessment")
    inspection = forms.ModelChoiceField(
        label="Inspection it follows",
        queryset=Inspection.objects.none(),
        required=False,
        help_text="Leave blank if it does not follow an inspection.",
    )
    status = forms.ChoiceField(
        label="Status", choices=RecordStatus.choices, widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, partnership, conditions, assessment=None, **kwargs: Any):
        self.conditions = conditions
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("status", RecordStatus.DRAFT)
        if assessment is not None:
            initial.update(
                assessed_on=assessment.assessed_on,
                inspection=assessment.inspection,
                status=assessment.status,
                version=assessment.version,
            )
            for judgement in assessment.judgements.all():
                initial[f"met_{judgement.criterion_id}"] = "yes" if judgement.met else "no"
                initial[f"evidence_{judgement.criterion_id}"] = judgement.evidence
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.filter(
            partnership=partnership, archived_at__isnull=True
        ).order_by("-pk")
        for condition in conditions:
            for criterion in condition.criteria.all():
                self.fields[f"met_{criterion.pk}"] = forms.ChoiceField(
                    label=f"{criterion.number} {criterion.text}",
                    choices=MET_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": JUDGE_EVERY_CRITERION_MESSAGE},
                )
                self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                    label=f"Evidence for {criterion.number}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        # The Design System classes for the fields added above.
        for name, field in self.fields.items():
            if name.startswith(("met_", "evidence_")):
                kind = field.widget.__class__.__name__.lower().removesuffix("input")
                field.widget.attrs["class"] = WIDGET_CLASSES.get(kind, "ds_input")

    def groups(self) -> list[tuple[Any, list[tuple[forms.BoundField, forms.BoundField]]]]:
        return [
            (
                condition,
                [(self[f"met_{c.pk}"], self[f"evidence_{c.pk}"]) for c in condition.criteria.all()],
            )
            for condition in self.conditions
        ]

    def judgements(self) -> dict[int, tuple[bool, str]]:
        return {
            criterion.pk: (
                self.cleaned_data[f"met_{criterion.pk}"] == "yes",
                self.cleaned_data.get(f"evidence_{criterion.pk}", "").strip(),
            )
            for condition in self.conditions
            for criterion in condition.criteria.all()
        }

    def changes(self) -> dict[str, Any]:
        return {
            "assessed_on": self.cleaned_data["assessed_on"],
            "inspection": self.cleaned_data.get("inspection"),
            "status": self.cleaned_data["status"],
        }


class DecisionForm(Form):
    level = forms.ModelChoiceField(
        label="Level of support",
        queryset=SupportLevel.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    second_level = forms.ModelChoiceField(
        label="Between this level and",
        queryset=SupportLevel.objects.none(),
        required=False,
        help_text="Only if the partnership sits between two adjacent levels.",
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required when the level decided differs from the recommendation.",
    )
    formal_review_on = forms.DateField(
        label="Date of the formal progress review",
        required=False,
        help_text=FORMAL_REVIEW_HINT,
        widget=_date_input(),
    )
    monitoring_interval_months = forms.IntegerField(
        label="Monitoring interval (months)",
        required=False,
        min_value=1,
        max_value=12,
        help_text=INTERVAL_HINT,
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-2"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, decision=None, recommended=None, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        if decision is not None:
            initial.update(
                level=decision.level,
                second_level=decision.second_level,
                rationale=decision.rationale,
                formal_review_on=decision.formal_review_on,
                monitoring_interval_months=decision.monitoring_interval_months,
                version=decision.version,
            )
        elif recommended is not None:
            initial.setdefault("level", recommended)
        super().__init__(*args, **kwargs)
        levels = SupportLevel.objects.filter(archived_at__isnull=True).order_by("order")
        self.fields["level"].queryset = levels
        self.fields["second_level"].queryset = levels

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "level": data["level"],
            "second_level": data.get("second_level"),
            "rationale": data.get("rationale", ""),
            "formal_review_on": data.get("formal_review_on"),
            "monitoring_interval_months": data.get("monitoring_interval_months"),
        }


class ReopenForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why are you reopening this decision?",
        help_text="This is kept in the decision's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )


class AgreeForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(Form):
    """A confirmation with nothing to fill in but the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# Improvement plans --------------------------------------------------------------------------


class PlanForm(Form):
    inspection = forms.ModelChoiceField(
        label="Published inspection it answers", queryset=Inspection.objects.none()
    )
    title = forms.CharField(label="Title", max_length=200)

    def __init__(self, *args: Any, inspections, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections


class PlanEditForm(RevisionReasonMixin, Form):
    title = forms.CharField(label="Title", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, plan: ImprovementPlan, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("title", plan.title)
        initial.setdefault("version", plan.version)
        super().__init__(*args, **kwargs)
        self.add_revision_reason(plan)


class PlanAgreeForm(Form):
    agreed_on = forms.DateField(label="Date agreed", widget=_date_input())
    agreed_by = forms.CharField(
        label="Agreed by: name",
        max_length=100,
        help_text="Who agreed the plan for the partnership, for example its chief officer.",
    )
    agreed_by_organisation = forms.CharField(label="Agreed by: organisation", max_length=95)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def who_agreed(self) -> str:
        data = self.cleaned_data
        return f"{data['agreed_by'].strip()}, {data['agreed_by_organisation'].strip()}"


class ActionForm(RevisionReasonMixin, Form):
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.ModelMultipleChoiceField(
        label="Areas for improvement and recommendations it answers",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner_name = forms.CharField(label="Owner's name", max_length=200)
    owner_organisation = forms.CharField(label="Owner's organisation", max_length=200)
    due_on = forms.DateField(label="Due date")
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, findings, plan: ImprovementPlan, action=None, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("status", ActionStatus.NOT_STARTED)
        if action is not None:
            initial.update(
                description=action.description,
                findings=list(action.findings.all()),
                owner_name=action.owner_name,
                owner_organisation=action.owner_organisation,
                due_on=action.due_on,
                status=action.status,
                version=action.version,
            )
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = findings
        self.fields["findings"].label_from_instance = lambda f: f"{f.get_kind_display()}: {f.text}"
        if action is not None and plan.is_agreed:
            # A change of status is progress, not a revision: it has its own page.
            del self.fields["status"]
        self.add_revision_reason(plan)

    def changes(self) -> dict[str, Any]:
        names = ("description", "owner_name", "owner_organisation", "due_on", "status")
        return {name: self.cleaned_data[name] for name in names if name in self.fields}


class ActionStatusForm(Form):
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionArchiveForm(RevisionReasonMixin, Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, plan: ImprovementPlan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.add_revision_reason(plan)


class ProgressForm(Form):
    updated_on = forms.DateField(label="Date of the update")
    progress = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProgressEditForm(VersionedModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["updated_on", "progress", "evidence"]
        labels = {"updated_on": "Date of the update"}
        widgets = {"updated_on": _date_input(), "progress": _text(4), "evidence": _text(3)}


# Progress reviews ----------------------------------------------------------------------------


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SupportDecision) -> str:
        between = f" / {obj.second_level.name.lower()}" if obj.second_level_id else ""
        agreed = f", agreed {obj.agreed_at:%d %B %Y}" if obj.agreed_at else ""
        return f"{obj.level.name}{between}{agreed}"


class ReviewScheduleForm(Form):
    kind = forms.ChoiceField(
        label="Kind of review", choices=ReviewKind.choices, widget=forms.RadioSelect
    )
    due_on = forms.DateField(label="Date due", widget=_date_input())
    decision = DecisionChoiceField(
        label="Support decision it follows",
        queryset=SupportDecision.objects.none(),
        required=False,
        empty_label="None",
        help_text="The agreed decision on the level of support this review belongs to, if any.",
    )

    def __init__(self, *args: Any, decisions, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("kind", ReviewKind.FORMAL)
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class ReviewRescheduleForm(Form):
    due_on = forms.DateField(label="New date due", widget=_date_input())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewRecordForm(Form):
    held_on = forms.DateField(label="Date held", widget=_date_input())
    attendees = forms.CharField(
        label="Who attended",
        widget=_text(3),
        max_length=5000,
        help_text="One person per line: their name, then a comma and their role and organisation.",
    )
    judgement = forms.ChoiceField(
        label="Judgement of progress", choices=ProgressJudgement.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(label="Notes", required=False, widget=_text(5))
    next_on = forms.DateField(
        label="Date of the next review",
        required=False,
        widget=_date_input(),
        help_text="If a next review was agreed, give its date: it is scheduled for you.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewCancelForm(Form):
    reason = forms.CharField(
        label="Why is the review cancelled?",
        help_text="This is kept with the review and in its history.",
        widget=_text(3),
        max_length=1000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# Lists ---------------------------------------------------------------------------------------


class ListFilterForm(Form):
    optional_unmarked = True  # every filter is optional; saying so on each is noise

    archived = forms.BooleanField(label="Include archived records", required=False)

    def values(self) -> dict[str, Any]:
        """The cleaned filters; an invalid form filters nothing."""
        return self.cleaned_data if self.is_valid() else {}

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields if name != "sort")


REVIEW_SORTS = {"due": ("due_on", "pk"), "-due": ("-due_on", "-pk")}


class ReviewFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *ReviewStatus.choices]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *ReviewKind.choices]
    )
    overdue = forms.BooleanField(label="Only overdue reviews", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("due", "Date due (earliest first)"), ("-due", "Date due (latest first)")],
    )
    field_order = ["status", "kind", "overdue", "sort", "archived"]

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            "status": data.get("status", ""),
            "kind": data.get("kind", ""),
            "overdue": data.get("overdue", False),
            "include_archived": data.get("archived", False),
        }

    def ordering(self) -> tuple[str, ...]:
        return REVIEW_SORTS.get(self.values().get("sort") or "due", REVIEW_SORTS["due"])


class SupportFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *SupportStatus.choices]
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        required=False,
        queryset=SupportProvider.objects.order_by("name"),
        empty_label="All providers",
    )
    field_order = ["status", "provider", "archived"]

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.values()
        return {
            "status": data.get("status", ""),
            "provider": data.get("provider"),
            "include_archived": data.get("archived", False),
        }


# Improvement support -------------------------------------------------------------------------


class SupportForm(VersionedModelForm):
    class Meta:
        model = ImprovementSupport
        fields = ["provider", "description", "plan", "starts_on", "ends_on", "status", "outcome"]
        labels = {
            "description": "Support to be given",
            "plan": "Improvement plan it serves",
            "starts_on": "Start date",
            "ends_on": "End date",
        }
        widgets = {
            "description": _text(4),
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "status": forms.RadioSelect,
            "outcome": _text(4),
        }
        help_texts = {
            "provider": "The national body or network giving the support.",
            "plan": "Leave blank if it serves no particular plan.",
            "outcome": "What the support achieved. Required before marking it complete.",
        }
        error_messages = {
            "provider": {"required": "Choose who gives the support."},
            "description": {"required": "Say what support is to be given."},
        }

    def __init__(self, *args: Any, plans, **kwargs: Any):
        super().__init__(*args, **kwargs)
        current = self.instance.provider if self.instance.provider_id else None
        self.fields["provider"].queryset = selectors.providers(include=current)
        self.fields["provider"].empty_label = "Choose a provider"
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = "None"
        self.fields["status"].choices = SupportStatus.choices
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("status", SupportStatus.PROPOSED)


class SupportCreateForm(SupportForm):
    version = None
