"""What the co-operation API modules share: the base viewset, brief representations, body
fields and error responses."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Agency, User
from scrutiny.api import (  # noqa: F401  (re-exported for this app's API modules)
    ARCHIVED_REASON,
    ERROR_RESPONSES,
    REASON_PARAMETER,
    VERSION_PARAMETER,
    VERSION_REQUIRED_MESSAGE,
    ArchiveOnDeleteMixin,
    ModelPermissionsOrReadOnly,
    error_responses,
)

from .. import selectors


def get_or_404(queryset: models.QuerySet, pk: Any) -> models.Model:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def today():
    return timezone.localdate()


def delete_reason(request: Request) -> str:
    reason = request.query_params.get("reason")
    if not reason and isinstance(request.data, dict):
        reason = request.data.get("reason")
    return str(reason or "").strip() or ARCHIVED_REASON


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )


@extend_schema_field(serializers.ChoiceField(choices=["CI", "HIS"]))
class BodyField(serializers.SlugRelatedField):
    """A body by its code (CI or HIS)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Agency.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return selectors.bodies()


@extend_schema_field(OpenApiTypes.INT)
class BodyUserField(serializers.PrimaryKeyRelatedField):
    """A user of either body, by id."""

    def get_queryset(self):
        return selectors.body_users()


class BodyUserBriefSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="agency.code", read_only=True)

    """A person at CI or HIS, with their body's code."""

    class Meta:
        model = User
        fields = ["id", "full_name", "body"]
        read_only_fields = fields


class CooperationViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lists are the selector's queryset, built by the filterset from the query string; a
    record is fetched through the selector (404 if the caller may not see it); writes go
    through the services."""

    permission_classes = [ModelPermissionsOrReadOnly]
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
