"""/api/v1/engagements/, /api/v1/link-risks/ and /api/v1/good-practice/: the link-inspector
engagement log. Lists are the selectors' querysets (the same permission filtering, archive rule
and order as the pages, in a fixed number of queries); writes go through the services, so they
are permission-checked, version-checked and audited; DELETE archives."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api import (
    ARCHIVED_REASON,
    REASON_PARAMETER,
    VERSION_PARAMETER,
    VERSION_REQUIRED_MESSAGE,
    ArchiveOnDeleteMixin,
    error_responses,
)
from scrutiny.api_fields import DisplayField, IdentityUrlField

from . import engagement_selectors as selectors
from . import engagement_services as services
from .filters import IdChoiceFilter, StrictBooleanFilter
from .models import (
    Engagement,
    EngagementKind,
    GoodPractice,
    GoodPracticeStatus,
    LinkActivityArea,
    LinkRisk,
    LinkRiskStatus,
    LocalAuthority,
    Partnership,
    ServiceArea,
)
from .policies import engagement_policy

# Filters -------------------------------------------------------------------------------------


def _areas(request) -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.all() if request is not None else LocalAuthority.objects.none()


def _partnerships(request) -> QuerySet[Partnership]:
    return Partnership.objects.all() if request is not None else Partnership.objects.none()


def _activity_areas(request) -> QuerySet[LinkActivityArea]:
    if request is None:
        return LinkActivityArea.objects.none()
    return LinkActivityArea.objects.all()


def _ordering(keys, default: str) -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        choices=[(key, key) for key in keys],
        label=f"Sort order, one of: {', '.join(keys)} (default {default}).",
    )


class LogFilterSet(filters.FilterSet):
    """Validates the query string (a bad value is a 400 naming the parameter), then answers
    with the selector's own queryset."""

    local_authority = IdChoiceFilter(
        queryset=_areas,
        label="Id of a council area: its whole log, with the partnerships covering it.",
    )
    partnership = IdChoiceFilter(queryset=_partnerships, label="Id of a partnership.")
    date_from = filters.DateFilter(label="On or after this date (YYYY-MM-DD).")
    date_to = filters.DateFilter(label="On or before this date (YYYY-MM-DD).")
    archived = StrictBooleanFilter(
        label="Include archived records (true or false). Left out unless this is true."
    )

    def select(self, user, values: dict[str, Any], common: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = self.form.cleaned_data
        common = {
            "local_authority": values.get("local_authority"),
            "partnership": values.get("partnership"),
            "date_from": values.get("date_from"),
            "date_to": values.get("date_to"),
            "include_archived": bool(values.get("archived")),
        }
        if values.get("ordering"):
            common["ordering"] = values["ordering"]
        return self.select(self.request.user, values, common)


class EngagementFilter(LogFilterSet):
    kind = filters.ChoiceFilter(choices=EngagementKind.choices, label="Kind of engagement.")
    area = IdChoiceFilter(
        queryset=_activity_areas, label="Id of an area of link-inspector activity it covered."
    )
    search = filters.CharFilter(label="Words in the notes.")
    ordering = _ordering(list(selectors.ENGAGEMENT_ORDERINGS), "-date")

    def select(self, user, values, common):
        return selectors.engagement_list(
            user=user,
            kind=values.get("kind") or "",
            area=values.get("area"),
            search=(values.get("search") or "").strip(),
            **common,
        )


class LinkRiskFilter(LogFilterSet):
    status = filters.ChoiceFilter(
        choices=[(selectors.CURRENT, "Not closed"), *LinkRiskStatus.choices],
        label="open, monitoring or closed; `current` means open or monitoring.",
    )
    search = filters.CharFilter(label="Words in the title, description or likely impact.")
    ordering = _ordering(list(selectors.RISK_ORDERINGS), "-found")

    def select(self, user, values, common):
        return selectors.link_risk_list(
            user=user,
            status=values.get("status") or "",
            search=(values.get("search") or "").strip(),
            **common,
        )


class GoodPracticeFilter(LogFilterSet):
    q = filters.CharFilter(label="Words that must all appear in the title, description or theme.")
    service_area = filters.ChoiceFilter(choices=ServiceArea.choices, label="Services.")
    status = filters.ChoiceFilter(choices=GoodPracticeStatus.choices, label="Identified or shared.")
    ordering = _ordering(list(selectors.GOOD_PRACTICE_ORDERINGS), "-found")

    def select(self, user, values, common):
        return selectors.good_practice_list(
            user=user,
            search=(values.get("q") or "").strip(),
            service_area=values.get("service_area") or "",
            status=values.get("status") or "",
            **common,
        )


# Serializers ---------------------------------------------------------------------------------


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )


def _all_optional_but_version(serializer: serializers.Serializer) -> None:
    for name, field in serializer.fields.items():
        if name != "version":
            field.required = False


class ActivityAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkActivityArea
        fields = ["id", "number", "title"]
        read_only_fields = fields


class EngagementSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="engagements-detail")
    kind_display = DisplayField(source="get_kind_display")
    areas = ActivityAreaSerializer(many=True, read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)
    risk_count = serializers.IntegerField(read_only=True, help_text="Risks found or followed.")
    good_practice_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "url",
            "local_authority",
            "partnership",
            "engaged_on",
            "kind",
            "kind_display",
            "areas",
            "notes",
            "recorded_by",
            "recorded_by_name",
            "risk_count",
            "good_practice_count",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EngagementInputSerializer(serializers.Serializer):
    local_authority = serializers.PrimaryKeyRelatedField(
        queryset=LocalAuthority.objects.all(),
        required=False,
        allow_null=True,
        help_text="The council area it was with; or send `partnership` instead.",
    )
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.all(),
        required=False,
        allow_null=True,
        help_text="The partnership it was with; or send `local_authority` instead.",
    )
    engaged_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=EngagementKind.choices)
    areas = serializers.PrimaryKeyRelatedField(
        queryset=LinkActivityArea.objects.filter(archived_at__isnull=True),
        many=True,
        help_text="Ids of the areas of link-inspector activity it covered (at least one).",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class EngagementUpdateSerializer(serializers.Serializer):
    version = _version()
    engaged_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=EngagementKind.choices)
    areas = serializers.PrimaryKeyRelatedField(
        queryset=LinkActivityArea.objects.filter(archived_at__isnull=True), many=True
    )
    notes = serializers.CharField(allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _all_optional_but_version(self)


class LinkRiskSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="link-risks-detail")
    status_display = DisplayField(source="get_status_display")
    engagements = serializers.SerializerMethodField(
        help_text="Ids of the engagements that found and followed it, newest first."
    )
    last_engagement_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = LinkRisk
        fields = [
            "id",
            "url",
            "local_authority",
            "partnership",
            "title",
            "description",
            "likely_impact",
            "identified_on",
            "status",
            "status_display",
            "closed_on",
            "closing_note",
            "engagements",
            "last_engagement_on",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_engagements(self, risk: LinkRisk) -> list[int]:
        return [e.pk for e in risk.engagements.all()]


class LinkRiskInputSerializer(serializers.Serializer):
    engagement = serializers.PrimaryKeyRelatedField(
        queryset=Engagement.objects.all(), help_text="Id of the engagement that found it."
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    likely_impact = serializers.CharField()
    status = serializers.ChoiceField(
        choices=LinkRiskStatus.choices,
        required=False,
        help_text="Open (the default) or monitoring.",
    )


class LinkRiskUpdateSerializer(serializers.Serializer):
    version = _version()
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True)
    likely_impact = serializers.CharField()
    status = serializers.ChoiceField(
        choices=LinkRiskStatus.choices, help_text="Open or monitoring. Close a risk with `close/`."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _all_optional_but_version(self)


class LinkRiskCloseSerializer(serializers.Serializer):
    version = _version()
    closed_on = serializers.DateField()
    closing_note = serializers.CharField(max_length=5000)


class LinkRiskReopenSerializer(serializers.Serializer):
    version = _version()
    reason = serializers.CharField(max_length=500)


class LinkRiskFollowSerializer(serializers.Serializer):
    version = _version()
    engagement = serializers.PrimaryKeyRelatedField(
        queryset=Engagement.objects.all(), help_text="Id of the engagement that followed it up."
    )


class GoodPracticeSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="good-practice-detail")
    service_area_display = DisplayField(source="get_service_area_display")
    status_display = DisplayField(source="get_status_display")
    engagements = serializers.SerializerMethodField(
        help_text="Ids of the engagements that found it (those you may see)."
    )

    class Meta:
        model = GoodPractice
        fields = [
            "id",
            "url",
            "local_authority",
            "partnership",
            "title",
            "description",
            "service_area",
            "service_area_display",
            "theme",
            "status",
            "status_display",
            "identified_on",
            "shared_on",
            "engagements",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_engagements(self, item: GoodPractice) -> list[int]:
        return [e.pk for e in item.engagements.all()]


class GoodPracticeInputSerializer(serializers.Serializer):
    engagement = serializers.PrimaryKeyRelatedField(
        queryset=Engagement.objects.all(), help_text="Id of the engagement that found it."
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    service_area = serializers.ChoiceField(choices=ServiceArea.choices)
    theme = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=GoodPracticeStatus.choices, required=False)


class GoodPracticeUpdateSerializer(serializers.Serializer):
    version = _version()
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    service_area = serializers.ChoiceField(choices=ServiceArea.choices)
    theme = serializers.CharField(max_length=200, allow_blank=True)
    status = serializers.ChoiceField(choices=GoodPracticeStatus.choices)
    shared_on = serializers.DateField(
        allow_null=True, help_text="When it was shared; today if left out when it is shared."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _all_optional_but_version(self)


# Views ---------------------------------------------------------------------------------------


def _delete_reason(request: Request) -> str:
    reason = request.query_params.get("reason")
    if not reason and isinstance(request.data, dict):
        reason = request.data.get("reason")
    return str(reason or "").strip() or ARCHIVED_REASON


def _visible_engagement(request: Request, engagement: Engagement) -> Engagement:
    """An engagement named in a request body that the caller may not see does not exist."""
    if not engagement_policy.can_view(request.user, engagement):
        raise serializers.ValidationError(
            {"engagement": [f'Invalid pk "{engagement.pk}" - object does not exist.']}
        )
    return engagement


class LogViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lists are the selector's queryset, built by the filterset from the query string; one
    record is fetched through the same selector (404 if the caller may not see it); every
    signed-in user may call, and the services decide who may write (403 otherwise)."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    model: type

    def get_queryset(self) -> QuerySet:
        return self.model.objects.none()

    def fetch(self, pk: Any):
        raise NotImplementedError

    def get_object(self):
        return self.fetch(self.kwargs["pk"])

    def respond(self, pk: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.fetch(pk)).data, status=status_code)

    def input(self, serializer_class: type[serializers.Serializer]) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _get(queryset: QuerySet, pk: Any):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


_ARCHIVE = {
    "parameters": [VERSION_PARAMETER, REASON_PARAMETER],
    "responses": error_responses(400, 403, 404, 409),
}


@extend_schema_view(
    list=extend_schema(
        summary="List engagements",
        description="Engagements you may see (the council areas you follow as link inspector "
        "or relationship manager and their partnerships; every one for directors, chief "
        "executives and administrators), newest first.",
    ),
    retrieve=extend_schema(summary="An engagement"),
    create=extend_schema(
        summary="Record an engagement",
        description="With a council area or a partnership: send exactly one of "
        "`local_authority` and `partnership`.",
        request=EngagementInputSerializer,
        responses={201: EngagementSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an engagement",
        request=EngagementUpdateSerializer,
        responses={200: EngagementSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive an engagement",
        parameters=_ARCHIVE["parameters"],
        responses={200: EngagementSerializer, **_ARCHIVE["responses"]},
    ),
)
class EngagementViewSet(LogViewSet):
    model = Engagement
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter

    def fetch(self, pk: Any) -> Engagement:
        return _get(selectors.engagement_list(user=self.request.user, include_archived=True), pk)

    def create(self, request: Request) -> Response:
        data = self.input(EngagementInputSerializer)
        engagement = services.engagement_create(by=request.user, **data)
        return self.respond(engagement.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        engagement = self.get_object()
        data = self.input(EngagementUpdateSerializer)
        version = data.pop("version")
        areas = data.pop("areas", None)
        services.engagement_update(
            engagement=engagement,
            by=request.user,
            expected_version=version,
            changes=data,
            areas=areas,
        )
        return self.respond(engagement.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        engagement = self.get_object()
        services.engagement_archive(
            engagement=engagement,
            by=request.user,
            reason=_delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(engagement.pk)


def _risk_engagements() -> Prefetch:
    return Prefetch(
        "engagements",
        queryset=Engagement.objects.filter(archived_at__isnull=True).order_by("-engaged_on", "-pk"),
    )


@extend_schema_view(
    list=extend_schema(
        summary="List risks to outcomes",
        description="Risks engagement found, newest first, with the date each was last "
        "followed up.",
    ),
    retrieve=extend_schema(summary="A risk to outcomes"),
    create=extend_schema(
        summary="Record a risk an engagement found",
        description="It is about what the engagement was with, found on the engagement's date.",
        request=LinkRiskInputSerializer,
        responses={201: LinkRiskSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a risk",
        description="Not when it is closed: reopen it first.",
        request=LinkRiskUpdateSerializer,
        responses={200: LinkRiskSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive a risk",
        parameters=_ARCHIVE["parameters"],
        responses={200: LinkRiskSerializer, **_ARCHIVE["responses"]},
    ),
)
class LinkRiskViewSet(LogViewSet):
    model = LinkRisk
    serializer_class = LinkRiskSerializer
    filterset_class = LinkRiskFilter

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).prefetch_related(_risk_engagements())

    def fetch(self, pk: Any) -> LinkRisk:
        return _get(
            selectors.link_risk_list(
                user=self.request.user, include_archived=True
            ).prefetch_related(_risk_engagements()),
            pk,
        )

    def create(self, request: Request) -> Response:
        data = self.input(LinkRiskInputSerializer)
        data["engagement"] = _visible_engagement(request, data["engagement"])
        risk = services.link_risk_create(by=request.user, **data)
        return self.respond(risk.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        data = self.input(LinkRiskUpdateSerializer)
        version = data.pop("version")
        services.link_risk_update(
            risk=risk, by=request.user, expected_version=version, changes=data
        )
        return self.respond(risk.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        services.link_risk_archive(
            risk=risk,
            by=request.user,
            reason=_delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(risk.pk)

    @extend_schema(
        summary="Close a risk",
        description="With the date it closed and a note saying why.",
        request=LinkRiskCloseSerializer,
        responses={200: LinkRiskSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        data = self.input(LinkRiskCloseSerializer)
        services.link_risk_close(
            risk=risk,
            by=request.user,
            expected_version=data["version"],
            closed_on=data["closed_on"],
            closing_note=data["closing_note"],
        )
        return self.respond(risk.pk)

    @extend_schema(
        summary="Reopen a closed risk",
        description="The reason, closing date and note stay in its History.",
        request=LinkRiskReopenSerializer,
        responses={200: LinkRiskSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        data = self.input(LinkRiskReopenSerializer)
        services.link_risk_reopen(
            risk=risk, by=request.user, expected_version=data["version"], reason=data["reason"]
        )
        return self.respond(risk.pk)

    @extend_schema(
        summary="Record that a later engagement followed the risk up",
        request=LinkRiskFollowSerializer,
        responses={200: LinkRiskSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def engagements(self, request: Request, pk: Any = None) -> Response:
        risk = self.get_object()
        data = self.input(LinkRiskFollowSerializer)
        services.link_risk_follow(
            risk=risk,
            engagement=_visible_engagement(request, data["engagement"]),
            by=request.user,
            expected_version=data["version"],
        )
        return self.respond(risk.pk)


@extend_schema_view(
    list=extend_schema(
        summary="Search good practice across Scotland",
        description="Shared good practice is listed for everyone signed in; good practice not "
        "yet shared only for those who follow its council area, directors, chief executives and "
        "administrators. `q` matches every word in the title, description or theme.",
    ),
    retrieve=extend_schema(summary="Good practice"),
    create=extend_schema(
        summary="Record good practice an engagement found",
        request=GoodPracticeInputSerializer,
        responses={201: GoodPracticeSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change good practice (for example, mark it shared)",
        request=GoodPracticeUpdateSerializer,
        responses={200: GoodPracticeSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive good practice",
        parameters=_ARCHIVE["parameters"],
        responses={200: GoodPracticeSerializer, **_ARCHIVE["responses"]},
    ),
)
class GoodPracticeViewSet(LogViewSet):
    model = GoodPractice
    serializer_class = GoodPracticeSerializer
    filterset_class = GoodPracticeFilter

    def _engagements(self) -> Prefetch:
        visible = engagement_policy.visible(
            self.request.user, Engagement.objects.filter(archived_at__isnull=True)
        )
        return Prefetch("engagements", queryset=visible.order_by("-engaged_on", "-pk"))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).prefetch_related(self._engagements())

    def fetch(self, pk: Any) -> GoodPractice:
        return _get(
            selectors.good_practice_list(
                user=self.request.user, include_archived=True
            ).prefetch_related(self._engagements()),
            pk,
        )

    def create(self, request: Request) -> Response:
        data = self.input(GoodPracticeInputSerializer)
        data["engagement"] = _visible_engagement(request, data["engagement"])
        item = services.good_practice_create(by=request.user, **data)
        return self.respond(item.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        data = self.input(GoodPracticeUpdateSerializer)
        version = data.pop("version")
        services.good_practice_update(
            item=item, by=request.user, expected_version=version, changes=data
        )
        return self.respond(item.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        services.good_practice_archive(
            item=item,
            by=request.user,
            reason=_delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(item.pk)
