"""The Ministerial Strategic Group (MSG) self-evaluation: writes and reads.

A partnership's link inspector (or an administrator) records a dated round: a rating, comment
and evidence for each of the review's proposals, then submits it. The link inspector adds a
validation note per proposal. The national view counts, for each proposal, how many
partnerships rate it at each level in their latest submitted round, in the database."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from scrutiny.services import ConflictError, audited_save, versioned_update

from .models import (
    MSG_RATING_ORDER,
    MsgFeature,
    MsgProposal,
    MsgRating,
    MsgRatingLevel,
    MsgSelfEvaluation,
    MsgStatus,
    Partnership,
)
from .policies import msg_policy

if TYPE_CHECKING:
    from accounts.models import User

NOT_ALLOWED_MESSAGE = "Only the partnership's link inspector or an administrator can do this."
SUBMITTED_MESSAGE = "This round has been submitted; its ratings can no longer be changed."
ALREADY_SUBMITTED_MESSAGE = "This round has already been submitted."
UNRATED_MESSAGE = "Rate every proposal before submitting. Not yet rated: {numbers}."
UNKNOWN_RATING_MESSAGE = "Choose one of the four ratings."
UNKNOWN_PROPOSAL_MESSAGE = "There is no current proposal {number}."
FUTURE_ROUND_MESSAGE = "The round date cannot be in the future."
SAME_ROUND_MESSAGE = "Choose two different rounds to compare."


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)


def current_proposals() -> QuerySet[MsgProposal]:
    return (
        MsgProposal.objects.filter(archived_at__isnull=True)
        .select_related("feature")
        .order_by("order", "number")
    )


# Writes ---------------------------------------------------------------------------------------


def msg_round_create(
    *, partnership: Partnership, by: User, evaluated_on: datetime.date, notes: str = ""
) -> MsgSelfEvaluation:
    _require(msg_policy.can_record(by, partnership))
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": [FUTURE_ROUND_MESSAGE]})
    with transaction.atomic():
        round_ = MsgSelfEvaluation(partnership=partnership, evaluated_on=evaluated_on, notes=notes)
        return audited_save(round_, by=by, reason="Self-evaluation round started")


@dataclass(frozen=True)
class RatingInput:
    """What the partnership returned for one proposal. A blank rating leaves it unrated."""

    rating: str = ""
    comment: str = ""
    evidence: str = ""


def msg_ratings_save(
    *,
    self_evaluation: MsgSelfEvaluation,
    by: User,
    expected_version: int | None,
    ratings: dict[int, RatingInput],
    notes: str | None = None,
) -> MsgSelfEvaluation:
    """Save a round's ratings (keyed by proposal id) in one transaction, version-checked on the
    round: a stale save changes nothing and raises ConflictError with the current round."""
    _require(msg_policy.can_change(by, self_evaluation))
    proposals = {p.pk: p for p in current_proposals()}
    errors: dict[str, list[str]] = {}
    for proposal_id, given in ratings.items():
        if proposal_id not in proposals:
            errors.setdefault("ratings", []).append(
                UNKNOWN_PROPOSAL_MESSAGE.format(number=proposal_id)
            )
        elif given.rating and given.rating not in MSG_RATING_ORDER:
            errors.setdefault("ratings", []).append(
                f"{proposals[proposal_id].number}: {UNKNOWN_RATING_MESSAGE}"
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = MsgSelfEvaluation.objects.select_for_update().get(pk=self_evaluation.pk)
        if expected_version is None or current.version != int(expected_version):
            raise ConflictError(current)
        if current.status == MsgStatus.SUBMITTED:
            raise ValidationError(SUBMITTED_MESSAGE)
        existing = {r.proposal_id: r for r in current.ratings.all()}
        for proposal_id, given in ratings.items():
            row = existing.get(proposal_id)
            if not given.rating:
                if row is not None and row.archived_at is None:
                    row.archived_at, row.archived_by = timezone.now(), by
                    row.version += 1
                    audited_save(row, by=by, reason="Rating cleared", validate=False)
                continue
            if row is None:
                row = MsgRating(self_evaluation=current, proposal_id=proposal_id)
            values = (given.rating, given.comment, given.evidence)
            if (
                row.pk
                and row.archived_at is None
                and values
                == (
                    row.rating,
                    row.comment,
                    row.evidence,
                )
            ):
                continue
            row.rating, row.comment, row.evidence = values
            row.archived_at = row.archived_by = None
            if row.pk:
                row.version += 1
            audited_save(row, by=by, reason="Rating recorded")
        changes = {} if notes is None else {"notes": notes}
        return versioned_update(
            current,
            by=by,
            expected_version=current.version,
            changes=changes,
            reason="Ratings saved",
        )


def msg_round_submit(
    *, self_evaluation: MsgSelfEvaluation, by: User, expected_version: int | None
) -> MsgSelfEvaluation:
    """Submit a round once every current proposal is rated. Only submitted rounds count in the
    national view."""
    _require(msg_policy.can_change(by, self_evaluation))
    with transaction.atomic():
        current = MsgSelfEvaluation.objects.select_for_update().get(pk=self_evaluation.pk)
        if expected_version is None or current.version != int(expected_version):
            raise ConflictError(current)
        if current.status == MsgStatus.SUBMITTED:
            raise ValidationError(ALREADY_SUBMITTED_MESSAGE)
        rated = set(
            current.ratings.filter(archived_at__isnull=True).values_list("proposal_id", flat=True)
        )
        missing = [p.number for p in current_proposals() if p.pk not in rated]
        if missing:
            raise ValidationError(UNRATED_MESSAGE.format(numbers=", ".join(missing)))
        return versioned_update(
            current,
            by=by,
            expected_version=current.version,
            changes={"status": MsgStatus.SUBMITTED},
            reason="Submitted",
        )


def msg_validation_note(
    *, rating: MsgRating, by: User, expected_version: int | None, note: str
) -> MsgRating:
    """The link inspector's validation note on one proposal's rating."""
    _require(msg_policy.can_validate(by, rating))
    return versioned_update(
        rating,
        by=by,
        expected_version=expected_version,
        changes={"validation_note": note, "validated_by": by, "validated_at": timezone.now()},
        reason="Validation note",
    )


# Reads ----------------------------------------------------------------------------------------


def msg_rounds(*, user: User, partnership: Partnership | None = None) -> QuerySet:
    qs = msg_policy.visible(
        user,
        MsgSelfEvaluation.objects.filter(archived_at__isnull=True).select_related("partnership"),
    )
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    return qs.order_by("-evaluated_on", "-pk")


def msg_round_get(*, user: User, pk: int) -> MsgSelfEvaluation:
    return msg_policy.get_visible_or_404(
        user, MsgSelfEvaluation.objects.select_related("partnership"), pk=pk
    )


def msg_rating_get(*, user: User, pk: int) -> MsgRating:
    rating = MsgRating.objects.select_related(
        "self_evaluation__partnership", "proposal", "validated_by"
    ).filter(pk=pk)
    found = rating.first()
    if found is None or not msg_policy.can_view(user, found.self_evaluation):
        raise Http404
    return found


def ratings_summaries(rounds: list[MsgSelfEvaluation]) -> dict[int, dict[str, int]]:
    """For each round, how many of its live ratings are at each level (every level, 0 when
    none): one query for the whole list."""
    summaries = {r.pk: dict.fromkeys(MsgRatingLevel.values, 0) for r in rounds}
    if summaries:
        counted = (
            MsgRating.objects.filter(self_evaluation__in=list(summaries), archived_at__isnull=True)
            .values_list("self_evaluation_id", "rating")
            .annotate(n=Count("id"))
            .order_by()
        )
        for round_id, rating, n in counted:
            if rating in summaries[round_id]:
                summaries[round_id][rating] = n
    return summaries


@dataclass
class ProposalRow:
    proposal: MsgProposal
    rating: MsgRating | None = None
    other: MsgRating | None = None  # compare: the later round's rating

    @property
    def change(self) -> int | None:
        """Levels moved from the earlier round to the later (None if either is unrated)."""
        if self.rating is None or self.other is None:
            return None
        return self.other.level - self.rating.level


@dataclass
class FeatureGroup:
    feature: MsgFeature
    rows: list[ProposalRow] = field(default_factory=list)


def _active_ratings(self_evaluation: MsgSelfEvaluation) -> dict[int, MsgRating]:
    return {
        r.proposal_id: r
        for r in self_evaluation.ratings.filter(archived_at__isnull=True).select_related(
            "validated_by"
        )
    }


def _grouped(rows: list[ProposalRow]) -> list[FeatureGroup]:
    groups: dict[int, FeatureGroup] = {}
    for row in rows:
        feature = row.proposal.feature
        groups.setdefault(feature.pk, FeatureGroup(feature=feature)).rows.append(row)
    return list(groups.values())


def msg_round_detail(*, self_evaluation: MsgSelfEvaluation) -> list[FeatureGroup]:
    """Every current proposal, by feature, with this round's rating (or None)."""
    ratings = _active_ratings(self_evaluation)
    return _grouped([ProposalRow(p, ratings.get(p.pk)) for p in current_proposals()])


def msg_compare(*, earlier: MsgSelfEvaluation, later: MsgSelfEvaluation) -> list[FeatureGroup]:
    """Two rounds of one partnership side by side, proposal by proposal, earlier round first."""
    if earlier.pk == later.pk:
        raise ValidationError(SAME_ROUND_MESSAGE)
    if earlier.partnership_id != later.partnership_id:
        raise ValidationError("Both rounds must belong to the same partnership.")
    if (earlier.evaluated_on, earlier.pk) > (later.evaluated_on, later.pk):
        earlier, later = later, earlier
    first, second = _active_ratings(earlier), _active_ratings(later)
    return _grouped(
        [ProposalRow(p, first.get(p.pk), second.get(p.pk)) for p in current_proposals()]
    )


@dataclass
class NationalRow:
    proposal: MsgProposal
    counts: dict[str, int]

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def ordered_counts(self) -> list[int]:
        return [self.counts[level] for level in MsgRatingLevel.values]


@dataclass
class NationalView:
    groups: list[tuple[MsgFeature, list[NationalRow]]]
    partnerships: int  # partnerships with a submitted round

    @property
    def rows(self) -> list[NationalRow]:
        return [row for _, rows in self.groups for row in rows]


def latest_submitted_rounds(user: User) -> QuerySet[MsgSelfEvaluation]:
    """Each live partnership's latest submitted round, chosen in the database."""
    latest = (
        MsgSelfEvaluation.objects.filter(
            partnership=OuterRef("partnership"),
            status=MsgStatus.SUBMITTED,
            archived_at__isnull=True,
        )
        .order_by("-evaluated_on", "-pk")
        .values("pk")[:1]
    )
    return msg_policy.visible(
        user,
        MsgSelfEvaluation.objects.filter(
            status=MsgStatus.SUBMITTED,
            archived_at__isnull=True,
            partnership__archived_at__isnull=True,
            pk=Subquery(latest),
        ),
    )


def msg_national(*, user: User) -> NationalView:
    """For each proposal, how many partnerships rate it at each level in their latest submitted
    round. Three queries whatever the number of partnerships: proposals, counts, rounds."""
    rounds = latest_submitted_rounds(user)
    counted = (
        MsgRating.objects.filter(archived_at__isnull=True, self_evaluation__in=rounds)
        .values("proposal_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MsgRatingLevel.values, 0))
    for row in counted:
        counts[row["proposal_id"]][row["rating"]] = row["n"]
    groups: dict[int, tuple[MsgFeature, list[NationalRow]]] = {}
    for proposal in current_proposals():
        entry = groups.setdefault(proposal.feature_id, (proposal.feature, []))
        entry[1].append(NationalRow(proposal, dict(counts[proposal.pk])))
    return NationalView(groups=list(groups.values()), partnerships=rounds.count())
