"""Report forms in the Design System. They parse and check input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import User
from partnerships.models import NationalOutcome
from scrutiny.forms import ArchiveForm, Form, VersionedModelForm

from ..forms import UserMultipleChoiceField
from ..models import (
    EvaluationLevel,
    EvidenceActivity,
    FactualAccuracyComment,
    FactualAccuracyResponse,
    Finding,
    FindingKind,
    FindingStatus,
    Inspection,
    PanelOutcome,
    QualityIndicator,
)
from . import figures, services


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "ds_input--fixed-10"})


class IndicatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: QualityIndicator) -> str:
        return str(obj)


class CitedQuestionField(forms.ModelMultipleChoiceField):
    """Record-reading questions, each labelled with its current figure."""

    results: dict[int, Any] = {}

    def label_from_instance(self, obj) -> str:
        return f"{obj.number} {obj.text} — {figures.figure_of(self.results.get(obj.pk))}"


class OutcomeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: NationalOutcome) -> str:
        return f"{obj.number}. {obj.outcome}"


class LevelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EvaluationLevel) -> str:
        return f"{obj.value}: {obj.label}"


# Findings ------------------------------------------------------------------------------------


class FindingFilterForm(Form):
    optional_unmarked = True

    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds")])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Draft or agreed")])
    indicator = forms.ModelChoiceField(
        label="Quality indicator", required=False, queryset=None, empty_label="All indicators"
    )
    archived = forms.BooleanField(label="Include archived findings", required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds"), *FindingKind.choices]
        self.fields["status"].choices = [("", "Draft or agreed"), *FindingStatus.choices]
        self.fields["indicator"].queryset = inspection.quality_indicators.order_by(
            "order", "number"
        )

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "quality_indicator": data.get("indicator"),
            "include_archived": bool(data.get("archived")),
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class FindingForm(VersionedModelForm):
    quality_indicators = IndicatorField(
        label="Quality indicators",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The indicators in scope that this finding is about.",
        error_messages={"required": services.INDICATOR_NEEDED},
    )
    evidence_activities = forms.ModelMultipleChoiceField(
        label="Evidence that supports it",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    cited_questions = CitedQuestionField(
        label="Record-reading results that support it",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each question with its figure as it stands now (completed records only).",
    )
    national_outcomes = OutcomeField(
        label="National health and wellbeing outcomes",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Finding
        fields = [
            "kind",
            "text",
            "quality_indicators",
            "evidence_activities",
            "cited_questions",
            "national_outcomes",
        ]
        labels = {"kind": "Kind of finding", "text": "Finding"}
        widgets = {"kind": forms.RadioSelect, "text": _textarea(6)}
        error_messages = {
            "kind": {"required": services.KIND_NEEDED},
            "text": {"required": services.TEXT_NEEDED},
        }

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FindingKind.choices  # no blank choice among the radios
        self.fields["quality_indicators"].queryset = inspection.quality_indicators.filter(
            archived_at__isnull=True
        ).order_by("order", "number", "pk")
        self.fields["evidence_activities"].queryset = EvidenceActivity.objects.filter(
            inspection=inspection, archived_at__isnull=True
        ).order_by("starts_on", "pk")
        questions = self.fields["cited_questions"]
        questions.queryset = figures.citable_questions(inspection)
        questions.results = figures.results_by_question(inspection)
        self.fields["national_outcomes"].queryset = NationalOutcome.objects.filter(
            archived_at__isnull=True
        ).order_by("number")
        if not questions.queryset.exists():
            del self.fields["cited_questions"]  # the programme has no record review template
        if not self.fields["evidence_activities"].queryset.exists():
            del self.fields["evidence_activities"]  # no evidence recorded yet

    def relations(self) -> dict[str, list]:
        return {
            name: list(self.cleaned_data.get(name) or [])
            for name in (
                "quality_indicators",
                "evidence_activities",
                "cited_questions",
                "national_outcomes",
            )
            if name in self.fields
        }

    def changes(self) -> dict[str, Any]:
        return {"kind": self.cleaned_data["kind"], "text": self.cleaned_data["text"]}


class FindingCreateForm(FindingForm):
    version = None


class VersionForm(Form):
    """A one-button step on a record (agreeing a finding): carries the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FindingArchiveForm(ArchiveForm):
    pass


# Evaluations ---------------------------------------------------------------------------------


class _StepForm(Form):
    """Every step carries the id of the chain's last link as the user saw it (0: none)."""

    step = ""
    previous = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, last_id: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("previous", last_id or 0)
        super().__init__(*args, **kwargs)

    @property
    def expected_last(self) -> int | None:
        return self.cleaned_data.get("previous") or None


class ProposeForm(_StepForm):
    step = "propose"
    level = LevelField(
        label="The team's proposed grade",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": services.LEVEL_NEEDED},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=_textarea(6),
        help_text="Why the evidence supports this grade.",
        error_messages={"required": services.RATIONALE_NEEDED},
    )

    def __init__(self, *args: Any, levels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels


class PanelForm(_StepForm):
    step = "panel"
    outcome = forms.ChoiceField(
        label="The panel's decision",
        choices=PanelOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.OUTCOME_NEEDED},
    )
    level = LevelField(
        label="The panel's grade",
        required=False,
        queryset=None,
        empty_label="Choose a grade",
        help_text="Only if the panel changed the grade.",
    )
    reason = forms.CharField(
        label="The panel's reason",
        required=False,
        widget=_textarea(4),
        help_text="Needed when the panel changed the grade.",
    )
    panel_members = UserMultipleChoiceField(
        label="Panel members",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.PANEL_MEMBERS_NEEDED},
    )
    panel_date = forms.DateField(
        label="Date of the panel",
        widget=_date_input(),
        error_messages={"required": services.PANEL_DATE_NEEDED},
    )

    def __init__(self, *args: Any, levels, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        agencies = [
            inspection.lead_agency_id,
            *inspection.programme.partner_agencies.values_list("pk", flat=True),
        ]
        self.fields["panel_members"].queryset = (
            User.objects.filter(is_active=True, agency_id__in=agencies)
            .select_related("agency")
            .order_by("full_name")
        )
        self.fields[
            "panel_members"
        ].help_text = (
            "People from the agencies involved who sat on the quality and consistency panel."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("outcome") == PanelOutcome.CHANGED:
            if not cleaned.get("level"):
                self.add_error("level", services.PANEL_LEVEL_NEEDED)
            if not (cleaned.get("reason") or "").strip():
                self.add_error("reason", services.PANEL_REASON_NEEDED)
        on = cleaned.get("panel_date")
        if on and on > timezone.localdate():
            self.add_error("panel_date", services.PANEL_DATE_IN_FUTURE)
        return cleaned


class FinaliseForm(_StepForm):
    step = "finalise"


class ReopenForm(_StepForm):
    step = "reopen"
    reason = forms.CharField(
        label="Why is moderation being reopened?",
        widget=_textarea(4),
        help_text="This is kept in the evaluation's chain. The final grade stays on record.",
        error_messages={"required": services.REOPEN_REASON_NEEDED},
    )


STEP_FORMS = {
    "propose": ProposeForm,
    "panel": PanelForm,
    "finalise": FinaliseForm,
    "reopen": ReopenForm,
}


# Factual accuracy ----------------------------------------------------------------------------


class FactualAccuracyCommentForm(VersionedModelForm):
    class Meta:
        model = FactualAccuracyComment
        fields = ["report_reference", "comment"]
        labels = {
            "report_reference": "Where in the draft report",
            "comment": "The partnership's comment",
        }
        widgets = {"comment": _textarea(5)}
        error_messages = {
            "report_reference": {"required": services.REFERENCE_NEEDED},
            "comment": {"required": services.COMMENT_NEEDED},
        }

    def changes(self) -> dict[str, Any]:
        return {
            "report_reference": self.cleaned_data["report_reference"],
            "comment": self.cleaned_data["comment"],
        }


class FactualAccuracyCommentCreateForm(FactualAccuracyCommentForm):
    version = None


class FactualAccuracyResponseForm(VersionedModelForm):
    class Meta:
        model = FactualAccuracyComment
        fields = ["response", "response_text", "change_made"]
        labels = {
            "response": "The team's response",
            "response_text": "Why",
            "change_made": "Change made to the report",
        }
        help_texts = {
            "response_text": "Needed unless the comment is accepted in full.",
            "change_made": "Leave blank if nothing changed.",
        }
        widgets = {
            "response": forms.RadioSelect,
            "response_text": _textarea(4),
            "change_made": _textarea(4),
        }
        error_messages = {"response": {"required": services.RESPONSE_NEEDED}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["response"]
        field.required = True
        field.choices = FactualAccuracyResponse.choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        response = cleaned.get("response")
        if (
            response
            and response != FactualAccuracyResponse.ACCEPTED
            and not (cleaned.get("response_text") or "").strip()
        ):
            self.add_error("response_text", services.RESPONSE_TEXT_NEEDED)
        return cleaned


class CommentArchiveForm(ArchiveForm):
    pass


# Publication ---------------------------------------------------------------------------------


class CorrectionForm(Form):
    reason = forms.CharField(
        label="Why is this correction published?",
        widget=_textarea(4),
        help_text="Shown with the new version. The versions already published stay as they were.",
        error_messages={"required": services.CORRECTION_REASON_NEEDED},
    )
