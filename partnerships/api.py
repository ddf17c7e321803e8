"""/api/v1/ for partnership reference data: every signed-in user reads, administrators write.

Lists come from the selectors (through the FilterSets in .filters), so the API shows what the
pages show. Writes go through the services, so they are version-checked and audited with the
acting user; DELETE archives and never deletes a row."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from scrutiny.api import (
    VERSION_PARAMETER,
    ArchiveOnDeleteMixin,
    ModelPermissionsOrReadOnly,
    VersionedModelSerializer,
)
from scrutiny.api_fields import DisplayField, IdentityUrlField
from scrutiny.services import audited_save

from .filters import (
    HealthBoardFilter,
    LocalAuthorityFilter,
    PartnershipFilter,
    StableOrderingFilter,
)
from .models import HealthBoard, LocalAuthority, Partnership
from .policies import health_board_policy, local_authority_policy, partnership_policy
from .selectors import with_related
from .services import partnership_archive, partnership_update

CREATED_REASON = "Created through the API"


def _archive_schema(serializer: type[serializers.Serializer], noun: str):
    return extend_schema(
        summary=f"Archive a {noun}",
        description=f"Archives the {noun}: it leaves default lists but is never deleted, and is "
        "still found by its id. Answers with the archived record.",
        parameters=[VERSION_PARAMETER],
        responses={200: serializer},
    )


class AuditedCreateMixin:
    """POST saves through scrutiny.services.audited_save, recording the acting user."""

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        model = self.Meta.model
        validated_data.pop("version", None)  # a new record starts at version 1
        m2m = {
            name: validated_data.pop(name)
            for name in list(validated_data)
            if model._meta.get_field(name).many_to_many
        }
        with transaction.atomic():
            instance = audited_save(
                model(**validated_data), by=self.context["request"].user, reason=CREATED_REASON
            )
            for name, values in m2m.items():
                getattr(instance, name).set(values)
        return instance


class HealthBoardBriefSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="health-boards-detail")

    class Meta:
        model = HealthBoard
        fields = ["id", "url", "gss_code", "name"]
        read_only_fields = fields


class LocalAuthorityBriefSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="local-authorities-detail")

    class Meta:
        model = LocalAuthority
        fields = ["id", "url", "gss_code", "name"]
        read_only_fields = fields


class HealthBoardSerializer(AuditedCreateMixin, VersionedModelSerializer):
    url = IdentityUrlField(view_name="health-boards-detail")

    class Meta:
        model = HealthBoard
        fields = ["id", "url", "gss_code", "name", "version", "archived_at"]


class LocalAuthoritySerializer(AuditedCreateMixin, VersionedModelSerializer):
    url = IdentityUrlField(view_name="local-authorities-detail")

    class Meta:
        model = LocalAuthority
        fields = ["id", "url", "gss_code", "name", "health_board", "version", "archived_at"]


class PartnershipSerializer(AuditedCreateMixin, VersionedModelSerializer):
    url = IdentityUrlField(view_name="partnerships-detail")
    kind_display = DisplayField(source="get_kind_display")
    local_authority_details = LocalAuthorityBriefSerializer(
        source="local_authorities", many=True, read_only=True
    )
    health_board_details = HealthBoardBriefSerializer(
        source="health_boards", many=True, read_only=True
    )

    class Meta:
        model = Partnership
        fields = [
            "id",
            "url",
            "kind",
            "kind_display",
            "name",
            "gss_code",
            "integration_model",
            "integration_model_confirmed",
            "local_authorities",
            "local_authority_details",
            "health_boards",
            "health_board_details",
            "notes",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]

    def update(self, instance: Partnership, validated_data: dict[str, Any]) -> Partnership:
        """Field and council/board changes in one audited, version-checked transaction."""
        expected = validated_data.pop("version")
        local_authorities = validated_data.pop("local_authorities", None)
        health_boards = validated_data.pop("health_boards", None)
        return partnership_update(
            partnership=instance,
            by=self.context["request"].user,
            expected_version=expected,
            changes=validated_data,
            local_authorities=local_authorities,
            health_boards=health_boards,
        )


class ReferenceViewSet(ArchiveOnDeleteMixin, viewsets.ModelViewSet):
    """Shared behaviour: query parameters narrow lists only, so a record (archived or not)
    is always reachable by its id."""

    permission_classes = [ModelPermissionsOrReadOnly]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]

    def filter_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(destroy=_archive_schema(HealthBoardSerializer, "health board"))
class HealthBoardViewSet(ReferenceViewSet):
    serializer_class = HealthBoardSerializer
    filterset_class = HealthBoardFilter
    ordering_fields = ["name", "gss_code"]
    ordering = ["name"]

    def get_queryset(self) -> models.QuerySet[HealthBoard]:
        return health_board_policy.visible(self.request.user, HealthBoard.objects.all())


@extend_schema_view(destroy=_archive_schema(LocalAuthoritySerializer, "council area"))
class LocalAuthorityViewSet(ReferenceViewSet):
    serializer_class = LocalAuthoritySerializer
    filterset_class = LocalAuthorityFilter
    ordering_fields = ["name", "gss_code"]
    ordering = ["name"]

    def get_queryset(self) -> models.QuerySet[LocalAuthority]:
        return local_authority_policy.visible(self.request.user, LocalAuthority.objects.all())


@extend_schema_view(destroy=_archive_schema(PartnershipSerializer, "partnership"))
class PartnershipViewSet(ReferenceViewSet):
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    ordering_fields = ["name", "kind", "gss_code", "created_at", "updated_at"]
    ordering = ["name", "kind"]

    def get_queryset(self) -> models.QuerySet[Partnership]:
        return with_related(
            partnership_policy.visible(self.request.user, Partnership.objects.all())
        )

    def perform_destroy(self, instance: Partnership) -> None:
        partnership_archive(
            partnership=instance, by=self.request.user, expected_version=self.requested_version()
        )
