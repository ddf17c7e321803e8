"""/api/v1/record-reading/: templates (read-only), the sample's records, their answers (saved in
batches, one record at a time) and /api/v1/inspections/{id}/record-reading-results/.

Record reading is evidence: only team members cleared to see an inspection's evidence see its
records, answers and results; for anyone else a list is empty and a record is a 404. Writes go
through the record reading services: 403 when not allowed, 400 with messages per field (per
question: `question_<id>`), 409 with `current_version` when the record changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from scrutiny.api import VERSION_REQUIRED_MESSAGE, ArchiveOnDeleteMixin

from ..api.common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    ProgrammeBriefSerializer,
    UserBriefSerializer,
    delete_reason,
    error_responses,
    refuse,
    refuse_fields,
)
from ..models import (
    Inspection,
    QuestionChoice,
    RecordAgency,
    RecordAnswer,
    RecordReviewTemplate,
    ReviewedRecord,
    TemplateQuestion,
    TemplateSection,
)
from ..policies import inspection_policy
from ..services import ONLY_LEAD
from . import selectors, services
from .filters import RecordAnswerFilter, RecordReviewTemplateFilter, ReviewedRecordFilter

ONLY_READER_FIELD = "Only the reader changes here; other details are fixed once added."
REPEATED_QUESTION = "Each question may appear once in a batch."
CHOOSE_TEMPLATE = "This programme has several record review templates: say which one."

EVIDENCE_ONLY = (
    " Only team members cleared to see the inspection's evidence see record reading: for "
    "anyone else a list is empty and a record is a 404."
)

# Templates -----------------------------------------------------------------------------------


class QuestionChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionChoice
        fields = ["id", "label", "order"]
        read_only_fields = fields


class TemplateQuestionSerializer(serializers.ModelSerializer):
    answer_type_display = serializers.CharField(source="get_answer_type_display", read_only=True)
    offers_not_applicable = serializers.SerializerMethodField(
        help_text="Whether `na` (not applicable) is an answer to it."
    )
    counted = serializers.BooleanField(
        source="has_results",
        read_only=True,
        help_text="Whether it has results (every type but free text).",
    )
    choices = QuestionChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = TemplateQuestion
        fields = [
            "id",
            "number",
            "text",
            "help_text",
            "answer_type",
            "answer_type_display",
            "offers_not_applicable",
            "counted",
            "order",
            "choices",
        ]
        read_only_fields = fields

    def get_offers_not_applicable(self, question: TemplateQuestion) -> bool:
        return services.offers_not_applicable(question)


class TemplateSectionSerializer(serializers.ModelSerializer):
    questions = TemplateQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = TemplateSection
        fields = ["id", "number", "title", "order", "questions"]
        read_only_fields = fields


class RecordReviewTemplateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="record-reading-templates-detail")
    programme = ProgrammeBriefSerializer(read_only=True)
    sections = TemplateSectionSerializer(many=True, read_only=True)

    class Meta:
        model = RecordReviewTemplate
        fields = [
            "id",
            "url",
            "programme",
            "name",
            "description",
            "sections",
            "version",
            "archived_at",
        ]
        read_only_fields = fields


TEMPLATES_READ_ONLY = (
    " Read-only here: administrators edit templates in the admin site, where every change is "
    "audited."
)


@extend_schema_view(
    list=extend_schema(
        summary="List record review templates",
        description="Each programme's record review templates, with their sections, numbered "
        "questions, answer types and choices. Archived templates are left out unless "
        "`archived=true`." + TEMPLATES_READ_ONLY,
    ),
    retrieve=extend_schema(summary="A record review template", description=TEMPLATES_READ_ONLY),
)
class RecordReviewTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecordReviewTemplateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RecordReviewTemplateFilter

    def get_queryset(self) -> models.QuerySet[RecordReviewTemplate]:
        return RecordReviewTemplate.objects.none()  # the filterset builds the selector's list

    def get_object(self) -> RecordReviewTemplate:
        return selectors.template_get(user=self.request.user, pk=self.kwargs["pk"])


# Records -------------------------------------------------------------------------------------


class ReviewedRecordSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="record-reading-records-detail")
    agency_display = serializers.CharField(source="get_agency_display", read_only=True)
    reader_details = UserBriefSerializer(source="reader", read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ReviewedRecord
        fields = [
            "id",
            "url",
            "inspection",
            "template",
            "reference",
            "agency",
            "agency_display",
            "reader",
            "reader_details",
            "status",
            "status_display",
            "read_on",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _EvidenceInspectionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> models.QuerySet[Inspection]:
        return inspection_policy.inspections_with_evidence(self.context["request"].user)


class ReviewedRecordCreateSerializer(serializers.Serializer):
    inspection = _EvidenceInspectionField(help_text="Id of the inspection whose sample it joins.")
    template = serializers.PrimaryKeyRelatedField(
        queryset=RecordReviewTemplate.objects.all(),
        required=False,
        help_text="Id of the programme's record review template (needed only when the "
        "programme has several).",
    )
    reference = serializers.CharField(
        max_length=40, help_text="The record's case reference, never a person's name."
    )
    agency = serializers.ChoiceField(choices=RecordAgency.choices)
    reader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of the team member who reads it.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("template") is None:
            templates = list(selectors.template_for(inspection=attrs["inspection"])[:2])
            if len(templates) != 1:
                raise serializers.ValidationError({"template": [CHOOSE_TEMPLATE]})
            attrs["template"] = templates[0]
        return attrs


class ReviewedRecordUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )
    reader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        help_text="User id of the team member who reads it (null: no one).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(
            self.initial_data,
            dict.fromkeys(
                ("inspection", "template", "reference", "agency", "status"), ONLY_READER_FIELD
            ),
        )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="List records in samples",
        description="Records read for inspections, filtered by inspection, agency, reader and "
        "status." + EVIDENCE_ONLY,
    ),
    retrieve=extend_schema(summary="A record in a sample", description=EVIDENCE_ONLY),
    create=extend_schema(
        summary="Add a record to an inspection's sample",
        description="The lead inspector or an administrator adds a record by its reference "
        "(never a name), with the agency holding it and optionally its reader (a team member "
        "cleared to see the evidence).",
        request=ReviewedRecordCreateSerializer,
        responses={201: ReviewedRecordSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Choose a record's reader",
        description="The lead inspector or an administrator sends `version` and `reader`.",
        request=ReviewedRecordUpdateSerializer,
        responses={200: ReviewedRecordSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Take a record out of the sample",
        description="The lead inspector or an administrator archives it: its answers are kept "
        "and stop counting in the results. Never deleted.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: ReviewedRecordSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ReviewedRecordViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ReviewedRecordSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReviewedRecordFilter

    def get_queryset(self) -> models.QuerySet[ReviewedRecord]:
        return ReviewedRecord.objects.none()  # the filterset builds the selector's list

    def get_object(self) -> ReviewedRecord:
        return selectors.record_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        record = selectors.record_get(user=self.request.user, pk=pk)
        return Response(self.get_serializer(record).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = ReviewedRecordCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        inspection = data.pop("inspection")
        if not inspection_policy.can_lead(request.user, inspection):
            refuse(ONLY_LEAD)
        record = services.record_add(inspection=inspection, by=request.user, **data)
        return self._detail(record.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        record = self.get_object()
        if not inspection_policy.can_lead(request.user, record.inspection):
            refuse(ONLY_LEAD)
        serializer = ReviewedRecordUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.record_assign(
            record=record,
            by=request.user,
            reader=serializer.validated_data["reader"],
            expected_version=serializer.validated_data["version"],
        )
        return self._detail(record.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        record = self.get_object()
        services.record_archive(
            record=record,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self._detail(record.pk)


# Answers -------------------------------------------------------------------------------------


class RecordAnswerSerializer(serializers.ModelSerializer):
    question_number = serializers.CharField(source="question.number", read_only=True)
    value = serializers.SerializerMethodField(
        help_text="The answer as a batch sends it: yes, no or na; a choice's id; a grade from "
        "1 to 6; or the text. Empty when not answered."
    )
    display = serializers.SerializerMethodField(help_text="The answer as a person reads it.")

    class Meta:
        model = RecordAnswer
        fields = [
            "id",
            "record",
            "question",
            "question_number",
            "value",
            "display",
            "choice",
            "grade",
            "text",
            "updated_at",
        ]
        read_only_fields = fields

    def get_value(self, answer: RecordAnswer) -> str:
        return services.answer_token(answer.question, answer)

    def get_display(self, answer: RecordAnswer) -> str:
        return selectors.answer_display(answer.question, answer)


class AnswerItemSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="Id of a question of the record's template.")
    value = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        trim_whitespace=True,
        help_text="Yes/no questions: yes, no or na. Choice lists: the choice's id, or na. "
        "Six-point: 1 to 6, or na. Free text: the text. Blank or null clears the answer.",
    )


@extend_schema_field(OpenApiTypes.INT)
class _WritableRecordField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> models.QuerySet[ReviewedRecord]:
        return selectors.record_list(user=self.context["request"].user, with_answered=False)


class AnswerBatchSerializer(serializers.Serializer):
    record = _WritableRecordField(help_text="Id of the record read.")
    version = serializers.IntegerField(
        min_value=1,
        error_messages={"required": VERSION_REQUIRED_MESSAGE},
        help_text="The record's version, as read. If it has changed since, nothing is saved "
        "and the answer is 409 with the current version.",
    )
    answers = AnswerItemSerializer(
        many=True, help_text="Answers to save; questions left out keep their saved answer."
    )
    complete = serializers.BooleanField(
        default=False,
        help_text="Mark the record complete (every question that counts must then be "
        "answered); otherwise it is saved as a draft.",
    )

    def validate_answers(self, items: list[dict]) -> list[dict]:
        questions = [item["question"] for item in items]
        if len(questions) != len(set(questions)):
            raise serializers.ValidationError(REPEATED_QUESTION)
        return items


class RecordWithAnswersSerializer(ReviewedRecordSerializer):
    answers = serializers.SerializerMethodField()

    class Meta(ReviewedRecordSerializer.Meta):
        fields = [*ReviewedRecordSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    @extend_schema_field(RecordAnswerSerializer(many=True))
    def get_answers(self, record: ReviewedRecord) -> list[dict]:
        answers = selectors.answer_list(user=self.context["request"].user, record=record)
        return RecordAnswerSerializer(answers, many=True, context=self.context).data


@extend_schema_view(
    list=extend_schema(
        summary="List answers",
        description="Answers recorded for records read; filter by `record` (or `inspection`). "
        "Answers of records taken out of the sample are listed only by their record."
        + EVIDENCE_ONLY,
    ),
    retrieve=extend_schema(summary="An answer", description=EVIDENCE_ONLY),
    create=extend_schema(
        summary="Save a record's answers",
        description="The record's reader, or the lead inspector or an administrator, saves "
        "answers to any of the record's questions together, with the record's `version`. "
        "Every answer is checked against its question's type: if any is wrong, nothing is "
        "saved and the answer is 400 with the messages under `question_<id>`. With "
        "`complete: true`, every question that counts must be answered. A stale `version` "
        "is 409 with `current_version`, and nothing is saved.",
        request=AnswerBatchSerializer,
        responses={
            200: RecordWithAnswersSerializer,
            400: OpenApiResponse(
                description="Messages per question (`question_<id>`) or per field.",
                examples=[
                    OpenApiExample(
                        "An unanswered question when marking complete",
                        value={
                            "question_12": [
                                "Question 1.2: answer it before marking the record complete."
                            ]
                        },
                    )
                ],
            ),
            **error_responses(403, 409),
        },
        examples=[
            OpenApiExample(
                "A draft",
                request_only=True,
                value={
                    "record": 41,
                    "version": 3,
                    "answers": [
                        {"question": 11, "value": "yes"},
                        {"question": 12, "value": "na"},
                        {"question": 13, "value": "5"},
                    ],
                    "complete": False,
                },
            )
        ],
    ),
)
class RecordAnswerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RecordAnswerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RecordAnswerFilter

    def get_queryset(self) -> models.QuerySet[RecordAnswer]:
        return RecordAnswer.objects.none()  # the filterset builds the selector's list

    def get_object(self) -> RecordAnswer:
        answers = selectors.answer_list(user=self.request.user)
        try:
            return answers.get(pk=self.kwargs["pk"])
        except (RecordAnswer.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def create(self, request: Request) -> Response:
        serializer = AnswerBatchSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = data["record"]
        services.record_answers_save(
            record=record,
            by=request.user,
            expected_version=data["version"],
            answers={item["question"]: item["value"] for item in data["answers"]},
            complete=data["complete"],
        )
        updated = selectors.record_get(user=request.user, pk=record.pk)
        return Response(
            RecordWithAnswersSerializer(updated, context=self.get_serializer_context()).data
        )


# Results -------------------------------------------------------------------------------------


class ValueCountSerializer(serializers.Serializer):
    value = serializers.CharField(
        help_text="yes, no, a choice's id or a grade; na for not applicable."
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField(
        allow_null=True,
        help_text="Percent of applicable answers, to one decimal place; null for the "
        "not-applicable row.",
    )


class QuestionResultSerializer(serializers.Serializer):
    question_id = serializers.IntegerField()
    number = serializers.CharField()
    text = serializers.CharField()
    section = serializers.CharField()
    answer_type = serializers.CharField(help_text="yes_no, choice or six_point.")
    answered = serializers.IntegerField()
    applicable = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    values = ValueCountSerializer(many=True)
    figure = serializers.CharField(
        help_text='One line to cite, e.g. "62% yes (31 of 50 applicable; 4 not applicable)".'
    )


class ResultsSerializer(serializers.Serializer):
    inspection = serializers.IntegerField()
    agency = serializers.CharField(allow_null=True)
    complete_only = serializers.BooleanField()
    records_counted = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class ResultsQuerySerializer(serializers.Serializer):
    agency = serializers.ChoiceField(choices=RecordAgency.choices, required=False)
    drafts = serializers.BooleanField(required=False, default=False)


class RecordReadingResultsView(APIView):
    """GET /api/v1/inspections/{id}/record-reading-results/"""

    @extend_schema(
        summary="An inspection's record reading results",
        description="Totals and percentages per question that counts (not free text) and per "
        "answer, over the records marked complete (`drafts=true` adds drafts), optionally "
        "for the records one agency holds. Percentages are of applicable answers, with the "
        "not-applicable count beside. Each question has a one-line `figure` to cite."
        + EVIDENCE_ONLY.replace("a record is", "this is"),
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The inspection's id."
            ),
            OpenApiParameter(
                "agency",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=RecordAgency.values,
                description="Only records this agency holds.",
            ),
            OpenApiParameter(
                "drafts",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="Also count records still in draft (true or false).",
            ),
        ],
        responses={200: ResultsSerializer, **error_responses(400, 404)},
        operation_id="inspections_record_reading_results_retrieve",
        tags=["inspections"],
    )
    def get(self, request: Request, pk: int) -> Response:
        query = ResultsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        agency = query.validated_data.get("agency") or None
        complete_only = not query.validated_data["drafts"]
        inspection = selectors.evidence_inspection_get(user=request.user, pk=pk)
        summary = selectors.results_summary(
            inspection=inspection, agency=agency, complete_only=complete_only
        )
        data = {
            "inspection": inspection.pk,
            "agency": agency,
            "complete_only": complete_only,
            "records_counted": summary.records_counted,
            "questions": [
                {**vars(r), "values": [vars(v) for v in r.values], "figure": r.figure}
                for r in summary.questions
            ],
        }
        return Response(ResultsSerializer(data).data)
