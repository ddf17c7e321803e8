"""/api/v1/improvement-plans/ (with `agree`) and /api/v1/improvement-actions/ (with their
progress updates at `progress-updates/`).

Once a plan is agreed, changing it or its actions' planned fields (description, owner, due date,
what it answers), adding or archiving an action needs a `revision_reason`: the change is
recorded as a numbered revision of the plan. Progress (an action's status and its dated
progress updates) is reported without one."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.api.common import UserBriefSerializer
from inspections.models import Finding, FindingKind
from scrutiny.api_fields import IdentityUrlField

from .. import selectors, services
from ..models import (
    ActionStatus,
    ImprovementAction,
    ImprovementPlan,
    PlanRevision,
    ProgressUpdate,
)
from ..policies import action_policy, plan_policy, progress_policy
from .common import (
    NOT_ALLOWED_TO_ADD,
    REASON_PARAMETER,
    REVISION_REASON_PARAMETER,
    VERSION_PARAMETER,
    ImprovementViewSet,
    InspectionField,
    PartnershipField,
    VisibleField,
    changed,
    delete_reason,
    error_responses,
    make_optional,
    query_or_body,
    require,
    version_field,
)
from .filters import ActionFilter, PlanFilter

AGREE_BY_ACTION = "Agree a plan with POST /api/v1/improvement-plans/{id}/agree/."
FIXED_PLAN_PLACE = "A plan stays with the partnership and inspection it was created for."
FIXED_ACTION_PLAN = "An action stays in the plan it was added to."
REVISION_REASON_HELP = (
    "Why the plan is revised: required when the plan has been agreed (the change is recorded "
    "as a numbered revision)."
)


# Plans -----------------------------------------------------------------------------------------


class PlanRevisionSerializer(serializers.ModelSerializer):
    made_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = PlanRevision
        fields = ["number", "reason", "summary", "made_by", "created_at"]
        read_only_fields = fields


class ImprovementPlanSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="improvement-plans-detail")
    revisions = PlanRevisionSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "url",
            "partnership",
            "inspection",
            "title",
            "status",
            "agreed_on",
            "agreed_by",
            "revisions",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _with_revisions() -> Prefetch:
    return Prefetch("revisions", PlanRevision.objects.select_related("made_by").order_by("number"))


class PlanCreateSerializer(serializers.Serializer):
    partnership = PartnershipField(help_text="Id of the partnership.")
    inspection = InspectionField(help_text="Id of a published inspection of the partnership.")
    title = serializers.CharField(max_length=200)


class PlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    revision_reason = serializers.CharField(
        required=False, allow_blank=True, help_text=REVISION_REASON_HELP
    )
    version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = self.initial_data if isinstance(self.initial_data, dict) else {}
        errors = {
            name: [FIXED_PLAN_PLACE] for name in ("partnership", "inspection") if name in sent
        }
        errors.update(
            {
                name: [AGREE_BY_ACTION]
                for name in ("status", "agreed_on", "agreed_by")
                if name in sent
            }
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PlanAgreeSerializer(serializers.Serializer):
    version = version_field(help_text="The version you read.")
    agreed_on = serializers.DateField(help_text="When the plan was agreed (not in the future).")
    agreed_by = serializers.CharField(
        max_length=200, help_text="Who agreed the plan (name and organisation)."
    )


PLAN_ACCESS = (
    " The inspection's team and the partnership's current link inspector write; directors, "
    "chief executives and those who read the inspection's drafts read; anyone else gets 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="List improvement plans",
        description="Newest first, each with its numbered revisions." + PLAN_ACCESS,
    ),
    retrieve=extend_schema(summary="An improvement plan"),
    create=extend_schema(
        summary="Create an improvement plan",
        description="A plan answers a published inspection of the partnership." + PLAN_ACCESS,
        request=PlanCreateSerializer,
        responses={201: ImprovementPlanSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a plan's title",
        description="Send `version` and `title`; once the plan is agreed, also `revision_reason`.",
        request=PlanUpdateSerializer,
        responses={200: ImprovementPlanSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive an improvement plan",
        description="It leaves lists but is never deleted.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: ImprovementPlanSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ImprovementPlanViewSet(ImprovementViewSet):
    model = ImprovementPlan
    serializer_class = ImprovementPlanSerializer
    filterset_class = PlanFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def filter_queryset(self, queryset):
        # The representation shows the partnership and inspection by id: no joins for them.
        return (
            super()
            .filter_queryset(queryset)
            .select_related(None)
            .prefetch_related(_with_revisions())
        )

    def fetch(self, pk: Any) -> ImprovementPlan:
        return selectors.plan_get(user=self.request.user, pk=pk)

    def create(self, request: Request) -> Response:
        data = self.input(PlanCreateSerializer)
        require(
            plan_policy.can_add(request.user, data["partnership"], data["inspection"]),
            NOT_ALLOWED_TO_ADD,
        )
        plan = services.plan_create(by=request.user, **data)
        return self.respond(plan.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        plan = self.get_object()
        require(plan_policy.can_change(request.user, plan))
        data = self.input(PlanUpdateSerializer)
        services.plan_update(
            plan=plan,
            by=request.user,
            expected_version=data["version"],
            title=data["title"],
            revision_reason=data.get("revision_reason"),
        )
        return self.respond(plan.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        plan = self.get_object()
        require(plan_policy.can_archive(request.user, plan))
        services.plan_archive(
            plan=plan,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(plan.pk)

    @extend_schema(
        summary="Agree an improvement plan",
        description="Records the date and who agreed it (a plan needs at least one action). "
        "From then on the plan changes only through numbered revisions, each with its reason.",
        request=PlanAgreeSerializer,
        responses={200: ImprovementPlanSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def agree(self, request: Request, pk: Any = None) -> Response:
        plan = self.get_object()
        require(plan_policy.can_change(request.user, plan))
        data = self.input(PlanAgreeSerializer)
        services.plan_agree(
            plan=plan,
            by=request.user,
            expected_version=data["version"],
            agreed_on=data["agreed_on"],
            agreed_by=data["agreed_by"],
        )
        return self.respond(plan.pk)


# Actions and their progress updates ------------------------------------------------------------


class ProgressUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "updated_on",
            "progress",
            "evidence",
            "version",
            "archived_at",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class _FindingIdsField(serializers.ReadOnlyField):
    """The ids of the findings an action answers: read for a whole list at once
    (`finding_ids`, set by `_with_finding_ids`), else from the action's findings."""

    def get_attribute(self, instance: ImprovementAction) -> list[int]:
        ids = getattr(instance, "finding_ids", None)
        return ids if ids is not None else [f.pk for f in instance.findings.all()]


class ImprovementActionSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="improvement-actions-detail")
    findings = _FindingIdsField(
        help_text="The areas for improvement and recommendations this action answers."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Past its due date and neither complete nor superseded."
    )
    progress_updates = ProgressUpdateSerializer(
        many=True, read_only=True, help_text="Dated progress updates, newest first."
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "url",
            "plan",
            "description",
            "findings",
            "owner_name",
            "owner_organisation",
            "due_on",
            "status",
            "overdue",
            "progress_updates",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, improvement_action: ImprovementAction) -> bool:
        today = self.context.setdefault("today", timezone.localdate())
        return improvement_action.is_overdue(today)


def _with_progress() -> Prefetch:
    return Prefetch(
        "progress_updates",
        ProgressUpdate.objects.filter(archived_at__isnull=True).order_by("-updated_on", "-pk"),
    )


def _with_finding_ids(actions: list[ImprovementAction]) -> None:
    """Each action's `finding_ids` (in the findings' own order), read from the link table in
    one query: no finding is loaded to give its id."""
    ids: dict[int, list[int]] = {each.pk: [] for each in actions}
    links = ImprovementAction.findings.through.objects.filter(improvementaction_id__in=ids)
    for action_id, finding_id in links.order_by(
        "finding__inspection_id", "finding__kind", "finding_id"
    ).values_list("improvementaction_id", "finding_id"):
        ids[action_id].append(finding_id)
    for each in actions:
        each.finding_ids = ids[each.pk]


@extend_schema_field(OpenApiTypes.INT)
class _FindingField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Finding.objects.filter(
            kind__in=[FindingKind.AREA_FOR_IMPROVEMENT, FindingKind.RECOMMENDATION],
            archived_at__isnull=True,
        )


class _ActionFields(serializers.Serializer):
    description = serializers.CharField()
    owner_name = serializers.CharField(max_length=200)
    owner_organisation = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    findings = _FindingField(
        many=True,
        required=False,
        help_text="Ids of the plan inspection's areas for improvement and recommendations "
        "this action answers.",
    )
    revision_reason = serializers.CharField(
        required=False, allow_blank=True, help_text=REVISION_REASON_HELP
    )


class ImprovementActionCreateSerializer(_ActionFields):
    plan = VisibleField(selectors.plan_list, help_text="Id of the improvement plan.")


class ImprovementActionUpdateSerializer(_ActionFields):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_optional(self)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict) and "plan" in self.initial_data:
            raise serializers.ValidationError({"plan": [FIXED_ACTION_PLAN]})
        return attrs


class ProgressInputSerializer(serializers.Serializer):
    updated_on = serializers.DateField(help_text="The date of the update (not in the future).")
    progress = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressChangeSerializer(serializers.Serializer):
    updated_on = serializers.DateField(required=False)
    progress = serializers.CharField(required=False)
    evidence = serializers.CharField(required=False, allow_blank=True)
    version = version_field()


ACTION_FIELDS = ("description", "owner_name", "owner_organisation", "due_on", "status")
UPDATE_ID = OpenApiParameter("update_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="List improvement actions",
        description="By due date, each with its live progress updates." + PLAN_ACCESS,
    ),
    retrieve=extend_schema(summary="An improvement action"),
    create=extend_schema(
        summary="Add an action to a plan",
        description="Once the plan is agreed, send `revision_reason` too.",
        request=ImprovementActionCreateSerializer,
        responses={201: ImprovementActionSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an action",
        description="Send `version` and the fields to change. Once the plan is agreed, a "
        "change to the description, owner, due date or what it answers needs "
        "`revision_reason`; a change of status does not.",
        request=ImprovementActionUpdateSerializer,
        responses={200: ImprovementActionSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Take an action out of its plan (archive it)",
        description="Once the plan is agreed, send `revision_reason` (a query parameter).",
        parameters=[VERSION_PARAMETER, REVISION_REASON_PARAMETER],
        responses={200: ImprovementActionSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ImprovementActionViewSet(ImprovementViewSet):
    model = ImprovementAction
    serializer_class = ImprovementActionSerializer
    filterset_class = ActionFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def filter_queryset(self, queryset):
        # What the representation reads: the plan by id, the live progress updates, and the
        # findings by id only (set on the page by `list`; a finding's text can be long).
        return (
            super()
            .filter_queryset(queryset)
            .select_related(None)
            .prefetch_related(None)
            .prefetch_related(_with_progress())
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        _with_finding_ids(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def fetch(self, pk: Any) -> ImprovementAction:
        found = selectors.action_get(user=self.request.user, pk=pk)
        prefetch_related_objects([found], _with_progress())
        return found

    def create(self, request: Request) -> Response:
        data = self.input(ImprovementActionCreateSerializer)
        require(action_policy.can_add(request.user, data["plan"]), NOT_ALLOWED_TO_ADD)
        created = services.action_create(
            by=request.user,
            plan=data["plan"],
            findings=data.get("findings") or [],
            revision_reason=data.get("revision_reason"),
            **changed(data, ACTION_FIELDS),
        )
        return self.respond(created.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        found = self.get_object()
        require(action_policy.can_change(request.user, found))
        data = self.input(ImprovementActionUpdateSerializer)
        services.action_update(
            action=found,
            by=request.user,
            expected_version=data["version"],
            changes=changed(data, ACTION_FIELDS),
            findings=data.get("findings"),
            revision_reason=data.get("revision_reason"),
        )
        return self.respond(found.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        found = self.get_object()
        require(action_policy.can_archive(request.user, found))
        services.action_archive(
            action=found,
            by=request.user,
            expected_version=self.requested_version(),
            revision_reason=query_or_body(request, "revision_reason") or None,
        )
        return self.respond(found.pk)

    @extend_schema(
        summary="Record progress on an action",
        description="A dated progress update with its evidence (no revision needed).",
        request=ProgressInputSerializer,
        responses={201: ProgressUpdateSerializer, **error_responses(400, 403, 404)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="progress-updates",
        url_name="progress-updates",
        filter_backends=[],
        pagination_class=None,
    )
    def progress_updates(self, request: Request, pk: Any = None) -> Response:
        found = self.get_object()
        require(action_policy.can_change(request.user, found))
        data = self.input(ProgressInputSerializer)
        update = services.progress_add(by=request.user, action=found, **data)
        return Response(ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a progress update",
        description="Send `version` and the fields to change.",
        parameters=[UPDATE_ID],
        request=ProgressChangeSerializer,
        responses={200: ProgressUpdateSerializer, **error_responses(400, 403, 404, 409)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Archive a progress update",
        description="It leaves the action's updates but is never deleted.",
        parameters=[UPDATE_ID, VERSION_PARAMETER],
        request=None,
        responses={200: ProgressUpdateSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"progress-updates/(?P<update_id>[0-9]+)",
        url_name="progress-update",
        filter_backends=[],
        pagination_class=None,
    )
    def progress_update(self, request: Request, pk: Any = None, update_id: Any = None) -> Response:
        found = self.get_object()
        update = selectors.progress_get(user=request.user, pk=update_id)
        if update.action_id != found.pk:
            raise Http404
        require(progress_policy.can_change(request.user, update))
        if request.method == "DELETE":
            update = services.progress_archive(
                update=update, by=request.user, expected_version=self.requested_version()
            )
            return Response(ProgressUpdateSerializer(update).data)
        data = self.input(ProgressChangeSerializer)
        update = services.progress_update(
            update=update,
            by=request.user,
            expected_version=data["version"],
            updated_on=data.get("updated_on", update.updated_on),
            progress=data.get("progress", update.progress),
            evidence=data.get("evidence", update.evidence),
        )
        return Response(ProgressUpdateSerializer(update).data)
