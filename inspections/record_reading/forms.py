"""Record reading forms in the Design System. They parse and check input; the services decide
(and say which answers are missing or wrong, so messages are defined once)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from scrutiny.forms import ArchiveForm, Form

from ..forms import UserChoiceField
from ..models import AnswerType, ReadingStatus, RecordAgency, RecordReviewTemplate
from ..models.record_reading import NO, NOT_APPLICABLE, YES
from . import selectors, services
from .selectors import NOT_APPLICABLE_LABEL, RECORD_ORDERINGS, answer_display, grade_label

if TYPE_CHECKING:
    from ..models import Inspection, RecordAnswer, ReviewedRecord, TemplateQuestion

SORT_LABELS = {
    "reference": "Reference (A to Z)",
    "-reference": "Reference (Z to A)",
    "agency": "Agency",
    "reader": "Reader (A to Z)",
    "status": "Status",
    "-updated": "Last changed (newest first)",
    "updated": "Last changed (oldest first)",
}
REFERENCE_HINT = (
    "The record's case reference in the agency's system, for example SW/2025/0412. "
    "Never a person's name."
)
READER_HINT = "A team member cleared to see the inspection's evidence."


def _reader_field(inspection: Inspection, *, label: str, empty: str) -> UserChoiceField:
    return UserChoiceField(
        label=label,
        required=False,
        queryset=selectors.sample_readers(inspection=inspection),
        empty_label=empty,
        help_text=READER_HINT,
    )


class _TemplateMixin:
    """A choice of template only when the programme has more than one."""

    def _setup_template(self, inspection: Inspection) -> None:
        templates = selectors.template_for(inspection=inspection)
        self.fields["template"].queryset = templates
        self.only_template = templates.first() if templates.count() == 1 else None
        if self.only_template is not None:
            self.fields["template"].widget = forms.HiddenInput()
            self.fields["template"].required = False

    def template(self) -> RecordReviewTemplate:
        return self.cleaned_data.get("template") or self.only_template


def _template_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Record review template",
        queryset=RecordReviewTemplate.objects.none(),
        empty_label="Choose a template",
        error_messages={"required": "Choose the record review template."},
    )


def _agency_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Agency holding the record",
        choices=RecordAgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agency holding the record."},
    )


# The sample ----------------------------------------------------------------------------------


class RecordFilterForm(Form):
    optional_unmarked = True

    agency = forms.ChoiceField(
        label="Agency", required=False, choices=[("", "All agencies"), *RecordAgency.choices]
    )
    reader = UserChoiceField(
        label="Reader", required=False, queryset=None, empty_label="Any reader"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *ReadingStatus.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(k, v) for k, v in SORT_LABELS.items() if k in RECORD_ORDERINGS],
    )
    mine = forms.BooleanField(label="Only records I read", required=False)
    unassigned = forms.BooleanField(label="Only records with no reader", required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reader"].queryset = selectors.sample_readers(inspection=inspection)

    def selector_kwargs(self, user) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        reader = data.get("reader")
        if data.get("mine"):
            reader = user
        return {
            "agency": data.get("agency") or None,
            "reader": reader,
            "status": data.get("status") or None,
            "unassigned": bool(data.get("unassigned")),
            "ordering": data.get("sort") or "reference",
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(n) for n in self.fields if n != "sort")


class RecordAddForm(_TemplateMixin, Form):
    reference = forms.CharField(
        label="Record reference",
        max_length=40,
        help_text=REFERENCE_HINT,
        error_messages={"required": "Enter the record's reference."},
    )
    agency = _agency_field()
    template = _template_field()
    reader = forms.Field()  # replaced in __init__

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reader"] = _reader_field(inspection, label="Reader", empty="No one yet")
        self._setup_template(inspection)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reference": data["reference"],
            "agency": data["agency"],
            "template": self.template(),
            "reader": data.get("reader"),
        }


class RecordBulkAddForm(_TemplateMixin, Form):
    references = forms.CharField(
        label="Record references",
        help_text="One reference per line, all held by the agency chosen below. Never a "
        "person's name. Blank lines are ignored.",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        error_messages={"required": services.NO_REFERENCES},
    )
    agency = _agency_field()
    template = _template_field()
    reader = forms.Field()

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reader"] = _reader_field(
            inspection, label="Reader for all of them", empty="No one yet"
        )
        self._setup_template(inspection)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "references": data["references"],
            "agency": data["agency"],
            "template": self.template(),
            "reader": data.get("reader"),
        }


class RecordAssignForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reader = forms.Field()

    def __init__(self, *args: Any, record: ReviewedRecord, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": record.version, "reader": record.reader_id})
        super().__init__(*args, **kwargs)
        self.fields["reader"] = _reader_field(record.inspection, label="Reader", empty="No one")


class RecordArchiveForm(ArchiveForm):
    reason = forms.CharField(
        label="Why is this record leaving the sample?",
        help_text="Its answers are kept in its history and stop counting in the results.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )


# Entering answers ----------------------------------------------------------------------------


def _choices(question: TemplateQuestion, answer: RecordAnswer | None) -> list[tuple[str, str]]:
    if question.answer_type == AnswerType.YES_NO:
        choices = [(YES, "Yes"), (NO, "No")]
    elif question.answer_type == AnswerType.CHOICE:
        choices = [(str(c.pk), c.label) for c in question.choices.all()]
        if answer is not None and answer.choice_id and answer.choice.archived_at is not None:
            choices.append((str(answer.choice_id), f"{answer.choice.label} (no longer offered)"))
    else:
        choices = [(str(g), grade_label(g)) for g in sorted(services.GRADES, reverse=True)]
    if services.offers_not_applicable(question):
        choices.append((NOT_APPLICABLE, NOT_APPLICABLE_LABEL))
    return choices


class RecordAnswersForm(Form):
    """Every question of the record's template, grouped by section. Nothing is required here:
    a draft may be partial, and the service says what marking complete still needs."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        record: ReviewedRecord,
        questions: list[TemplateQuestion],
        saved: dict[int, RecordAnswer],
        **kwargs: Any,
    ) -> None:
        initial = {"version": record.version}
        for q in questions:
            initial[services.answer_field(q.pk)] = services.answer_token(q, saved.get(q.pk))
        super().__init__(*args, initial=initial, **kwargs)
        self.questions = questions
        for q in questions:
            name = services.answer_field(q.pk)
            self.fields[name] = self._field(q, saved.get(q.pk))
            if q.help_text and q.answer_type == AnswerType.TEXT:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"
        self.conflict_rows: list[tuple[str, str]] = []

    def _field(self, question: TemplateQuestion, answer: RecordAnswer | None) -> forms.Field:
        label = f"{question.number} {question.text}".strip()
        if question.answer_type == AnswerType.TEXT:
            return forms.CharField(
                label=label,
                required=False,
                max_length=services.TEXT_LIMIT,
                help_text=question.help_text,
                widget=forms.Textarea(attrs={"rows": 3, "class": "ds_input"}),
                error_messages={
                    "max_length": services.ANSWER_TOO_LONG.format(
                        number=question.number, limit=services.TEXT_LIMIT
                    )
                },
            )
        wrong = {
            AnswerType.YES_NO: services.ANSWER_YES_NO,
            AnswerType.CHOICE: services.ANSWER_CHOICE,
            AnswerType.SIX_POINT: services.ANSWER_GRADE,
        }[question.answer_type].format(number=question.number)
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=_choices(question, answer),
            help_text=question.help_text,
            widget=forms.RadioSelect(attrs={"class": "ds_radio__input"}),
            error_messages={"invalid_choice": wrong},
        )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """(section, its questions' bound fields), in reading order."""
        grouped: list[tuple[Any, list[forms.BoundField]]] = []
        for q in self.questions:
            if not grouped or grouped[-1][0].pk != q.section_id:
                grouped.append((q.section, []))
            grouped[-1][1].append(self[services.answer_field(q.pk)])
        return grouped

    def answers(self) -> dict[int, str]:
        return {
            q.pk: self.cleaned_data.get(services.answer_field(q.pk), "") for q in self.questions
        }

    def error_summary(self) -> list[tuple[str, str]]:
        """Link each error to the question's first input (a radio group's first radio)."""
        items = [("", str(e)) for e in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            anchor = bound.auto_id
            if bound.widget_type == "radioselect":
                anchor = f"{anchor}_0"
            items += [(f"#{anchor}", str(error)) for error in bound.errors]
        return items

    def show_conflict(self, current: ReviewedRecord, saved: dict[int, RecordAnswer]) -> None:
        """Keep every answer typed, say what happened, show the answers saved meanwhile that
        differ, and move onto the current version so that saving again is deliberate."""
        from scrutiny.services import CONFLICT_MESSAGE

        self.add_error(None, CONFLICT_MESSAGE)
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        rows = []
        for q in self.questions:
            mine = str(self.data.get(self.add_prefix(services.answer_field(q.pk)), "")).strip()
            theirs = services.answer_token(q, saved.get(q.pk))
            if mine != theirs:
                shown = answer_display(q, saved.get(q.pk)) or "(not answered)"
                rows.append((f"{q.number} {q.text}".strip(), shown))
        self.conflict_rows = rows


# Results -------------------------------------------------------------------------------------


class ResultsFilterForm(Form):
    optional_unmarked = True

    agency = forms.ChoiceField(
        label="Agency holding the records",
        required=False,
        choices=[("", "All agencies"), *RecordAgency.choices],
    )
    drafts = forms.BooleanField(
        label="Include records still in draft",
        required=False,
        help_text="Results count records marked complete unless this is ticked.",
    )

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "agency": data.get("agency") or None,
            "complete_only": not data.get("drafts"),
        }
