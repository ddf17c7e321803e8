"""/api/v1/users/: who the caller is, as the API sees them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .models import Agency, User


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name"]
        read_only_fields = fields


class CurrentUserSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)
    roles = serializers.ListField(
        child=serializers.CharField(),
        source="role_names",
        read_only=True,
        help_text="The roles this user holds, as administrators name them.",
    )

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "agency", "roles", "is_staff"]
        read_only_fields = fields


class UserViewSet(viewsets.GenericViewSet):
    serializer_class = CurrentUserSerializer

    def get_queryset(self):
        return User.objects.select_related("agency").prefetch_related("groups")

    @extend_schema(summary="The signed-in user", description="Your agency and roles.")
    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        user = self.get_queryset().get(pk=request.user.pk)
        return Response(self.get_serializer(user).data)
