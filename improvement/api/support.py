"""/api/v1/improvement-support/ (support commissioned for a partnership: what, from whom, when,
its status and outcome) and /api/v1/support-providers/ (the providers, reference data kept in
the admin site)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import IdentityUrlField

from .. import selectors, services
from ..models import ImprovementSupport, SupportProvider, SupportStatus
from ..policies import support_policy
from .common import (
    NOT_ALLOWED_TO_ADD,
    VERSION_PARAMETER,
    ImprovementViewSet,
    PartnershipField,
    VisibleField,
    changed,
    error_responses,
    make_optional,
    require,
    version_field,
)
from .filters import ProviderFilter, SupportFilter

FIXED_PARTNERSHIP = "Support stays with the partnership it was recorded for."


class SupportProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportProvider
        fields = ["id", "name", "description", "active"]
        read_only_fields = fields


class ImprovementSupportSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="improvement-support-detail")
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = ImprovementSupport
        fields = [
            "id",
            "url",
            "partnership",
            "plan",
            "provider",
            "provider_name",
            "description",
            "starts_on",
            "ends_on",
            "status",
            "outcome",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _ProviderField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> models.QuerySet[SupportProvider]:
        return SupportProvider.objects.all()


class _SupportFields(serializers.Serializer):
    provider = _ProviderField(help_text="Id of a provider offered for new support.")
    description = serializers.CharField(help_text="The support: what it is.")
    plan = VisibleField(
        selectors.plan_list,
        required=False,
        allow_null=True,
        help_text="Id of the partnership's improvement plan it serves, if any.",
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=SupportStatus.choices, required=False)
    outcome = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed before it is marked complete."
    )


class SupportCreateSerializer(_SupportFields):
    partnership = PartnershipField(help_text="Id of the partnership supported.")


class SupportUpdateSerializer(_SupportFields):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_optional(self)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict) and "partnership" in self.initial_data:
            raise serializers.ValidationError({"partnership": [FIXED_PARTNERSHIP]})
        return attrs


SUPPORT_FIELDS = ("provider", "description", "plan", "starts_on", "ends_on", "status", "outcome")


def _inspection_of(plan) -> Any:
    return plan.inspection if plan is not None else None


@extend_schema_view(
    list=extend_schema(
        summary="List improvement support",
        description="Newest first. The partnership's link inspector and the team of the "
        "inspection behind the plan write; directors, chief executives and those who read that "
        "inspection's drafts read; for anyone else a list leaves it out and a record is a 404.",
    ),
    retrieve=extend_schema(summary="Improvement support"),
    create=extend_schema(
        summary="Record improvement support",
        request=SupportCreateSerializer,
        responses={201: ImprovementSupportSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change improvement support",
        description="Send `version` and the fields to change.",
        request=SupportUpdateSerializer,
        responses={200: ImprovementSupportSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive improvement support",
        parameters=[VERSION_PARAMETER],
        responses={200: ImprovementSupportSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ImprovementSupportViewSet(ImprovementViewSet):
    model = ImprovementSupport
    serializer_class = ImprovementSupportSerializer
    filterset_class = SupportFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def fetch(self, pk: Any) -> ImprovementSupport:
        return selectors.support_get(user=self.request.user, pk=pk)

    def create(self, request: Request) -> Response:
        data = self.input(SupportCreateSerializer)
        require(
            support_policy.can_add(
                request.user, data["partnership"], _inspection_of(data.get("plan"))
            ),
            NOT_ALLOWED_TO_ADD,
        )
        support = services.support_create(by=request.user, **data)
        return self.respond(support.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        support = self.get_object()
        require(support_policy.can_change(request.user, support))
        data = self.input(SupportUpdateSerializer)
        if data.get("plan") is not None:
            require(
                support_policy.can_add(request.user, support.partnership, data["plan"].inspection),
                NOT_ALLOWED_TO_ADD,
            )
        services.support_update(
            support=support,
            by=request.user,
            expected_version=data["version"],
            changes=changed(data, SUPPORT_FIELDS),
        )
        return self.respond(support.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        support = self.get_object()
        require(support_policy.can_archive(request.user, support))
        services.support_archive(
            support=support, by=request.user, expected_version=self.requested_version()
        )
        return self.respond(support.pk)


@extend_schema_view(
    list=extend_schema(
        summary="List support providers",
        description="By name: those offered for new support (`?retired=true` for all).",
    ),
    retrieve=extend_schema(summary="A support provider"),
)
class SupportProviderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SupportProviderSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProviderFilter

    def get_queryset(self) -> models.QuerySet[SupportProvider]:
        return SupportProvider.objects.order_by("name")
