"""Forms for support assessments and decisions."""

from __future__ import annotations

from typing import Any

from django import forms

from inspections.models import Finding, Inspection
from scrutiny.forms import WIDGET_CLASSES, Form

from .models import ActionStatus, RecordStatus, SupportLevel

MET_CHOICES = [("yes", "Met"), ("no", "Not met")]
JUDGE_EVERY_CRITERION_MESSAGE = "Say whether this criterion is met."


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
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, decision=None, recommended=None, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        if decision is not None:
            initial.update(
                level=decision.level,
                second_level=decision.second_level,
                rationale=decision.rationale,
                version=decision.version,
            )
        elif recommended is not None:
            initial.setdefault("level", recommended)
        super().__init__(*args, **kwargs)
        levels = SupportLevel.objects.filter(archived_at__isnull=True).order_by("order")
        self.fields["level"].queryset = levels
        self.fields["second_level"].queryset = levels


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


# Improvement plans --------------------------------------------------------------------------


class PlanForm(Form):
    inspection = forms.ModelChoiceField(
        label="Published inspection it answers", queryset=Inspection.objects.none()
    )
    title = forms.CharField(label="Title", max_length=200)

    def __init__(self, *args: Any, inspections, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections


class ActionForm(Form):
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

    def __init__(self, *args: Any, findings, action=None, **kwargs: Any):
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

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("description", "owner_name", "owner_organisation", "due_on", "status")
        }


class ProgressForm(Form):
    updated_on = forms.DateField(label="Date of the update")
    progress = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
