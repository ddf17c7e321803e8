"""What the inspections API modules share: brief representations, error responses and
the helpers for refusals, version checks and archive reasons."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import exceptions, serializers
from rest_framework.request import Request

from accounts.models import User
from partnerships.models import Partnership
from scrutiny.api import (  # noqa: F401  (re-exported for this app's API modules)
    ARCHIVED_REASON,
    ERROR_RESPONSES,
    REASON_PARAMETER,
    VERSION_PARAMETER,
    error_responses,
)
from scrutiny.api_fields import IdentityUrlField
from scrutiny.services import ConflictError

from ..models import Attachment, Programme, QualityIndicator


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
    url = IdentityUrlField(view_name="programmes-detail")

    class Meta:
        model = Programme
        fields = ["id", "url", "code", "name"]
        read_only_fields = fields


class PartnershipBriefSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="partnerships-detail")

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
    url = IdentityUrlField(view_name="attachments-detail")
    download_url = IdentityUrlField(view_name="attachments-download")

    class Meta:
        model = Attachment
        fields = ["id", "url", "download_url", "original_name", "content_type", "size"]
        read_only_fields = fields
