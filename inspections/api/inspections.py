"""/api/v1/inspections/: planning, changing, archiving, the lifecycle and milestones."""

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
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api import ArchiveOnDeleteMixin

from .. import selectors, services
from ..filters import InspectionFilter
from ..models import Inspection
from ..policies import inspection_policy
from .common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    check_version,
    delete_reason,
    error_responses,
    refuse,
)
from .serializers import (
    TRANSITION_REFUSED,
    InspectionCreateSerializer,
    InspectionListSerializer,
    InspectionSerializer,
    InspectionUpdateSerializer,
    MilestoneChangeSerializer,
    MilestoneSerializer,
    TransitionSerializer,
)

MILESTONE_ID_PARAMETER = OpenApiParameter(
    "milestone_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The milestone's id."
)


INSPECTION_DESCRIPTION = (
    "Everyone who may see the inspection gets its published facts; the team and others who "
    "may see the unpublished work also get the team and status history; the lead inspector "
    "and administrators also get `next_statuses` with every unmet condition."
)


@extend_schema_view(
    list=extend_schema(
        summary="List inspections",
        description="The inspections you may see: published ones, and unpublished ones you "
        "are on the team of (or may otherwise see). Archived ones are left out unless "
        "`archived=true`.",
    ),
    retrieve=extend_schema(summary="An inspection", description=INSPECTION_DESCRIPTION),
    create=extend_schema(
        summary="Plan an inspection",
        description="Lead inspectors and administrators plan inspections. The lead agency "
        "comes from the programme; a `lead_inspector` joins the team.",
        request=InspectionCreateSerializer,
        responses={201: InspectionSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an inspection",
        description="Send `version` and the fields to change. The status changes only through "
        "`transition`; a stale `version` is a 409 with `current_version`.",
        request=InspectionUpdateSerializer,
        responses={200: InspectionSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive an inspection",
        description="The lead inspector or an administrator archives it: it leaves default "
        "lists but is never deleted, and is still found by its id.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: InspectionSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class InspectionViewSet(ArchiveOnDeleteMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    filter_backends = [DjangoFilterBackend]
    filterset_class = InspectionFilter

    def get_queryset(self) -> models.QuerySet[Inspection]:
        # Lists are the selector's queryset, built by the filterset from the query string.
        return Inspection.objects.none()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return InspectionListSerializer if self.action == "list" else InspectionSerializer

    def get_object(self) -> Inspection:
        return selectors.inspection_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The inspection as the caller sees it now (after a write: as it was left)."""
        try:
            overview = selectors.inspection_overview(user=self.request.user, pk=pk)
            inspection = overview.inspection
        except Http404:
            # Planned for someone else's team: the caller wrote it, but may not see it now.
            overview = None
            inspection = Inspection.objects.select_related(
                "programme", "partnership", "lead_agency"
            ).get(pk=pk)
        context = {**self.get_serializer_context(), "overview": overview}
        return Response(InspectionSerializer(inspection, context=context).data, status=status_code)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        overview = selectors.inspection_overview(user=request.user, pk=pk)
        context = {**self.get_serializer_context(), "overview": overview}
        return Response(InspectionSerializer(overview.inspection, context=context).data)

    def create(self, request: Request) -> Response:
        if not inspection_policy.can_add(request.user):
            refuse(services.NOT_ALLOWED)
        serializer = InspectionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        inspection = services.inspection_create(by=request.user, **serializer.validated_data)
        return self._detail(inspection.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        inspection = self.get_object()
        if not inspection_policy.can_change(request.user, inspection):
            refuse(services.NOT_ALLOWED)
        serializer = InspectionUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        indicators = changes.pop("quality_indicators", None)
        services.inspection_update(
            inspection=inspection,
            by=request.user,
            expected_version=version,
            changes=changes,
            quality_indicators=indicators,
        )
        return self._detail(inspection.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        inspection = self.get_object()
        if not inspection_policy.can_lead(request.user, inspection):
            refuse(services.ONLY_LEAD)
        check_version(inspection, self.requested_version())
        services.inspection_archive(
            inspection=inspection, by=request.user, reason=delete_reason(request)
        )
        return self._detail(inspection.pk)

    @extend_schema(
        summary="Move an inspection to another status",
        description="The lead inspector or an administrator moves the inspection along its "
        "lifecycle. A move the lifecycle does not allow, or one whose stage conditions are not "
        'all met, is refused with 400 and `{"status": [...]}` listing every reason at once. '
        "A status that does not exist is also a 400 on `status`. Suspending and withdrawing "
        "need a `reason`. Notifying copies the programme's milestone template.",
        request=TransitionSerializer,
        responses={
            200: InspectionSerializer,
            400: OpenApiResponse(
                TRANSITION_REFUSED,
                description="Refused, with every reason on `status` (or other field errors).",
                examples=[
                    OpenApiExample(
                        "Stage conditions unmet",
                        value={
                            "status": [
                                "Add a lead inspector to the team.",
                                "Add at least one team member from Healthcare Improvement "
                                "Scotland.",
                            ]
                        },
                    )
                ],
            ),
            **error_responses(403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        inspection = self.get_object()
        if not inspection_policy.can_lead(request.user, inspection):
            refuse(services.ONLY_LEAD)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.inspection_transition(
                inspection=inspection,
                by=request.user,
                to_status=data["status"],
                on=data.get("on"),
                reason=data.get("reason") or "",
                expected_version=data.get("version"),
            )
        except services.TransitionRefused as refused:
            raise exceptions.ValidationError({"status": refused.messages}) from refused
        return self._detail(inspection.pk)

    def _inspection_with_drafts(self) -> Inspection:
        """Milestones are unpublished work: 404 for those who see only the published facts."""
        inspection = self.get_object()
        if not inspection_policy.can_see_drafts(self.request.user, inspection):
            raise Http404
        return inspection

    @extend_schema(
        summary="An inspection's milestones",
        description="Copied from the programme's template when the inspection is notified, "
        "each due a number of weeks after the notification date; earliest due first. "
        "A 404 for those who may see only the published inspection.",
        responses={200: MilestoneSerializer(many=True), **error_responses(404)},
        operation_id="inspections_milestones_list",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def milestones(self, request: Request, pk: Any = None) -> Response:
        inspection = self._inspection_with_drafts()
        milestones = selectors.milestone_list(user=request.user, inspection=inspection).order_by(
            "due_on", "order", "pk"
        )
        page = self.paginate_queryset(milestones)
        data = MilestoneSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        methods=["GET"],
        summary="A milestone",
        parameters=[MILESTONE_ID_PARAMETER],
        responses={200: MilestoneSerializer, **error_responses(404)},
        operation_id="inspections_milestones_retrieve",
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Move a milestone or mark it done",
        description="Send `due_on` and a `reason` to move it (the lead inspector or an "
        "administrator), or `completed_on` to mark it done (null: not done; any team member "
        "who may edit). Always send `version`.",
        parameters=[MILESTONE_ID_PARAMETER],
        request=MilestoneChangeSerializer,
        responses={200: MilestoneSerializer, **error_responses(400, 403, 404, 409)},
        operation_id="inspections_milestones_partial_update",
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        url_path=r"milestones/(?P<milestone_id>[^/.]+)",
        url_name="milestone",
        filter_backends=[],
        pagination_class=None,
    )
    def milestone(self, request: Request, pk: Any = None, milestone_id: Any = None) -> Response:
        inspection = self._inspection_with_drafts()
        milestone = selectors.milestone_get(
            user=request.user, inspection=inspection, pk=milestone_id
        )
        if request.method == "PATCH":
            serializer = MilestoneChangeSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if "due_on" in data:
                milestone = services.milestone_move(
                    milestone=milestone,
                    by=request.user,
                    due_on=data["due_on"],
                    reason=data.get("reason") or "",
                    expected_version=data["version"],
                )
            else:
                milestone = services.milestone_complete(
                    milestone=milestone,
                    by=request.user,
                    completed_on=data["completed_on"],
                    expected_version=data["version"],
                )
        return Response(MilestoneSerializer(milestone, context=self.get_serializer_context()).data)
