"""The OpenAPI schema class every API view uses (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

Kept apart from scrutiny.api, which DRF imports while loading its settings (pagination), because
drf-spectacular's AutoSchema imports DRF's generic views, which need those settings."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from rest_framework import permissions, serializers

from .api import ERROR_RESPONSES, ArchiveOnDeleteMixin, VersionedModelSerializer

NO_SUCH_PAGE = "No such page of the list."
UNSUPPORTED_MEDIA_TYPE = "The body is not sent as JSON, a form or multipart form data."


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, documenting the errors every operation can answer with unless
    the view says otherwise: 400 where it takes query parameters or a body (and 415 for a body
    of another media type), 401 where the view needs credentials, 403 for a write, 404 for a
    record named in the path (or a page past the end of a list), 409 for a version-checked
    change or archive (scrutiny.api)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        responses = operation["responses"]
        if "requestBody" in operation or any(where == "query" for where, _ in parameters):
            responses.setdefault("400", {"description": ERROR_RESPONSES[400].description})
        if "requestBody" in operation:
            responses.setdefault("415", {"description": UNSUPPORTED_MEDIA_TYPE})
        if self._needs_credentials():
            responses.setdefault("401", {"description": ERROR_RESPONSES[401].description})
        if self.method not in permissions.SAFE_METHODS:
            responses.setdefault("403", {"description": ERROR_RESPONSES[403].description})
        if any(where == "path" for where, _ in parameters):
            responses.setdefault("404", {"description": ERROR_RESPONSES[404].description})
        elif ("query", "page") in parameters:
            responses.setdefault("404", {"description": NO_SUCH_PAGE})
        if self._version_checked():
            responses.setdefault("409", {"description": ERROR_RESPONSES[409].description})
        return operation

    def _needs_credentials(self) -> bool:
        """Whether an anonymous caller is refused (401: token authentication comes first)."""
        return not all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())

    def _version_checked(self) -> bool:
        """A write through scrutiny.api's version-checked serializer or archiving DELETE."""
        if self.method == "DELETE":
            return isinstance(self.view, ArchiveOnDeleteMixin)
        if self.method in ("PUT", "PATCH"):
            serializer = self.get_request_serializer()
            cls = serializer if isinstance(serializer, type) else type(serializer)
            return issubclass(cls, VersionedModelSerializer)
        return False

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops allow_blank from a model serializer's read-only fields, but a choice stored
        # blank is still read back as "": say so, as the field would if it were writable.
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            model_field = _model_field(model, field.source) if model else None
            text = isinstance(model_field, (models.CharField, models.TextField))
            if text and model_field.blank:  # as DRF decides for a writable field
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_field(model, source: str):
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:  # a property or a related path: not a stored choice
        return None
