"""/api/v1/reports/: the PDF reports the user may see (filtered by kind, status and record),
asking for one (201 with the new report, or 200 with the same report already being made), each
report's status, and its download once ready."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.api.common import UserBriefSerializer
from inspections.models import Inspection
from inspections.policies import inspection_policy
from partnerships.filters import IdChoiceFilter, StableOrderingFilter, StrictBooleanFilter
from partnerships.models import Partnership
from partnerships.policies import partnership_policy
from scrutiny.api import error_responses
from scrutiny.files import download_response, open_stored

from . import selectors, services
from .models import GeneratedReport, ReportKind, ReportStatus

VISIBILITY = (
    " You see a report if you may see its record and read at least what it holds (its "
    "`audience`): anyone else gets a 404, and lists leave it out."
)


def _user(request) -> Any:
    return getattr(request, "user", None)


def _visible_inspections(request) -> QuerySet[Inspection]:
    user = _user(request)
    if user is None:
        return Inspection.objects.none()
    return inspection_policy.visible(user, Inspection.objects.all())


def _visible_partnerships(request) -> QuerySet[Partnership]:
    user = _user(request)
    if user is None:
        return Partnership.objects.none()
    return partnership_policy.visible(user, Partnership.objects.all())


class ReportFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ReportKind.choices, label="Kind of report.")
    status = filters.ChoiceFilter(choices=ReportStatus.choices, label="Where it stands.")
    inspection = IdChoiceFilter(
        queryset=_visible_inspections, label="Id of the inspection (inspection reports)."
    )
    partnership = IdChoiceFilter(
        queryset=_visible_partnerships, label="Id of the partnership (partnership profiles)."
    )
    quarter_starts_on = filters.DateFilter(
        label="First day of the financial quarter (co-operation reports), YYYY-MM-DD."
    )
    archived = StrictBooleanFilter(
        label="Include archived reports (true or false). Left out unless this is true."
    )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = self.form.cleaned_data
        return selectors.report_list(
            user=self.request.user,
            kind=values.get("kind") or "",
            status=values.get("status") or "",
            inspection=values.get("inspection"),
            partnership=values.get("partnership"),
            quarter_starts_on=values.get("quarter_starts_on"),
            include_archived=bool(values.get("archived")),
        )


class GeneratedReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="reports-detail")
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the PDF, once `status` is `done`; null before."
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    subject = serializers.CharField(
        read_only=True, help_text="What the report is of: the inspection, partnership or quarter."
    )
    requested_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "url",
            "download_url",
            "kind",
            "kind_display",
            "subject",
            "inspection",
            "partnership",
            "quarter_starts_on",
            "audience",
            "status",
            "status_display",
            "message",
            "document_status",
            "filename",
            "size",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "task_id",
            "version",
            "archived_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, report: GeneratedReport) -> str | None:
        if report.status != ReportStatus.DONE:
            return None
        from django.urls import reverse

        path = reverse("reports-download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.INT)
class _VisibleInspectionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Inspection]:
        return _visible_inspections(self.context.get("request"))


@extend_schema_field(OpenApiTypes.INT)
class _VisiblePartnershipField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Partnership]:
        return _visible_partnerships(self.context.get("request"))


class NewReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    inspection = _VisibleInspectionField(
        required=False, allow_null=True, help_text="For an inspection report: its id."
    )
    partnership = _VisiblePartnershipField(
        required=False, allow_null=True, help_text="For a partnership profile: its id."
    )
    quarter_starts_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="For a co-operation report: the first day of the financial quarter.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="List PDF reports",
        description="Reports you may see, the latest asked for first." + VISIBILITY,
    ),
    retrieve=extend_schema(
        summary="A PDF report and its status",
        description="Poll this until `status` is `done` (then download it) or `failed` (then "
        "`message` says why)." + VISIBILITY,
    ),
    create=extend_schema(
        summary="Ask for a PDF report",
        description="Queues the report, made of what you may read. If the same report (kind, "
        "record and audience) is already queued or being made, that one is returned with 200 "
        "instead of starting a second. An inspection or partnership you may not see is a 400 "
        "on its field.",
        request=NewReportSerializer,
        responses={
            201: GeneratedReportSerializer,
            200: OpenApiResponse(
                GeneratedReportSerializer, description="The same report, already being made."
            ),
            **error_responses(400, 403),
        },
    ),
)
class GeneratedReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = GeneratedReportSerializer
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = ReportFilter
    ordering_fields = ["requested_at", "finished_at", "kind", "status"]
    ordering = ["-requested_at"]

    def get_queryset(self) -> QuerySet[GeneratedReport]:
        # Lists are the selector's queryset, built by the filterset from the query string.
        return GeneratedReport.objects.none()

    def get_object(self) -> GeneratedReport:
        return selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = NewReportSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report, created = services.report_request(
            by=request.user,
            kind=data["kind"],
            inspection=data.get("inspection"),
            partnership=data.get("partnership"),
            quarter_starts_on=data.get("quarter_starts_on"),
        )
        report = selectors.report_get(user=request.user, pk=report.pk)
        return Response(
            self.get_serializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Download a report's PDF",
        description="The PDF, as an attachment, once `status` is `done` (before that, 404). "
        "Every download is recorded." + VISIBILITY,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        report = self.get_object()
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404
        handle = open_stored(report.file)
        services.report_download_record(report=report, by=request.user, via="api")
        return download_response(
            handle, filename=report.filename or "report.pdf", content_type="application/pdf"
        )
