"""Shared API mechanisms: pagination, error translation, version-checked writes, archiving."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, pagination, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .services import ConflictError, archive, versioned_update

VERSION_REQUIRED_MESSAGE = "Send the version you are changing, as read from this record."
ARCHIVED_REASON = "Archived through the API"
UNSTORABLE_MESSAGE = (
    "A value sent cannot be stored: text with a NUL character, or a number out of range."
)

# Schema pieces every app's API shares.
VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="The version you are archiving, as read from the record. If it has changed "
    "since, the record is left alone and the answer is 409 with the current version.",
)
REASON_PARAMETER = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=f"Why it is archived, for its History (default: {ARCHIVED_REASON!r}).",
)
ERROR_RESPONSES = {
    400: OpenApiResponse(
        description="Bad input: an object of field names (or `non_field_errors`), each with a "
        "list of messages."
    ),
    401: OpenApiResponse(
        description="No credentials, or a token that is not (or no longer) valid: sign in or "
        "send `Authorization: Token <token>`."
    ),
    403: OpenApiResponse(description="You may see this but not do this."),
    404: OpenApiResponse(description="No such record, or one you may not see."),
    409: OpenApiResponse(
        description="Someone else changed the record first: `detail` and `current_version`."
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers for an endpoint, by status code."""
    return {code: ERROR_RESPONSES[code] for code in codes}


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and page != "last" and not page.isdigit():
            raise exceptions.ValidationError({"page": ["A page number is a whole number."]})
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not size.isdigit():
            raise exceptions.ValidationError({"page_size": ["A page size is a whole number."]})
        return super().paginate_queryset(queryset, request, view)


def _validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn domain errors into 400 (with field errors) and 409 (with the current version).

    A value the database refuses (DataError: a NUL character in text, a number out of range)
    that got past validation is the sender's error too: 400. The statement that failed was
    rolled back with the atomic block it ran in, or on its own outside one."""
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": exc.message, "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError({"non_field_errors": [UNSTORABLE_MESSAGE]})
    return drf_exception_handler(exc, context)


class ModelPermissionsOrReadOnly(permissions.DjangoModelPermissions):
    """Any signed-in user reads; writes need the model's add/change/delete permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }


class VersionedModelSerializer(serializers.ModelSerializer):
    """Writes go through scrutiny.services so they are audited and version-checked.

    Updates must carry `version`; a stale one is answered with 409 and the current version."""

    version = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": [VERSION_REQUIRED_MESSAGE]})
        return attrs

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        m2m = {
            name: validated_data.pop(name)
            for name in list(validated_data)
            if instance._meta.get_field(name).many_to_many
        }
        request = self.context["request"]
        updated = versioned_update(
            instance, by=request.user, expected_version=expected, changes=validated_data
        )
        for name, values in m2m.items():
            getattr(updated, name).set(values)
        return updated


class ArchiveOnDeleteMixin:
    """DELETE archives the record (with who and when) and never deletes a row."""

    def requested_version(self) -> int | None:
        """The version a DELETE was based on (?version= or the body), or None if not sent."""
        version = self.request.query_params.get("version")
        if not version and isinstance(self.request.data, dict):
            version = self.request.data.get("version")
        if version in (None, ""):
            return None
        try:
            return serializers.IntegerField(min_value=1).run_validation(version)
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError({"version": exc.detail}) from exc

    def perform_destroy(self, instance) -> None:
        archive(instance, by=self.request.user, expected_version=self.requested_version())

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.perform_destroy(instance)
        instance.refresh_from_db()
        return Response(self.get_serializer(instance).data, status=status.HTTP_200_OK)
