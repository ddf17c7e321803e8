"""What the improvement API modules share: the base viewset, body fields and brief
representations.

Permission follows improvement.policies, as the pages do: a record the caller may not see is a
404 (lists leave it out); one they see but may not change is a 403. Writes go through
improvement.services, which validate (400 with field errors) and audit with the acting user; a
stale `version` is a 409 with `current_version`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.models import Inspection
from inspections.policies import inspection_policy
from partnerships.models import Partnership
from scrutiny.api import (  # noqa: F401  (re-exported for this app's API modules)
    ARCHIVED_REASON,
    REASON_PARAMETER,
    VERSION_PARAMETER,
    VERSION_REQUIRED_MESSAGE,
    ArchiveOnDeleteMixin,
    error_responses,
)

from ..models import SupportLevel

NOT_ALLOWED = "You may see this record but not change it."
NOT_ALLOWED_TO_ADD = "You may not add this record for this partnership or inspection."
ONLY_LEAD = "Only the lead inspector of the linked inspection or an administrator can do this."

REVISION_REASON_PARAMETER = OpenApiParameter(
    "revision_reason",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Why the plan is revised: required when the plan has been agreed (the change is "
    "recorded as a numbered revision of the plan).",
)


def refuse(detail: str = NOT_ALLOWED) -> None:
    raise exceptions.PermissionDenied(detail)


def require(allowed: bool, detail: str = NOT_ALLOWED) -> None:
    if not allowed:
        refuse(detail)


def query_or_body(request: Request, name: str) -> str:
    """A value sent as a query parameter or in the body (DELETE takes either)."""
    value = request.query_params.get(name)
    if not value and isinstance(request.data, dict):
        value = request.data.get(name)
    return str(value or "").strip()


def delete_reason(request: Request) -> str:
    return query_or_body(request, "reason") or ARCHIVED_REASON


def version_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}, **kwargs
    )


def make_optional(serializer: serializers.Serializer, keep: tuple[str, ...] = ("version",)):
    """For PATCH: every field but those kept becomes optional."""
    for name, field in serializer.fields.items():
        if name not in keep:
            field.required = False


def changed(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: data[name] for name in names if name in data}


class DecisionAgreeSerializer(serializers.Serializer):
    version = version_field(help_text="The version you read.")


# Body fields: what the caller may choose -----------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class PartnershipField(serializers.PrimaryKeyRelatedField):
    """A live partnership, by id."""

    def get_queryset(self) -> models.QuerySet[Partnership]:
        return Partnership.objects.filter(archived_at__isnull=True)


@extend_schema_field(OpenApiTypes.INT)
class InspectionField(serializers.PrimaryKeyRelatedField):
    """An inspection the caller may see, by id (any other id does not exist)."""

    def get_queryset(self) -> models.QuerySet[Inspection]:
        return inspection_policy.visible(
            self.context["request"].user, Inspection.objects.filter(archived_at__isnull=True)
        )


@extend_schema_field(OpenApiTypes.INT)
class LevelField(serializers.PrimaryKeyRelatedField):
    """A level of support, by id: 1 local partnership led, 2 commissioned, 3 assisted,
    4 directed (their `order`)."""

    def get_queryset(self) -> models.QuerySet[SupportLevel]:
        return SupportLevel.objects.filter(archived_at__isnull=True)


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    """A record the caller may see, by id, through a selector: `selector(user=...)`."""

    def __init__(self, selector, **kwargs: Any) -> None:
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet:
        return self.selector(user=self.context["request"].user)


# Brief representations -------------------------------------------------------------------------


class LevelBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportLevel
        fields = ["id", "order", "name"]
        read_only_fields = fields


# The base viewset ------------------------------------------------------------------------------


class ImprovementViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lists are the selector's queryset, built by the filterset from the query string; a
    record is fetched through the selector (404 if the caller may not see it); writes check the
    policy (403), then call one service."""

    filter_backends = [DjangoFilterBackend]
    model: type[models.Model]

    def get_queryset(self) -> models.QuerySet:
        return self.model.objects.none()

    def fetch(self, pk: Any) -> models.Model:
        raise NotImplementedError

    def get_object(self) -> models.Model:
        return self.fetch(self.kwargs["pk"])

    def respond(self, pk: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as it is now (after a write: as it was left)."""
        return Response(self.get_serializer(self.fetch(pk)).data, status=status_code)

    def input(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
