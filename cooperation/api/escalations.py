"""/api/v1/escalations/: escalations with their steps, age and overdue state; escalating to the
next level (and only the next), resolving and withdrawing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import DisplayField, IdentityUrlField

from .. import selectors, services
from ..filters import EscalationFilter
from ..models import Escalation, EscalationLevel, EscalationStep
from .common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    BodyField,
    CooperationViewSet,
    delete_reason,
    error_responses,
    today,
    version_field,
)


class StepSerializer(serializers.ModelSerializer):
    level_display = DisplayField(source="get_level_display")

    class Meta:
        model = EscalationStep
        fields = [
            "id",
            "level",
            "level_display",
            "reached_on",
            "held_by",
            "target_on",
            "notes",
            "version",
        ]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="escalations-detail")
    raised_by = BodyField(read_only=True)
    level_display = DisplayField(source="get_level_display")
    status_display = DisplayField(source="get_status_display")
    current_target_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The current step's target date."
    )
    current_held_by = serializers.CharField(read_only=True, allow_null=True)
    next_level = serializers.SerializerMethodField(
        help_text="The only level it can be escalated to (null at the top or once closed)."
    )
    age_days = serializers.SerializerMethodField(
        help_text="Calendar days since it was raised (to the date it closed, once closed)."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Open and past the current step's target date."
    )
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "url",
            "subject",
            "description",
            "raised_by",
            "raised_on",
            "raising_body_position",
            "other_body_position",
            "level",
            "level_display",
            "current_held_by",
            "current_target_on",
            "next_level",
            "status",
            "status_display",
            "resolution",
            "resolved_on",
            "age_days",
            "overdue",
            "steps",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _state(self, escalation: Escalation) -> selectors.EscalationState:
        state = getattr(escalation, "state", None)
        if state is None:
            state = escalation.state = selectors.escalation_state(escalation, today())
        return state

    @extend_schema_field(serializers.ChoiceField(choices=EscalationLevel.choices, allow_null=True))
    def get_next_level(self, escalation: Escalation) -> str | None:
        if escalation.status != "open":
            return None
        following = EscalationLevel(escalation.level).next_level
        return following.value if following else None

    def get_age_days(self, escalation: Escalation) -> int:
        return self._state(escalation).age

    def get_overdue(self, escalation: Escalation) -> bool:
        return self._state(escalation).overdue


class EscalationRaiseSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    raised_by = BodyField(help_text="CI or HIS.")
    raised_on = serializers.DateField()
    raising_body_position = serializers.CharField()
    other_body_position = serializers.CharField(required=False, allow_blank=True)
    held_by = serializers.CharField(
        max_length=300, help_text="The relevant senior managers holding it."
    )
    target_on = serializers.DateField(help_text="Target date for the senior managers' step.")
    notes = serializers.CharField(required=False, allow_blank=True)


class EscalationUpdateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    raised_by = BodyField(required=False)
    raising_body_position = serializers.CharField(required=False)
    other_body_position = serializers.CharField(required=False, allow_blank=True)
    version = version_field()


class EscalateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=EscalationLevel.choices,
        help_text="The next level: directors after senior managers, chief executives after "
        "directors. Any other is refused with 400.",
    )
    reached_on = serializers.DateField(required=False, help_text="Default: today.")
    held_by = serializers.CharField(max_length=300)
    target_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, required=False)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    resolved_on = serializers.DateField(required=False, help_text="Default: today.")
    version = serializers.IntegerField(min_value=1, required=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()
    withdrawn_on = serializers.DateField(required=False, help_text="Default: today.")
    version = serializers.IntegerField(min_value=1, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="List escalations",
        description="Oldest first, with the current level, target date, age and overdue state.",
    ),
    retrieve=extend_schema(summary="An escalation, with its steps"),
    create=extend_schema(
        summary="Raise an escalation",
        description="It starts with the relevant senior managers.",
        request=EscalationRaiseSerializer,
        responses={201: EscalationSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an escalation's subject or positions",
        description="The level and status change only through `escalate`, `resolve` and "
        "`withdraw`.",
        request=EscalationUpdateSerializer,
        responses={200: EscalationSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive an escalation",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: EscalationSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class EscalationViewSet(CooperationViewSet):
    model = Escalation
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def fetch(self, pk: Any) -> Escalation:
        return selectors.escalation_get(user=self.request.user, pk=pk)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = selectors.with_steps(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        rows = selectors.with_state(page, today())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def create(self, request: Request) -> Response:
        data = self.input(EscalationRaiseSerializer)
        escalation = services.escalation_raise(by=request.user, **data)
        return self.respond(escalation.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        escalation = self.get_object()
        data = self.input(EscalationUpdateSerializer)
        version = data.pop("version")
        services.escalation_update(
            escalation=escalation, by=request.user, expected_version=version, changes=data
        )
        return self.respond(escalation.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        escalation = self.get_object()
        services.escalation_archive(
            escalation=escalation,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(escalation.pk)

    @extend_schema(
        summary="Escalate to the next level",
        description="Moves an open escalation to the next level only, in order (senior "
        "managers, directors, chief executives), recording the date it reached that level, "
        "who holds it and a target date. A level out of order is refused with 400 on `level`.",
        request=EscalateSerializer,
        responses={
            200: EscalationSerializer,
            400: OpenApiResponse(
                description="Refused: out of order, closed, or bad input.",
                examples=[
                    OpenApiExample(
                        "Out of order",
                        value={
                            "level": [
                                "An escalation moves to the next level only, in order: from "
                                "Relevant senior managers the next level is Directors."
                            ]
                        },
                    )
                ],
            ),
            **error_responses(403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        escalation = self.get_object()
        data = self.input(EscalateSerializer)
        services.escalation_escalate(
            escalation=escalation,
            by=request.user,
            to_level=data["level"],
            reached_on=data.get("reached_on") or today(),
            held_by=data["held_by"],
            target_on=data["target_on"],
            notes=data.get("notes", ""),
            expected_version=data.get("version"),
        )
        return self.respond(escalation.pk)

    @extend_schema(
        summary="Record the resolution",
        request=ResolveSerializer,
        responses={200: EscalationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        escalation = self.get_object()
        data = self.input(ResolveSerializer)
        services.escalation_resolve(
            escalation=escalation,
            by=request.user,
            resolution=data["resolution"],
            resolved_on=data.get("resolved_on"),
            expected_version=data.get("version"),
        )
        return self.respond(escalation.pk)

    @extend_schema(
        summary="Withdraw the escalation",
        request=WithdrawSerializer,
        responses={200: EscalationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        escalation = self.get_object()
        data = self.input(WithdrawSerializer)
        services.escalation_withdraw(
            escalation=escalation,
            by=request.user,
            reason=data["reason"],
            withdrawn_on=data.get("withdrawn_on"),
            expected_version=data.get("version"),
        )
        return self.respond(escalation.pk)
