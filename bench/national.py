"""Record reading across a whole programme: per question and answer, how many answers every
complete record of every inspection in the programme gave. The site has no page for this yet;
this is the query such a national view would run (one aggregate, like the per-inspection results
in inspections.record_reading.selectors), measured so that its plan and time are known."""

from __future__ import annotations

from django.db.models import Count

from inspections.models import AnswerType, Programme, ReadingStatus, RecordAnswer


def programme_results(programme: Programme) -> list[dict]:
    return list(
        RecordAnswer.objects.filter(
            record__inspection__programme=programme,
            record__inspection__archived_at__isnull=True,
            record__archived_at__isnull=True,
            record__status=ReadingStatus.COMPLETE,
        )
        .exclude(question__answer_type=AnswerType.TEXT)
        .values("question_id", "value", "choice_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
