"""/api/v1/msg-self-evaluations/: MSG self-evaluation rounds with their ratings, and the national
summary. Every signed-in user reads; the partnership's link inspector or an administrator writes
(through partnerships.msg, so writes are version-checked and audited).

The list gives each round with a summary of its ratings (how many proposals are rated, and how
many at each level), counted in the database; a round's own address (and every write) answers
with its ratings in full. A page of 50 rounds would otherwise carry 1,250 ratings."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scrutiny.api import VERSION_REQUIRED_MESSAGE, error_responses
from scrutiny.api_fields import DisplayField, IdentityUrlField

from . import msg
from .models import (
    MsgProposal,
    MsgRating,
    MsgRatingLevel,
    MsgSelfEvaluation,
    MsgStatus,
    Partnership,
)
from .policies import msg_policy


class MsgSelfEvaluationFilter(filters.FilterSet):
    partnership = filters.NumberFilter(field_name="partnership_id", help_text="A partnership id.")
    status = filters.ChoiceFilter(choices=MsgStatus.choices)

    class Meta:
        model = MsgSelfEvaluation
        fields = ["partnership", "status"]


class MsgRatingSerializer(serializers.ModelSerializer):
    proposal_number = serializers.CharField(source="proposal.number", read_only=True)
    rating_display = DisplayField(source="get_rating_display")

    class Meta:
        model = MsgRating
        fields = [
            "id",
            "proposal",
            "proposal_number",
            "rating",
            "rating_display",
            "comment",
            "evidence",
            "validation_note",
            "validated_by",
            "validated_at",
            "version",
        ]
        read_only_fields = fields


class RatingsSummarySerializer(serializers.Serializer):
    rated = serializers.IntegerField(help_text="Proposals this round rates.")
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Proposals at each rating level (every level, 0 when none).",
    )


class MsgSelfEvaluationListSerializer(serializers.ModelSerializer):
    """A round in a list: its ratings summarised (the round's own address has them in full)."""

    url = IdentityUrlField(view_name="msg-self-evaluations-detail")
    ratings_summary = serializers.SerializerMethodField()

    class Meta:
        model = MsgSelfEvaluation
        fields = [
            "id",
            "url",
            "partnership",
            "evaluated_on",
            "status",
            "notes",
            "ratings_summary",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RatingsSummarySerializer)
    def get_ratings_summary(self, round_: MsgSelfEvaluation) -> dict:
        summaries = self.context.get("summaries")
        if summaries is None or round_.pk not in summaries:
            summaries = msg.ratings_summaries([round_])
        counts = summaries[round_.pk]
        return {"rated": sum(counts.values()), "counts": counts}


class MsgSelfEvaluationSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="msg-self-evaluations-detail")
    ratings = MsgRatingSerializer(source="active_ratings", many=True, read_only=True)

    class Meta:
        model = MsgSelfEvaluation
        fields = [
            "id",
            "url",
            "partnership",
            "evaluated_on",
            "status",
            "notes",
            "ratings",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RatingInputSerializer(serializers.Serializer):
    proposal = serializers.PrimaryKeyRelatedField(
        queryset=MsgProposal.objects.filter(archived_at__isnull=True)
    )
    rating = serializers.ChoiceField(
        choices=MsgRatingLevel.choices,
        allow_blank=True,
        help_text="Blank clears the proposal's rating.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


def _ratings(items: list[dict]) -> dict[int, msg.RatingInput]:
    return {
        item["proposal"].pk: msg.RatingInput(
            rating=item["rating"], comment=item["comment"], evidence=item["evidence"]
        )
        for item in items
    }


class MsgRoundCreateSerializer(serializers.Serializer):
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.filter(archived_at__isnull=True)
    )
    evaluated_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    ratings = RatingInputSerializer(many=True, required=False, default=list)


class MsgRoundUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )
    notes = serializers.CharField(required=False, allow_blank=True)
    ratings = RatingInputSerializer(many=True, required=False, default=list)


class MsgSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )


class ValidationNoteSerializer(serializers.Serializer):
    proposal = serializers.PrimaryKeyRelatedField(queryset=MsgProposal.objects.all())
    validation_note = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(
        min_value=1,
        help_text="The rating's version, as read from this round.",
        error_messages={"required": VERSION_REQUIRED_MESSAGE},
    )


class NationalRowSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal.pk")
    number = serializers.CharField(source="proposal.number")
    feature = serializers.IntegerField(source="proposal.feature.number")
    title = serializers.CharField(source="proposal.title")
    timescale = serializers.CharField(source="proposal.timescale")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Partnerships at each rating level."
    )
    rated = serializers.IntegerField(help_text="Partnerships rating this proposal.")


class NationalSerializer(serializers.Serializer):
    partnerships = serializers.IntegerField(help_text="Partnerships with a submitted round.")
    proposals = NationalRowSerializer(source="rows", many=True)


@extend_schema_view(
    list=extend_schema(
        summary="List self-evaluation rounds",
        description="Newest first, each with a summary of its ratings: how many proposals it "
        "rates and how many at each level. A round's own address gives its ratings in full.",
    ),
    retrieve=extend_schema(summary="A self-evaluation round, with its ratings"),
    create=extend_schema(
        summary="Start a self-evaluation round",
        request=MsgRoundCreateSerializer,
        responses={201: MsgSelfEvaluationSerializer, **error_responses(400, 403)},
    ),
    update=extend_schema(
        summary="Save a round's ratings",
        request=MsgRoundUpdateSerializer,
        responses={200: MsgSelfEvaluationSerializer, **error_responses(400, 403, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Save some of a round's ratings",
        request=MsgRoundUpdateSerializer,
        responses={200: MsgSelfEvaluationSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class MsgSelfEvaluationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MsgSelfEvaluationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = MsgSelfEvaluationFilter

    def get_serializer_class(self):
        if self.action == "list":
            return MsgSelfEvaluationListSerializer
        return MsgSelfEvaluationSerializer

    def get_queryset(self) -> QuerySet[MsgSelfEvaluation]:
        if self.action == "list":
            # The round's own columns only: the list shows its partnership's id.
            return msg.msg_rounds(user=self.request.user).select_related(None)
        ratings = (
            MsgRating.objects.filter(archived_at__isnull=True)
            .select_related("proposal")
            .order_by("proposal__order")
        )
        qs = msg_policy.visible(self.request.user, MsgSelfEvaluation.objects.all())
        return qs.prefetch_related(Prefetch("ratings", ratings, to_attr="active_ratings")).order_by(
            "-evaluated_on", "-pk"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "summaries": msg.ratings_summaries(page)}
        data = MsgSelfEvaluationListSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _answer(self, round_: MsgSelfEvaluation, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=round_.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        given = MsgRoundCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        round_ = msg.msg_round_create(
            partnership=data["partnership"],
            by=request.user,
            evaluated_on=data["evaluated_on"],
            notes=data["notes"],
        )
        if data["ratings"]:
            round_ = msg.msg_ratings_save(
                self_evaluation=round_,
                by=request.user,
                expected_version=round_.version,
                ratings=_ratings(data["ratings"]),
            )
        return self._answer(round_, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        round_ = self.get_object()
        given = MsgRoundUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        updated = msg.msg_ratings_save(
            self_evaluation=round_,
            by=request.user,
            expected_version=data["version"],
            ratings=_ratings(data["ratings"]),
            notes=data.get("notes"),
        )
        return self._answer(updated)

    @extend_schema(
        summary="Submit a round",
        description="Every current proposal must be rated. Only submitted rounds count in the "
        "national summary.",
        request=MsgSubmitSerializer,
        responses={200: MsgSelfEvaluationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        round_ = self.get_object()
        given = MsgSubmitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        updated = msg.msg_round_submit(
            self_evaluation=round_,
            by=request.user,
            expected_version=given.validated_data["version"],
        )
        return self._answer(updated)

    @extend_schema(
        summary="Add the link inspector's validation note to one proposal's rating",
        request=ValidationNoteSerializer,
        responses={200: MsgSelfEvaluationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="validation-note")
    def validation_note(self, request, pk=None):
        round_ = self.get_object()
        given = ValidationNoteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        rating = MsgRating.objects.filter(
            self_evaluation=round_, proposal=data["proposal"], archived_at__isnull=True
        ).first()
        if rating is None:
            raise serializers.ValidationError({"proposal": ["This round has not rated it."]})
        msg.msg_validation_note(
            rating=rating,
            by=request.user,
            expected_version=data["version"],
            note=data["validation_note"],
        )
        return self._answer(round_)

    @extend_schema(
        summary="National summary",
        description="For each proposal, how many partnerships rate it at each level in their "
        "latest submitted round.",
        responses={200: NationalSerializer},
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def national(self, request):
        view = msg.msg_national(user=request.user)
        return Response(NationalSerializer(view).data)
