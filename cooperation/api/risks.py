"""/api/v1/shared-risks/: the joint risk register, with each risk's derived rating and its
mitigations (added and changed through the risk)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import DisplayField, IdentityUrlField

from .. import rules, selectors, services
from ..filters import SharedRiskFilter
from ..models import Mitigation, MitigationStatus, RiskStatus, SharedRisk
from .common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    BodyField,
    BodyUserBriefSerializer,
    BodyUserField,
    CooperationViewSet,
    delete_reason,
    error_responses,
    get_or_404,
    version_field,
)


class MitigationSerializer(serializers.ModelSerializer):
    owner_details = BodyUserBriefSerializer(source="owner", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = Mitigation
        fields = [
            "id",
            "description",
            "owner",
            "owner_details",
            "agreed_on",
            "due_on",
            "status",
            "status_display",
            "version",
            "archived_at",
        ]
        read_only_fields = fields


class SharedRiskSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="shared-risks-detail")
    owner_body = BodyField(read_only=True)
    raised_by = BodyField(read_only=True)
    rating = serializers.IntegerField(read_only=True, help_text="Likelihood times impact.")
    band = serializers.SerializerMethodField(help_text="Low, Moderate, High or Very high.")
    mitigations = serializers.SerializerMethodField()
    meetings = serializers.SerializerMethodField(help_text="Ids of meetings that considered it.")

    class Meta:
        model = SharedRisk
        fields = [
            "id",
            "url",
            "title",
            "description",
            "raised_by",
            "owner_body",
            "likelihood",
            "impact",
            "rating",
            "band",
            "review_on",
            "status",
            "mitigations",
            "meetings",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_band(self, risk: SharedRisk) -> str:
        return rules.risk_band(risk.rating).label

    @extend_schema_field(MitigationSerializer(many=True))
    def get_mitigations(self, risk: SharedRisk) -> list[dict]:
        rows = [m for m in risk.mitigations.all() if m.archived_at is None]
        return MitigationSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_meetings(self, risk: SharedRisk) -> list[int]:
        return [m.pk for m in risk.meetings.all() if m.archived_at is None]


class RiskInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    raised_by = BodyField(help_text="CI or HIS.")
    owner_body = BodyField(help_text="The body that owns the risk: CI or HIS.")
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)
    review_on = serializers.DateField()
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)


class RiskUpdateSerializer(RiskInputSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class MitigationInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    owner = BodyUserField(help_text="User id of the owner (someone at CI or HIS).")
    agreed_on = serializers.DateField(help_text="When both bodies agreed it.")
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=MitigationStatus.choices, required=False)


class MitigationUpdateSerializer(MitigationInputSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


MITIGATION_ID = OpenApiParameter("mitigation_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="List shared risks",
        description="The joint register, highest rated first, with each risk's mitigations.",
    ),
    retrieve=extend_schema(summary="A shared risk"),
    create=extend_schema(
        summary="Add a shared risk",
        request=RiskInputSerializer,
        responses={201: SharedRiskSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a shared risk",
        request=RiskUpdateSerializer,
        responses={200: SharedRiskSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive a shared risk",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: SharedRiskSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class SharedRiskViewSet(CooperationViewSet):
    model = SharedRisk
    serializer_class = SharedRiskSerializer
    filterset_class = SharedRiskFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def filter_queryset(self, queryset):
        return (
            super()
            .filter_queryset(queryset)
            .prefetch_related("mitigations__owner__agency", "meetings")
        )

    def fetch(self, pk: Any) -> SharedRisk:
        return get_or_404(
            selectors.risk_list(user=self.request.user, include_archived=True).prefetch_related(
                "mitigations__owner__agency", "meetings"
            ),
            pk,
        )

    def create(self, request: Request) -> Response:
        data = self.input(RiskInputSerializer)
        risk = services.risk_create(by=request.user, **data)
        return self.respond(risk.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        data = self.input(RiskUpdateSerializer)
        version = data.pop("version")
        services.risk_update(risk=risk, by=request.user, expected_version=version, changes=data)
        return self.respond(risk.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        services.risk_archive(
            risk=risk,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(risk.pk)

    @extend_schema(
        summary="Add a mitigation agreed jointly",
        request=MitigationInputSerializer,
        responses={201: MitigationSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def mitigations(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        data = self.input(MitigationInputSerializer)
        mitigation = services.mitigation_create(risk=risk, by=request.user, **data)
        return Response(
            MitigationSerializer(mitigation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Change a mitigation",
        description="Send `version` and the fields to change, for example `status`.",
        parameters=[MITIGATION_ID],
        request=MitigationUpdateSerializer,
        responses={200: MitigationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"mitigations/(?P<mitigation_id>[0-9]+)",
        url_name="mitigation",
        filter_backends=[],
    )
    def mitigation(self, request: Request, pk: Any = None, mitigation_id: Any = None) -> Response:
        risk = self.get_object()
        mitigation = selectors.mitigation_get(user=request.user, pk=mitigation_id)
        if mitigation.risk_id != risk.pk:
            raise Http404
        data = self.input(MitigationUpdateSerializer)
        version = data.pop("version")
        updated = services.mitigation_update(
            mitigation=mitigation, by=request.user, expected_version=version, changes=data
        )
        return Response(MitigationSerializer(updated, context=self.get_serializer_context()).data)
