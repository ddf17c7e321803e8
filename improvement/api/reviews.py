"""/api/v1/progress-reviews/: reviews of a partnership's progress, scheduled when an assisted or
directed decision is agreed (or by hand), rescheduled, recorded as held (`record`) or
cancelled (`cancel`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import IdentityUrlField

from .. import selectors, services
from ..models import ProgressJudgement, ProgressReview, ReviewKind
from ..policies import review_policy
from .common import (
    NOT_ALLOWED_TO_ADD,
    ImprovementViewSet,
    PartnershipField,
    VisibleField,
    error_responses,
    require,
    version_field,
)
from .filters import ReviewFilter

BY_ACTION = "Record a review with `record/` or cancel it with `cancel/`; here only `due_on`."


class ProgressReviewSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="progress-reviews-detail")
    level = serializers.CharField(
        source="decision.level.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The level of support of the decision that scheduled it, if any.",
    )
    overdue = serializers.SerializerMethodField(help_text="Scheduled and past its due date.")

    class Meta:
        model = ProgressReview
        fields = [
            "id",
            "url",
            "partnership",
            "decision",
            "level",
            "kind",
            "due_on",
            "status",
            "overdue",
            "held_on",
            "attendees",
            "judgement",
            "notes",
            "next_on",
            "cancelled_reason",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, review: ProgressReview) -> bool:
        return review.is_overdue(self.context.setdefault("today", timezone.localdate()))


class ReviewScheduleSerializer(serializers.Serializer):
    partnership = PartnershipField(help_text="Id of the partnership.")
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    due_on = serializers.DateField()
    decision = VisibleField(
        selectors.decision_list,
        required=False,
        allow_null=True,
        help_text="Id of the partnership's support decision it follows, if any.",
    )


class ReviewRescheduleSerializer(serializers.Serializer):
    due_on = serializers.DateField(help_text="The new date due.")
    version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = self.initial_data if isinstance(self.initial_data, dict) else {}
        refused = {"status", "held_on", "attendees", "judgement", "notes", "next_on"} & set(sent)
        if refused:
            raise serializers.ValidationError({name: [BY_ACTION] for name in sorted(refused)})
        return attrs


class ReviewRecordSerializer(serializers.Serializer):
    version = version_field()
    held_on = serializers.DateField(help_text="When it was held (not in the future).")
    attendees = serializers.CharField(help_text="Who attended.")
    judgement = serializers.ChoiceField(choices=ProgressJudgement.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    next_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The date of the next review, after this one: it is scheduled (same kind).",
    )


class ReviewCancelSerializer(serializers.Serializer):
    version = version_field()
    reason = serializers.CharField(help_text="Why the review is cancelled.")


@extend_schema_view(
    list=extend_schema(
        summary="List progress reviews",
        description="By date due (`?ordering=-due_on` for latest first). The partnership's "
        "link inspector and the team of the inspection behind the decision write; directors, "
        "chief executives and those who read that inspection's drafts read; for anyone else a "
        "list leaves it out and a record is a 404.",
    ),
    retrieve=extend_schema(summary="A progress review"),
    create=extend_schema(
        summary="Schedule a progress review",
        request=ReviewScheduleSerializer,
        responses={201: ProgressReviewSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Reschedule a progress review",
        description="Only a scheduled review moves; send `version` and `due_on`.",
        request=ReviewRescheduleSerializer,
        responses={200: ProgressReviewSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ProgressReviewViewSet(ImprovementViewSet):
    model = ProgressReview
    serializer_class = ProgressReviewSerializer
    filterset_class = ReviewFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def filter_queryset(self, queryset):
        # The representation reads the decision's level only (not the partnership or the
        # inspection behind the decision the selector also joins).
        return (
            super().filter_queryset(queryset).select_related(None).select_related("decision__level")
        )

    def fetch(self, pk: Any) -> ProgressReview:
        return selectors.review_get(user=self.request.user, pk=pk)

    def create(self, request: Request) -> Response:
        data = self.input(ReviewScheduleSerializer)
        decision = data.get("decision")
        inspection = decision.assessment.inspection if decision is not None else None
        require(
            review_policy.can_add(request.user, data["partnership"], inspection),
            NOT_ALLOWED_TO_ADD,
        )
        review = services.review_schedule(
            by=request.user,
            partnership=data["partnership"],
            kind=data["kind"],
            due_on=data["due_on"],
            decision=decision,
        )
        return self.respond(review.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        review = self.get_object()
        require(review_policy.can_change(request.user, review))
        data = self.input(ReviewRescheduleSerializer)
        services.review_reschedule(
            review=review, by=request.user, expected_version=data["version"], due_on=data["due_on"]
        )
        return self.respond(review.pk)

    @extend_schema(
        summary="Record a progress review as held",
        description="The date held, who attended, the judgement of progress and notes. A next "
        "date schedules the next review of the same kind.",
        request=ReviewRecordSerializer,
        responses={200: ProgressReviewSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def record(self, request: Request, pk: Any = None) -> Response:
        review = self.get_object()
        require(review_policy.can_change(request.user, review))
        data = self.input(ReviewRecordSerializer)
        services.review_record(
            review=review,
            by=request.user,
            expected_version=data.pop("version"),
            **data,
        )
        return self.respond(review.pk)

    @extend_schema(
        summary="Cancel a progress review",
        request=ReviewCancelSerializer,
        responses={200: ProgressReviewSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        review = self.get_object()
        require(review_policy.can_change(request.user, review))
        data = self.input(ReviewCancelSerializer)
        services.review_cancel(
            review=review, by=request.user, expected_version=data["version"], reason=data["reason"]
        )
        return self.respond(review.pk)
