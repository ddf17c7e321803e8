"""What the inspections API modules share: brief representations, error responses and
the helpers for refusals, version checks and archive reasons."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.request import Request

from accounts.models import User
from partnerships.models import Partnership
from scrutiny.services import ConflictError

from ..models import Attachment, Programme, QualityIndicator

ARCHIVED_REASON = "Archived through the API"

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
    403: OpenApiResponse(description="You may see this but not do this."),
    404: OpenApiResponse(description="No such record, or one you may not see."),
    409: OpenApiResponse(
        description="Someone else changed the record first: `detail` and `current_version`."
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERROR_RESPONSES[code] for code in codes}


def refuse(detail: str) -> None:
    raise exceptions.PermissionDenied(detail)


def check_version(obj: models.Model, expected: int | None) -> None:
    """For services that archive without a version check of their own."""
    if expected is not None and obj.version != expected:
        raise ConflictError(obj)


def delete_reason(request: Request) -> str:
    reason = request.query_params.get("reason")
    if not reason and isinstance(request.data, dict):
        reason = request.data.get("reason")
    return str(reason or "").strip() or ARCHIVED_REASON


def refuse_fields(data: Any, refused: dict[str, str]) -> None:
    """A field the endpoint cannot change is an error, not silently ignored."""
    if not isinstance(data, dict):
        return
    errors = {name: [message] for name, message in refused.items() if name in data}
    if errors:
        raise serializers.ValidationError(errors)


# Brief representations -----------------------------------------------------------------------


class UserBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class ProgrammeBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="programmes-detail")

    class Meta:
        model = Programme
        fields = ["id", "url", "code", "name"]
        read_only_fields = fields


class PartnershipBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="partnerships-detail")

    class Meta:
        model = Partnership
        fields = ["id", "url", "kind", "name"]
        read_only_fields = fields


class QualityIndicatorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityIndicator
        fields = ["id", "number", "title"]
        read_only_fields = fields


class AttachmentBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="attachments-detail")
    download_url = serializers.HyperlinkedIdentityField(view_name="attachments-download")

    class Meta:
        model = Attachment
        fields = ["id", "url", "download_url", "original_name", "content_type", "size"]
        read_only_fields = fields
