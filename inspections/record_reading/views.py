"""Record reading pages: the sample, one page per record to enter every answer, the record's
History and the results. Each view parses input, checks permission, calls one service or
selector and renders or redirects. Record reading is evidence: anyone not cleared to see the
inspection's evidence gets "Page not found"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from scrutiny.forms import add_service_error
from scrutiny.history import BLANK, history_entries
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError
from scrutiny.views import csv_download

from ..models import (
    Inspection,
    QuestionChoice,
    ReadingStatus,
    RecordAnswer,
    ReviewedRecord,
    TemplateQuestion,
)
from ..policies import inspection_policy
from ..views import FORM_PAGE, _is_open
from . import selectors, services
from .forms import (
    RecordAddForm,
    RecordAnswersForm,
    RecordArchiveForm,
    RecordAssignForm,
    RecordBulkAddForm,
    RecordFilterForm,
    ResultsFilterForm,
)

SAMPLE_CSV_COLUMNS = [
    "Reference",
    "Agency holding the record",
    "Reader",
    "Status",
    "Questions answered",
    "Read on",
    "Record review template",
]
RESULTS_CSV_COLUMNS = [
    "Section",
    "Question number",
    "Question",
    "Answer type",
    "Answer",
    "Count",
    "Percent of applicable answers",
    "Applicable answers",
    "Not applicable",
    "Answered",
]
NO_TEMPLATE = (
    "The {programme} programme has no record review template yet. An administrator adds one "
    "in the administration site."
)


def _status(form) -> int:
    return 400 if form.errors else 200


def sample_url(inspection: Inspection | int) -> str:
    return reverse(
        "inspections:record_reading_sample", args=[getattr(inspection, "pk", inspection)]
    )


def record_url(record: ReviewedRecord) -> str:
    return reverse("inspections:record_reading_record", args=[record.pk])


def _crumbs(inspection: Inspection, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(sample_url(inspection), "Record reading"), *extra]


def _form_page(request, inspection: Inspection, form, *, crumbs=None, **context) -> HttpResponse:
    return render(
        request,
        FORM_PAGE,
        {
            "inspection_pk": inspection.pk,
            "inspection_title": str(inspection),
            "caption": f"Record reading: {inspection}",
            "crumbs": crumbs or _crumbs(inspection),
            "cancel_url": sample_url(inspection),
            "form": form,
            **context,
        },
        status=_status(form),
    )


def _lead_of_open(request: HttpRequest, inspection: Inspection) -> None:
    if not inspection_policy.can_lead(request.user, inspection):
        raise PermissionDenied


# The sample ----------------------------------------------------------------------------------


def _question_totals(records) -> dict[int, int]:
    """How many questions each template used on this page has (one query)."""
    template_ids = {r.template_id for r in records}
    rows = (
        TemplateQuestion.objects.filter(
            section__template__in=template_ids,
            archived_at__isnull=True,
            section__archived_at__isnull=True,
        )
        .values("section__template_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["section__template_id"]: row["n"] for row in rows}


def _sample_row(r) -> list:
    return [
        r.reference,
        r.get_agency_display(),
        r.reader.full_name if r.reader else "",
        r.get_status_display(),
        r.answered,
        r.read_on.isoformat() if r.read_on else "",
        r.template.name,
    ]


@login_required
@require_safe
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.evidence_inspection_get(user=request.user, pk=pk)
    form = RecordFilterForm(request.GET or None, inspection=inspection)
    records = selectors.record_list(
        user=request.user, inspection=inspection, **form.selector_kwargs(request.user)
    )
    if request.GET.get("format") == "csv":
        return csv_download(
            f"record-reading-sample-{inspection.pk}",
            SAMPLE_CSV_COLUMNS,
            records.iterator(chunk_size=500),
            _sample_row,
        )
    pagination = paginate(request, records)
    page_records = list(pagination.page.object_list)
    totals = _question_totals(page_records)
    for r in page_records:
        r.question_total = totals.get(r.template_id, 0)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    has_template = selectors.template_for(inspection=inspection).exists()
    return render(
        request,
        "inspections/record_reading/sample.html",
        {
            "page_title": f"Record reading: {inspection}",
            "inspection": inspection,
            "form": form,
            "pagination": pagination,
            "records": page_records,
            "counts": selectors.record_counts(inspection=inspection),
            "csv_url": f"?{query.urlencode()}",
            "filtered": form.filtered,
            "can_lead": inspection_policy.can_lead(request.user, inspection)
            and _is_open(inspection),
            "has_template": has_template,
            "no_template": NO_TEMPLATE.format(programme=inspection.programme),
        },
        status=_status(form),
    )


@login_required
def record_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.evidence_inspection_get(user=request.user, pk=pk)
    _lead_of_open(request, inspection)
    form = RecordAddForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_add(
                inspection=inspection, by=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{record} has been added to the sample.")
            return redirect(sample_url(inspection))
    return _form_page(
        request,
        inspection,
        form,
        page_title=f"Add a record to the sample: {inspection}",
        heading="Add a record to the sample",
        submit_label="Add record",
        intro=None
        if selectors.template_for(inspection=inspection).exists()
        else NO_TEMPLATE.format(programme=inspection.programme),
    )


@login_required
def records_add_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.evidence_inspection_get(user=request.user, pk=pk)
    _lead_of_open(request, inspection)
    form = RecordBulkAddForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.records_add_bulk(
                inspection=inspection, by=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"{len(added)} record{'' if len(added) == 1 else 's'} added to the sample."
            )
            return redirect(sample_url(inspection))
    return _form_page(
        request,
        inspection,
        form,
        page_title=f"Add many records to the sample: {inspection}",
        heading="Add many records to the sample",
        intro="Paste the references of records held by one agency. If any line is wrong, "
        "nothing is added and every wrong line is listed.",
        submit_label="Add records",
    )


def _record_for_lead(request: HttpRequest, pk: int) -> ReviewedRecord:
    record = selectors.record_get(user=request.user, pk=pk)
    _lead_of_open(request, record.inspection)
    return record


@login_required
def record_assign(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_lead(request, pk)
    inspection = record.inspection
    form = RecordAssignForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.record_assign(
                record=record,
                by=request.user,
                reader=form.cleaned_data["reader"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            who = updated.reader.full_name if updated.reader else "no one"
            messages.success(request, f"{record} is now given to {who}.")
            return redirect(sample_url(inspection))
    return _form_page(
        request,
        inspection,
        form,
        page_title=f"Choose who reads {record}",
        heading=f"Choose who reads {record}",
        summary_rows=[
            ("Agency holding the record", record.get_agency_display()),
            ("Current reader", record.reader.full_name if record.reader else "No one"),
            ("Status", record.get_status_display()),
        ],
        submit_label="Save reader",
    )


@login_required
def record_archive(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_lead(request, pk)
    form = RecordArchiveForm(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_archive(
                record=record,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{record} has been taken out of the sample.")
            return redirect(sample_url(record.inspection))
    return _form_page(
        request,
        record.inspection,
        form,
        crumbs=_crumbs(record.inspection, (record_url(record), str(record))),
        cancel_url=record_url(record),
        page_title=f"Take {record} out of the sample",
        heading=f"Take {record} out of the sample?",
        intro="Nothing is deleted: the record and its answers stay in its history, and an "
        "administrator can restore it.",
        submit_label="Take out of the sample",
        secondary=True,
    )


# One record ----------------------------------------------------------------------------------


def _read_only_sections(questions, saved) -> list[tuple]:
    grouped: list[tuple] = []
    for q in questions:
        if not grouped or grouped[-1][0].pk != q.section_id:
            grouped.append((q.section, []))
        grouped[-1][1].append((q, selectors.answer_display(q, saved.get(q.pk))))
    return grouped


def _next_record(user, record: ReviewedRecord) -> ReviewedRecord | None:
    """The reader's next record in this sample still to finish."""
    return (
        ReviewedRecord.objects.filter(
            inspection_id=record.inspection_id, reader=user, archived_at__isnull=True
        )
        .exclude(status=ReadingStatus.COMPLETE)
        .exclude(pk=record.pk)
        .order_by("reference", "pk")
        .first()
    )


@login_required
def record_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Every question of the record's template on one page: save a draft as you go, or save
    and mark the record complete. Nothing typed is lost on an error or a conflict."""
    record = selectors.record_get(user=request.user, pk=pk)
    inspection = record.inspection
    questions = services.template_questions(record.template_id)
    saved = selectors.answers_by_question(record=record)
    can_enter = (
        record.archived_at is None
        and _is_open(inspection)
        and services.may_enter_answers(request.user, record)
    )
    form = RecordAnswersForm(
        request.POST if request.method == "POST" else None,
        record=record,
        questions=questions,
        saved=saved,
    )
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        complete = request.POST.get("action") == "complete"
        if form.is_valid():
            try:
                services.record_answers_save(
                    record=record,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers(),
                    complete=complete,
                )
            except ConflictError as exc:
                form.show_conflict(exc.current, selectors.answers_by_question(record=exc.current))
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if complete:
                    messages.success(request, f"{record} is marked complete.")
                else:
                    messages.success(request, f"Your answers to {record} are saved as a draft.")
                return redirect(record_url(record))
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return render(
        request,
        "inspections/record_reading/record_entry.html",
        {
            "page_title": f"{record}: {inspection}",
            "record": record,
            "inspection": inspection,
            "form": form,
            "can_enter": can_enter,
            "can_lead": inspection_policy.can_lead(request.user, inspection)
            and _is_open(inspection)
            and record.archived_at is None,
            "read_only": [] if can_enter else _read_only_sections(questions, saved),
            "next_record": _next_record(request.user, record),
            "sample_url": sample_url(inspection),
        },
        status=_status(form),
    )


@dataclass(frozen=True)
class AnswerChange:
    when: datetime.datetime
    who: str
    question: str
    old: str
    new: str
    reason: str


def _answer_changes(record: ReviewedRecord) -> list[AnswerChange]:
    """Every change to the record's answers, newest first (three queries)."""
    rows = list(
        RecordAnswer.history.filter(record_id=record.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    questions = TemplateQuestion.objects.in_bulk({r.question_id for r in rows})
    choices = QuestionChoice.objects.in_bulk({r.choice_id for r in rows if r.choice_id})
    previous: dict[int, str] = {}
    changes = []
    for row in rows:
        question = questions.get(row.question_id)
        if question is None:
            continue
        row.choice = choices.get(row.choice_id)  # for answer_display, without a query
        shown = "" if row.history_type == "-" else selectors.answer_display(question, row)
        old = previous.get(row.question_id)
        previous[row.question_id] = shown
        if shown == (old or ""):
            continue
        user = row.history_user
        changes.append(
            AnswerChange(
                when=row.history_date,
                who=f"{user.full_name} ({user.email})" if user else "System",
                question=f"{question.number} {question.text}".strip(),
                old="" if old is None else (old or BLANK),
                new=shown or BLANK,
                reason=row.history_change_reason or "",
            )
        )
    changes.reverse()
    return changes


@login_required
@require_safe
def record_history(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(user=request.user, pk=pk)
    pagination = paginate(request, history_entries(record), 25)
    return render(
        request,
        "inspections/record_reading/record_history.html",
        {
            "page_title": f"History: {record}",
            "object": record,
            "record": record,
            "inspection": record.inspection,
            "pagination": pagination,
            "entries": pagination.page.object_list,
            "answer_changes": _answer_changes(record),
            "created_at": record.created_at,
            "back_url": record_url(record),
        },
    )


# Results -------------------------------------------------------------------------------------


_ANSWER_TYPES = {"yes_no": "Yes / no", "choice": "Choice", "six_point": "Six-point"}


def _results_row(item) -> list:
    r, v = item
    return [
        r.section,
        r.number,
        r.text,
        _ANSWER_TYPES.get(r.answer_type, r.answer_type),
        v.label,
        v.count,
        "" if v.percent is None else f"{v.percent:.1f}",
        r.applicable,
        r.not_applicable,
        r.answered,
    ]


@login_required
@require_safe
def results(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.evidence_inspection_get(user=request.user, pk=pk)
    form = ResultsFilterForm(request.GET or None)
    kwargs = form.selector_kwargs()
    summary = selectors.results_summary(inspection=inspection, **kwargs)
    found = summary.questions
    if request.GET.get("format") == "csv":
        return csv_download(
            f"record-reading-results-{inspection.pk}",
            RESULTS_CSV_COLUMNS,
            ((r, v) for r in found for v in r.values),
            _results_row,
        )
    sections: list[tuple[str, list]] = []
    for result in found:
        if not sections or sections[-1][0] != result.section:
            sections.append((result.section, []))
        sections[-1][1].append(result)
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "inspections/record_reading/results.html",
        {
            "page_title": f"Record reading results: {inspection}",
            "inspection": inspection,
            "form": form,
            "sections": sections,
            "counted": summary.records_counted,
            "complete_only": kwargs["complete_only"],
            "counts": summary.counts,
            "csv_url": f"?{query.urlencode()}",
            "sample_url": sample_url(inspection),
        },
        status=_status(form),
    )
