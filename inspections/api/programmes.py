"""/api/v1/programmes/ and /api/v1/quality-indicators/: read-only reference frameworks."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.generics import get_object_or_404

from accounts.api import AgencyBriefSerializer
from partnerships.filters import StableOrderingFilter

from .. import selectors
from ..filters import ProgrammeFilter, QualityIndicatorFilter
from ..models import (
    EvaluationLevel,
    EvaluationScale,
    MilestoneTemplate,
    Programme,
    QualityIndicator,
)


class EvaluationLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationLevel
        fields = ["value", "label", "meaning", "confirmed"]
        read_only_fields = fields


class EvaluationScaleSerializer(serializers.ModelSerializer):
    levels = serializers.SerializerMethodField(help_text="Highest value first.")

    class Meta:
        model = EvaluationScale
        fields = ["id", "name", "description", "source_note", "levels"]
        read_only_fields = fields

    @extend_schema_field(EvaluationLevelSerializer(many=True))
    def get_levels(self, scale: EvaluationScale) -> list[dict]:
        levels = [level for level in scale.levels.all() if level.archived_at is None]
        return EvaluationLevelSerializer(levels, many=True).data


class MilestoneTemplateSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = MilestoneTemplate
        fields = ["id", "stage", "stage_display", "name", "offset_weeks", "order", "source_note"]
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="programmes-detail")
    family_display = serializers.CharField(source="get_family_display", read_only=True)
    lead_agency = AgencyBriefSerializer(read_only=True)
    partner_agencies = AgencyBriefSerializer(many=True, read_only=True)
    evaluation_scale = EvaluationScaleSerializer(read_only=True)
    milestone_templates = serializers.SerializerMethodField(
        help_text="Copied to an inspection when it is notified, due this many weeks after."
    )
    quality_indicators_url = serializers.SerializerMethodField(
        help_text="The programme's quality indicator framework."
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "url",
            "code",
            "name",
            "family",
            "family_display",
            "description",
            "theme",
            "lead_agency",
            "partner_agencies",
            "evaluation_scale",
            "milestone_templates",
            "quality_indicators_url",
            "starts_on",
            "ends_on",
            "version",
            "archived_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MilestoneTemplateSerializer(many=True))
    def get_milestone_templates(self, programme: Programme) -> list[dict]:
        templates = [t for t in programme.milestone_templates.all() if t.archived_at is None]
        return MilestoneTemplateSerializer(templates, many=True).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_quality_indicators_url(self, programme: Programme) -> str:
        path = f"{reverse('quality-indicators-list')}?programme={programme.pk}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class QualityIndicatorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="quality-indicators-detail")

    class Meta:
        model = QualityIndicator
        fields = [
            "id",
            "url",
            "programme",
            "number",
            "title",
            "parent",
            "order",
            "confirmed",
            "source_note",
            "version",
            "archived_at",
        ]
        read_only_fields = fields


def _with_framework(qs: models.QuerySet[Programme]) -> models.QuerySet[Programme]:
    return qs.select_related("lead_agency", "evaluation_scale").prefetch_related(
        "partner_agencies", "evaluation_scale__levels", "milestone_templates"
    )


READ_ONLY_REFERENCE = (
    " Read-only here: administrators manage programmes and frameworks in the admin site, "
    "where every change is audited."
)


@extend_schema_view(
    list=extend_schema(
        summary="List programmes",
        description="Programmes of joint inspections with their lead and partner agencies, "
        "evaluation scale and levels, and milestone template." + READ_ONLY_REFERENCE,
    ),
    retrieve=extend_schema(
        summary="A programme",
        description="Archived programmes are still found by their id." + READ_ONLY_REFERENCE,
    ),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = ProgrammeFilter
    ordering_fields = ["name", "code", "starts_on"]
    ordering = ["name"]

    def get_queryset(self) -> models.QuerySet[Programme]:
        return _with_framework(selectors.programme_list(user=self.request.user))

    def filter_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return _with_framework(super().filter_queryset(queryset))

    def get_object(self) -> Programme:
        return get_object_or_404(_with_framework(Programme.objects.all()), pk=self.kwargs["pk"])


@extend_schema_view(
    list=extend_schema(
        summary="List quality indicators",
        description="Each programme's framework of quality indicators, in framework order. "
        "`confirmed` is true only where a source confirms the number and wording."
        + READ_ONLY_REFERENCE,
    ),
    retrieve=extend_schema(summary="A quality indicator", description=READ_ONLY_REFERENCE),
)
class QualityIndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = QualityIndicatorSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = QualityIndicatorFilter
    ordering_fields = ["order", "number", "title"]
    ordering = ["programme__name", "order", "number"]

    def get_queryset(self) -> models.QuerySet[QualityIndicator]:
        return selectors.quality_indicator_list(user=self.request.user)

    def get_object(self) -> QualityIndicator:
        return get_object_or_404(QualityIndicator.objects.all(), pk=self.kwargs["pk"])
