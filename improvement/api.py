"""/api/v1/support-assessments/ (with each assessment's recommendation and its reasons) and
/api/v1/support-decisions/: read-only; records are written through the pages. Lists go through
the policies and run a fixed number of queries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors
from .models import (
    CriterionJudgement,
    ImprovementAction,
    ImprovementPlan,
    ProgressUpdate,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
)


class LevelBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportLevel
        fields = ["id", "order", "name"]
        read_only_fields = fields


class JudgementSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.number", read_only=True)

    class Meta:
        model = CriterionJudgement
        fields = ["criterion", "met", "evidence"]
        read_only_fields = fields


class ConditionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="condition.number")
    title = serializers.CharField(source="condition.title")
    criteria_met = serializers.IntegerField()
    criteria_judged = serializers.IntegerField()
    met = serializers.BooleanField()


class RecommendationSerializer(serializers.Serializer):
    level = LevelBriefSerializer(allow_null=True)
    conditions_met = serializers.IntegerField()
    conditions = ConditionResultSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    complete = serializers.BooleanField(help_text="Every criterion has been judged.")
    evaluation_level = LevelBriefSerializer(
        allow_null=True, help_text="The level the latest final evaluations signal."
    )
    evaluation_inspection = serializers.IntegerField(
        source="evaluation_inspection.pk", allow_null=True, default=None
    )
    evaluation_reasons = serializers.ListField(child=serializers.CharField())
    differs = serializers.BooleanField(help_text="The two signals differ.")
    disagreement = serializers.CharField()


class SupportAssessmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="support-assessments-detail")
    judgements = JudgementSerializer(many=True, read_only=True)
    recommendation = serializers.SerializerMethodField()

    class Meta:
        model = SupportAssessment
        fields = [
            "id",
            "url",
            "partnership",
            "inspection",
            "assessed_on",
            "status",
            "judgements",
            "recommendation",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecommendationSerializer)
    def get_recommendation(self, assessment: SupportAssessment) -> dict:
        recs = self.context.get("recommendations") or selectors.recommendations(
            [assessment], user=self.context["request"].user
        )
        return RecommendationSerializer(recs[assessment.pk]).data


@extend_schema_view(
    list=extend_schema(
        summary="List support assessments",
        description="Assessments you may see, newest first, each with its recommendation.",
    ),
    retrieve=extend_schema(summary="A support assessment"),
)
class SupportAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SupportAssessmentSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.assessment_list(
            user=self.request.user,
            partnership=params.get("partnership") or None,
            include_archived=params.get("archived") == "true",
        )

    def get_object(self) -> SupportAssessment:
        return selectors.assessment_get(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()))
        context = {
            **self.get_serializer_context(),
            "recommendations": selectors.recommendations(page, user=request.user),
        }
        data = SupportAssessmentSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


class SupportDecisionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="support-decisions-detail")
    partnership = serializers.IntegerField(source="assessment.partnership_id", read_only=True)
    level = LevelBriefSerializer(read_only=True)
    second_level = LevelBriefSerializer(read_only=True, allow_null=True)
    recommended_level = LevelBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SupportDecision
        fields = [
            "id",
            "url",
            "assessment",
            "partnership",
            "level",
            "second_level",
            "recommended_level",
            "rationale",
            "status",
            "decided_by",
            "agreed_by",
            "agreed_at",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List support decisions", description="Newest first."),
    retrieve=extend_schema(summary="A support decision"),
)
class SupportDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SupportDecisionSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.decision_list(
            user=self.request.user,
            partnership=params.get("partnership") or None,
            assessment=params.get("assessment") or None,
            status=params.get("status", ""),
            include_archived=params.get("archived") == "true",
        )

    def get_object(self) -> SupportDecision:
        return selectors.decision_get(user=self.request.user, pk=self.kwargs["pk"])


class ProgressUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "updated_on", "progress", "evidence", "created_at"]
        read_only_fields = fields


class ImprovementActionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="improvement-actions-detail")
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "url",
            "plan",
            "description",
            "findings",
            "owner_name",
            "owner_organisation",
            "due_on",
            "status",
            "progress_updates",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ImprovementPlanSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="improvement-plans-detail")

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "url",
            "partnership",
            "inspection",
            "title",
            "status",
            "agreed_on",
            "agreed_by",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List improvement plans", description="Newest first."),
    retrieve=extend_schema(summary="An improvement plan"),
)
class ImprovementPlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImprovementPlanSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.plan_list(
            user=self.request.user,
            partnership=params.get("partnership") or None,
            include_archived=params.get("archived") == "true",
        )

    def get_object(self) -> ImprovementPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])


@extend_schema_view(
    list=extend_schema(
        summary="List improvement actions", description="By due date, with progress updates."
    ),
    retrieve=extend_schema(summary="An improvement action"),
)
class ImprovementActionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImprovementActionSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.action_list(
            user=self.request.user,
            plan=params.get("plan") or None,
            include_archived=params.get("archived") == "true",
        ).prefetch_related("progress_updates")

    def get_object(self) -> ImprovementAction:
        return selectors.action_get(user=self.request.user, pk=self.kwargs["pk"])
