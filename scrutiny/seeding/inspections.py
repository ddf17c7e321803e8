"""A year of joint inspections: each with its quality indicators, status steps, team (and the
team's object permissions), milestones, evidence activities, a record-reading sample with every
answer, findings, the chain of evaluations, factual accuracy comments and, once published, its
published version (built by the report's own content builder)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from guardian.models import UserObjectPermission

from accounts.models import User
from inspections.models import (
    STATUS_SEQUENCE,
    AnswerType,
    ConflictDecision,
    ConflictKind,
    EvaluationLink,
    EvaluationStage,
    EvidenceActivity,
    EvidenceKind,
    EvidenceStatus,
    FactualAccuracyComment,
    FactualAccuracyResponse,
    Finding,
    FindingKind,
    FindingStatus,
    Inspection,
    InspectionStatus,
    Milestone,
    PanelOutcome,
    Programme,
    PublishedVersion,
    QuestionChoice,
    ReadingStatus,
    RecordAgency,
    RecordAnswer,
    RecordReviewTemplate,
    ReviewedRecord,
    StatusChange,
    TeamMember,
    TeamRole,
    TemplateQuestion,
    TemplateSection,
)
from inspections.models.record_reading import NO, NOT_APPLICABLE, YES
from partnerships.models import NationalOutcome, Partnership, PartnershipKind

from . import words
from .base import SEED_DOMAIN, SeedRun, at, bulk, bulk_through, copy_rows, days, paragraphs, weeks
from .people import Staff

TEMPLATE_NAME = "Seeded record review template (illustrative)"
SEQ = [s.value for s in STATUS_SEQUENCE]
# Weeks after publication at which the plan is agreed and the inspection closed.
PLAN_AGREED_WEEKS = 14
CLOSED_WEEKS = 80

# The template's 30 questions: five sections of six (yes/no, choice, six-point, free text).
SECTIONS = [
    ("1", "Initial inquiry"),
    ("2", "Assessment of risk"),
    ("3", "Protection planning"),
    ("4", "Involvement of the adult and unpaid carers"),
    ("5", "Leadership and oversight"),
]
SECTION_SHAPE = [
    AnswerType.YES_NO,
    AnswerType.YES_NO,
    AnswerType.YES_NO,
    AnswerType.CHOICE,
    AnswerType.SIX_POINT,
    AnswerType.YES_NO,
]
QUESTION_TEXT = {
    AnswerType.YES_NO: [
        "Was there an up-to-date chronology on the record?",
        "Were the adult's views recorded?",
        "Was the decision recorded with its reasons?",
        "Was information shared with the other agencies?",
        "Was there evidence of management oversight?",
        "Was independent advocacy offered?",
        "Was the protection plan reviewed on time?",
        "Were unpaid carers' views recorded?",
    ],
    AnswerType.CHOICE: [
        "How soon after the referral were the initial inquiries made?",
        "Who led the inquiry?",
        "How soon was the case conference held?",
    ],
    AnswerType.SIX_POINT: [
        "How good was the assessment of risk?",
        "How good was the protection plan?",
        "How well were the adult's outcomes improved?",
    ],
}
CHOICES = ["Within 24 hours", "Within 5 working days", "After more than 5 working days"]
TEXT_QUESTION = "Reader's notes"

RECORD_PREFIX = {
    RecordAgency.SOCIAL_WORK: "SW",
    RecordAgency.HEALTH: "NHS",
    RecordAgency.POLICE: "POL",
}
AGENCY_OF_READER = {"CI": RecordAgency.SOCIAL_WORK, "HIS": RecordAgency.HEALTH}
ROLE_OF_READER = {
    "CI": TeamRole.INSPECTOR,
    "HIS": TeamRole.HEALTH_INSPECTOR,
    "HMICS": TeamRole.POLICE_INSPECTOR,
}
EVIDENCE = [
    (EvidenceKind.POSITION_STATEMENT, "Position statement and supporting documents", 0, 3),
    (EvidenceKind.STAFF_SURVEY, "Staff survey", 1, 3),
    (EvidenceKind.RECORD_READING, "Record reading", 2, 5),
    (EvidenceKind.FOCUS_GROUPS, "Focus groups and professional discussions", 6, 3),
]
THEMES = [
    "adults living with mental illness",
    "older people living with frailty",
    "adults with learning disabilities",
    "adults living with dementia",
]


# The record review templates -----------------------------------------------------------------


def seed_templates(run: SeedRun) -> dict[str, int]:
    """One illustrative 30-question template for each programme inspections are seeded in."""
    counts = {"templates": 0, "sections": 0, "questions": 0, "choices": 0}
    for programme in Programme.objects.filter(code__in=ALL_PROGRAMMES).order_by("code"):
        template = RecordReviewTemplate.objects.create(
            programme=programme,
            name=TEMPLATE_NAME,
            description="Illustrative questions for seeded national data. This is not the "
            "wording of any real record review template.",
        )
        counts["templates"] += 1
        sections = bulk(
            TemplateSection,
            [
                TemplateSection(template=template, number=number, title=title, order=i)
                for i, (number, title) in enumerate(SECTIONS)
            ],
        )
        counts["sections"] += len(sections)
        questions = []
        used: dict[str, int] = {}
        for s_index, section in enumerate(sections):
            for q_index, answer_type in enumerate(SECTION_SHAPE):
                if s_index == len(sections) - 1 and q_index == len(SECTION_SHAPE) - 1:
                    answer_type = AnswerType.TEXT
                texts = QUESTION_TEXT.get(answer_type, [TEXT_QUESTION])
                text = texts[used.get(answer_type, 0) % len(texts)]
                used[answer_type] = used.get(answer_type, 0) + 1
                questions.append(
                    TemplateQuestion(
                        section=section,
                        number=f"{section.number}.{q_index + 1}",
                        text=text,
                        answer_type=answer_type,
                        allow_not_applicable=answer_type != AnswerType.TEXT,
                        order=q_index,
                    )
                )
        questions = bulk(TemplateQuestion, questions)
        counts["questions"] += len(questions)
        choices = [
            QuestionChoice(question=q, label=label, order=i)
            for q in questions
            if q.answer_type == AnswerType.CHOICE
            for i, label in enumerate(CHOICES)
        ]
        counts["choices"] += len(bulk(QuestionChoice, choices))
    return counts


@dataclass
class QuestionInfo:
    pk: int
    answer_type: str
    choices: list[int]
    allow_na: bool


def template_questions() -> dict[int, tuple[int, list[QuestionInfo]]]:
    """Per programme id: (template id, its questions in order)."""
    out: dict[int, tuple[int, list[QuestionInfo]]] = {}
    for template in RecordReviewTemplate.objects.filter(name=TEMPLATE_NAME):
        questions = (
            TemplateQuestion.objects.filter(section__template=template)
            .order_by("section__order", "order")
            .prefetch_related("choices")
        )
        out[template.programme_id] = (
            template.pk,
            [
                QuestionInfo(
                    q.pk,
                    q.answer_type,
                    [c.pk for c in sorted(q.choices.all(), key=lambda c: c.order)],
                    q.allow_not_applicable,
                )
                for q in questions
            ],
        )
    return out


# Which programme, which partnership ----------------------------------------------------------

ASP, ADULT, JUSTICE = "asp", "adult_services", "justice"
ALL_PROGRAMMES = [
    "asp_2017_18",
    "asp_phase_1",
    "asp_phase_2_year_1",
    "asp_phase_2_year_2",
    "adult_services_themed",
    "justice_cpo",
]
KIND_OF = {
    ASP: PartnershipKind.ADULT_PROTECTION,
    ADULT: PartnershipKind.HEALTH_AND_SOCIAL_CARE,
    JUSTICE: PartnershipKind.COMMUNITY_JUSTICE,
}


def programme_code(family: str, year: int) -> str:
    if family == ADULT:
        return "adult_services_themed"
    if family == JUSTICE:
        return "justice_cpo"
    if year < 2020:
        return "asp_2017_18"
    if year < 2023:
        return "asp_phase_1"
    if year == 2023:
        return "asp_phase_2_year_1"
    return "asp_phase_2_year_2"


def families_for(n: int) -> list[str]:
    asp = round(n * 0.4)
    adult = round(n * 0.3)
    return [ASP] * asp + [ADULT] * adult + [JUSTICE] * max(0, n - asp - adult)


def title_for(family: str, partnership: Partnership, theme: str) -> str:
    if family == ASP:
        return f"Joint inspection of adult support and protection in {partnership.name}"
    if family == ADULT:
        return f"Joint inspection of adult services in {partnership.name}: {theme}"
    return f"Inspection of community payback orders in {partnership.name}"


# One inspection's plan -----------------------------------------------------------------------


@dataclass
class Plan:
    index: int
    family: str
    programme: Programme
    partnership: Partnership
    title: str
    theme: str
    planned_on: datetime.date
    dates: dict[str, datetime.date]  # stage -> date it was reached (only those reached)
    status: str
    quality: float
    withdrawn_on: datetime.date | None = None
    inspection: Inspection | None = None
    lead: User | None = None
    members: list[User] = field(default_factory=list)
    activities: list[EvidenceActivity] = field(default_factory=list)

    def reached(self, stage: str) -> bool:
        return stage in self.dates

    @property
    def last_stage(self) -> str:
        return max(self.dates, key=SEQ.index) if self.dates else InspectionStatus.PLANNED


def stage_weeks(programme: Programme) -> dict[str, float]:
    """Weeks after notification at which each stage begins, from the programme's milestones."""
    weeks_at: dict[str, float] = {}
    for template in programme.milestone_templates.all():
        weeks_at[template.stage] = min(weeks_at.get(template.stage, 999), template.offset_weeks)
    out: dict[str, float] = {InspectionStatus.NOTIFIED: 0}
    last = 0.0
    for stage in SEQ[2:]:
        if stage == InspectionStatus.IMPROVEMENT_PLAN_AGREED:
            value = out[InspectionStatus.PUBLISHED] + PLAN_AGREED_WEEKS
        elif stage == InspectionStatus.CLOSED:
            value = out[InspectionStatus.PUBLISHED] + CLOSED_WEEKS
        else:
            value = weeks_at.get(stage, last + 2)
        value = max(value, last + 1)
        out[stage] = value
        last = value
    return out


def _plans(run: SeedRun, year: int, rng: random.Random) -> list[Plan]:
    n = run.inspections_per_year
    programmes = {
        p.code: p
        for p in Programme.objects.filter(code__in=ALL_PROGRAMMES)
        .select_related("evaluation_scale", "lead_agency")
        .prefetch_related("milestone_templates", "quality_indicators")
    }
    by_kind: dict[str, list[Partnership]] = {}
    for p in Partnership.objects.filter(archived_at__isnull=True).order_by("name"):
        by_kind.setdefault(p.kind, []).append(p)
    # Each family's partnerships in a fixed shuffled order, taken in turn year after year.
    order = {
        kind: run.rng("partnership-order", kind).sample(items, len(items))
        for kind, items in by_kind.items()
    }
    families = families_for(n)
    year_index = year - run.first_year
    taken = {family: families.count(family) for family in set(families)}
    seen: dict[str, int] = {}
    plans = []
    for index, family in enumerate(families):
        kind = KIND_OF[family]
        turn = year_index * taken[family] + seen.get(family, 0)
        seen[family] = seen.get(family, 0) + 1
        partnership = order[kind][turn % len(order[kind])]
        programme = programmes[programme_code(family, year)]
        theme = rng.choice(THEMES) if family == ADULT else ""
        planned_on = datetime.date(year, 1, 12) + days(round(index * 340 / n) + rng.randint(0, 9))
        stage_at = stage_weeks(programme)
        dates: dict[str, datetime.date] = {}
        for stage in SEQ[1:]:
            day = planned_on + weeks(stage_at[stage])
            if day > run.until:
                break
            dates[stage] = day
        withdrawn_on = None
        if rng.random() < 0.03 and InspectionStatus.EVIDENCE_GATHERING in dates:
            withdrawn_on = dates[InspectionStatus.EVIDENCE_GATHERING] + weeks(2)
            if withdrawn_on <= run.until:
                dates = {s: d for s, d in dates.items() if d < withdrawn_on}
            else:
                withdrawn_on = None
        status = max(dates, key=SEQ.index) if dates else InspectionStatus.PLANNED
        if withdrawn_on is not None:
            status = InspectionStatus.WITHDRAWN
        plans.append(
            Plan(
                index=index,
                family=family,
                programme=programme,
                partnership=partnership,
                title=title_for(family, partnership, theme),
                theme=theme,
                planned_on=planned_on,
                dates=dates,
                status=status,
                quality=rng.uniform(0.35, 0.92),
                withdrawn_on=withdrawn_on,
            )
        )
    return plans


# The year's inspections ----------------------------------------------------------------------


def seed_inspection_year(run: SeedRun, year: int) -> dict[str, int]:
    rng = run.rng("inspections", year)
    staff = Staff.load()
    plans = _plans(run, year, rng)
    counts: dict[str, int] = {}

    for plan in plans:
        plan.lead = (
            rng.choice(staff.leads_his)
            if plan.family == ADULT and rng.random() < 0.3
            else rng.choice(staff.leads_ci)
        )
        if plan.family == ASP:
            members = (
                rng.sample(staff.inspectors["CI"], 3)
                + rng.sample(staff.inspectors["HIS"], 2)
                + rng.sample(staff.inspectors["HMICS"], 1)
            )
        elif plan.family == ADULT:
            members = rng.sample(staff.inspectors["CI"], 3) + rng.sample(staff.inspectors["HIS"], 3)
        else:
            members = rng.sample(staff.inspectors["CI"], 6)
        plan.members = members

    inspections = []
    for plan in plans:
        d = plan.dates
        changed = plan.withdrawn_on or (d[plan.last_stage] if d else None)
        inspections.append(
            Inspection(
                programme=plan.programme,
                partnership=plan.partnership,
                title=plan.title,
                theme=plan.theme,
                lead_agency=plan.programme.lead_agency,
                status=plan.status,
                status_changed_on=changed,
                status_reason="The partnership's services were reorganised before fieldwork; "
                "the inspection will be rescheduled."
                if plan.withdrawn_on
                else "",
                planned_notification_on=plan.planned_on,
                notified_on=d.get(InspectionStatus.NOTIFIED),
                fieldwork_starts_on=d.get(InspectionStatus.FIELDWORK),
                fieldwork_ends_on=d[InspectionStatus.EVALUATION] - days(1)
                if InspectionStatus.EVALUATION in d
                else None,
                published_on=d.get(InspectionStatus.PUBLISHED),
                summary=" ".join(words.SUMMARY),
            )
        )
    inspections = bulk(Inspection, inspections)
    for plan, inspection in zip(plans, inspections, strict=True):
        plan.inspection = inspection
    counts["inspections"] = len(inspections)
    counts["indicators in scope"] = bulk_through(
        Inspection.quality_indicators,
        [
            (plan.inspection.pk, qi.pk)
            for plan in plans
            for qi in plan.programme.quality_indicators.all()
            if qi.archived_at is None
        ],
    )
    counts["status changes"] = _status_changes(plans)
    counts["team members"], counts["object permissions"] = _teams(plans, rng)
    counts["milestones"] = _milestones(plans, rng, run)
    counts["evidence activities"] = _evidence(plans, rng, run)
    records, answers = _record_reading(run, plans, rng, year)
    counts["records"], counts["answers"] = records, answers
    counts["findings"] = _findings(plans, rng)
    counts["evaluation links"] = _evaluations(plans, rng, staff, run)
    counts["factual accuracy comments"] = _factual_accuracy(plans, rng)
    counts["published versions"] = _published(plans, rng, run)
    return counts


def _status_changes(plans: list[Plan]) -> int:
    rows = []
    for plan in plans:
        previous = InspectionStatus.PLANNED
        for stage in SEQ[1:]:
            if stage not in plan.dates:
                break
            rows.append(
                StatusChange(
                    inspection=plan.inspection,
                    from_status=previous,
                    to_status=stage,
                    changed_on=plan.dates[stage],
                    changed_by=plan.lead,
                )
            )
            previous = stage
        if plan.withdrawn_on:
            rows.append(
                StatusChange(
                    inspection=plan.inspection,
                    from_status=previous,
                    to_status=InspectionStatus.WITHDRAWN,
                    changed_on=plan.withdrawn_on,
                    changed_by=plan.lead,
                    reason=plan.inspection.status_reason,
                )
            )
    return len(bulk(StatusChange, rows))


def _teams(plans: list[Plan], rng: random.Random) -> tuple[int, int]:
    rows = []
    for plan in plans:
        rows.append(
            TeamMember(inspection=plan.inspection, user=plan.lead, role=TeamRole.LEAD_INSPECTOR)
        )
        for user in plan.members:
            declared = rng.random() < 0.06
            rows.append(
                TeamMember(
                    inspection=plan.inspection,
                    user=user,
                    role=ROLE_OF_READER[user.agency.code],
                    conflict=ConflictKind.WORKED_THERE if declared else ConflictKind.NONE,
                    conflict_details="Worked in a locality team of the partnership more than "
                    "five years ago."
                    if declared
                    else "",
                    decision=ConflictDecision.CLEARED if declared else ConflictDecision.NOT_NEEDED,
                    decision_notes="No current connection; cleared to take part."
                    if declared
                    else "",
                    decided_by=plan.lead if declared else None,
                    decided_at=at(plan.planned_on - days(14)) if declared else None,
                )
            )
    bulk(TeamMember, rows)
    # Every member is cleared: each gets view, change and evidence on their inspection, as
    # inspections.services.inspection_permissions_sync would grant.
    content_type = ContentType.objects.get_for_model(Inspection)
    perms = list(
        Permission.objects.filter(
            content_type=content_type,
            codename__in=["view_inspection", "change_inspection", "view_inspection_evidence"],
        )
    )
    grants = [
        UserObjectPermission(
            user=member.user,
            permission=perm,
            content_type=content_type,
            object_pk=str(member.inspection.pk),
        )
        for member in rows
        for perm in perms
    ]
    UserObjectPermission.objects.bulk_create(grants, batch_size=2000)
    return len(rows), len(grants)


def _milestones(plans: list[Plan], rng: random.Random, run: SeedRun) -> int:
    rows = []
    for plan in plans:
        notified = plan.dates.get(InspectionStatus.NOTIFIED)
        if notified is None:
            continue  # copied from the template when the inspection is notified
        for template in sorted(
            plan.programme.milestone_templates.all(), key=lambda t: (t.offset_weeks, t.order)
        ):
            planned = notified + weeks(template.offset_weeks)
            due = planned + (weeks(rng.choice([1, 2])) if rng.random() < 0.1 else days(0))
            done = None
            if plan.reached(template.stage) and template.stage != plan.last_stage:
                done = min(due + days(rng.randint(-3, 4)), run.until)
            elif plan.reached(template.stage) and due <= run.until and rng.random() < 0.7:
                done = min(due, run.until)
            rows.append(
                Milestone(
                    inspection=plan.inspection,
                    stage=template.stage,
                    name=template.name,
                    offset_weeks=template.offset_weeks,
                    planned_due_on=planned,
                    due_on=due,
                    completed_on=done,
                    order=template.order,
                )
            )
    return len(bulk(Milestone, rows))


def _evidence(plans: list[Plan], rng: random.Random, run: SeedRun) -> int:
    rows = []
    owners = []
    for plan in plans:
        start = plan.dates.get(InspectionStatus.EVIDENCE_GATHERING)
        if start is None:
            continue
        past_fieldwork = plan.reached(InspectionStatus.EVALUATION)
        kinds = [*EVIDENCE]
        if plan.family == JUSTICE:
            kinds.append(
                (EvidenceKind.ORDER_INTERVIEWS, "Interviews with people on an order", 4, 3)
            )
        else:
            kinds.append(
                (
                    EvidenceKind.ENGAGEMENT,
                    "Engagement with people who use services and unpaid carers",
                    4,
                    4,
                )
            )
        for kind, title, offset, length in kinds:
            starts = start + weeks(offset)
            ends = starts + weeks(length)
            if past_fieldwork:
                status = EvidenceStatus.COMPLETE
            elif starts <= run.until:
                status = EvidenceStatus.IN_PROGRESS
            else:
                status = EvidenceStatus.PLANNED
            rows.append(
                EvidenceActivity(
                    inspection=plan.inspection,
                    kind=kind,
                    title=title,
                    starts_on=starts,
                    ends_on=ends,
                    status=status,
                    notes="",
                )
            )
            owners.append(plan)
    rows = bulk(EvidenceActivity, rows)
    pairs = []
    for activity, plan in zip(rows, owners, strict=True):
        plan.activities.append(activity)
        for user in rng.sample(plan.members, 2):
            pairs.append((activity.pk, user.pk))
    bulk_through(EvidenceActivity.carried_out_by, pairs)
    return len(rows)


# Record reading ------------------------------------------------------------------------------


def _record_reading(
    run: SeedRun, plans: list[Plan], rng: random.Random, year: int
) -> tuple[int, int]:
    templates = template_questions()
    records = []
    owners = []
    for plan in plans:
        if not plan.reached(InspectionStatus.NOTIFIED):
            continue
        template_id, _ = templates[plan.programme.pk]
        eg = plan.dates.get(InspectionStatus.EVIDENCE_GATHERING)
        fw = plan.planned_on + weeks(stage_weeks(plan.programme)[InspectionStatus.FIELDWORK])
        if plan.reached(InspectionStatus.FIELDWORK):
            done_share = 1.0
        elif eg is not None:
            until = plan.withdrawn_on or run.until
            done_share = max(0.0, min(1.0, (until - eg).days / max(1, (fw - eg).days)))
        else:
            done_share = -1.0  # the sample is chosen; reading has not begun
        serial = 0
        for reader in plan.members:
            agency = (
                RecordAgency.POLICE
                if reader.agency.code == "HMICS"
                else AGENCY_OF_READER.get(reader.agency.code, RecordAgency.SOCIAL_WORK)
            )
            for _ in range(run.records_per_reader):
                serial += 1
                roll = rng.random()
                if done_share >= 1.0 or roll < done_share:
                    status = ReadingStatus.COMPLETE
                elif done_share >= 0 and roll < done_share + 0.15:
                    status = ReadingStatus.DRAFT
                else:
                    status = ReadingStatus.NOT_STARTED
                read_on = None
                if status == ReadingStatus.COMPLETE and eg is not None:
                    span = max(1, (min(fw, run.until) - eg).days)
                    read_on = eg + days(rng.randint(0, span))
                records.append(
                    ReviewedRecord(
                        inspection=plan.inspection,
                        template_id=template_id,
                        reference=f"{RECORD_PREFIX[agency]}/{year % 100:02d}{plan.index:02d}/"
                        f"{serial:04d}",
                        agency=agency,
                        reader=reader,
                        status=status,
                        read_on=read_on,
                    )
                )
                owners.append(plan)
    records = bulk(ReviewedRecord, records)
    now = timezone.now()

    def rows():
        for record, plan in zip(records, owners, strict=True):
            if record.status == ReadingStatus.NOT_STARTED:
                continue
            _, questions = templates[plan.programme.pk]
            answered = questions
            if record.status == ReadingStatus.DRAFT:
                answered = questions[: rng.randint(3, len(questions) - 3)]
            for index, q in enumerate(answered):
                yield (
                    record.pk,
                    q.pk,
                    *_answer(rng, q, plan.quality + ((index * 7) % 11 - 5) / 40),
                    now,
                )

    columns = ["record_id", "question_id", "value", "choice_id", "grade", "text", "updated_at"]
    answers = copy_rows(RecordAnswer, columns, rows())
    return len(records), answers


def _answer(rng: random.Random, q: QuestionInfo, p: float) -> tuple[str, int | None, Any, str]:
    """(value, choice id, grade, text) of one answer, better the higher `p` (0 to 1)."""
    roll = rng.random()
    if q.answer_type == AnswerType.TEXT:
        return ("", None, None, rng.choice(words.READER_NOTES) or "No further notes.")
    if q.allow_na and roll < 0.06:
        return (NOT_APPLICABLE, None, None, "")
    roll = rng.random()
    if q.answer_type == AnswerType.YES_NO:
        return (YES if roll < p else NO, None, None, "")
    if q.answer_type == AnswerType.CHOICE:
        index = 0 if roll < p else (1 if roll < p + (1 - p) * 0.6 else 2)
        return ("", q.choices[min(index, len(q.choices) - 1)], None, "")
    grade = round(rng.gauss(1 + 5 * p, 0.9))
    return ("", None, min(6, max(1, grade)), "")


# Findings, evaluations, factual accuracy, publication -----------------------------------------

FINDING_POOLS = {
    FindingKind.STRENGTH: (words.STRENGTH, (5, 8)),
    FindingKind.AREA_FOR_IMPROVEMENT: (words.IMPROVEMENT, (5, 8)),
    FindingKind.RECOMMENDATION: (words.RECOMMENDATION, (3, 5)),
    FindingKind.GOOD_PRACTICE: (words.GOOD_PRACTICE, (1, 3)),
}


def _findings(plans: list[Plan], rng: random.Random) -> int:
    templates = template_questions()
    outcomes = list(NationalOutcome.objects.order_by("number").values_list("pk", flat=True))
    rows: list[Finding] = []
    owners: list[Plan] = []
    for plan in plans:
        if not plan.reached(InspectionStatus.FIELDWORK):
            continue
        in_fieldwork = not plan.reached(InspectionStatus.EVALUATION)
        agreed_all = plan.reached(InspectionStatus.REPORT_DRAFTING)
        for kind, (pool, (low, high)) in FINDING_POOLS.items():
            count = rng.randint(low, high)
            if in_fieldwork:
                count = min(count, 1)
            for _ in range(count):
                agreed = agreed_all or (not in_fieldwork and rng.random() < 0.6)
                on = plan.dates.get(InspectionStatus.REPORT_DRAFTING) or plan.dates.get(
                    InspectionStatus.EVALUATION
                )
                rows.append(
                    Finding(
                        inspection=plan.inspection,
                        kind=kind,
                        text=paragraphs(rng, pool, rng.randint(5, 7), (3, 5)),
                        status=FindingStatus.AGREED if agreed else FindingStatus.DRAFT,
                        drafted_by=rng.choice(plan.members),
                        agreed_by=plan.lead if agreed else None,
                        agreed_at=at(on) if agreed else None,
                    )
                )
                owners.append(plan)
    rows = bulk(Finding, rows)
    qis, evidence, cited, national = [], [], [], []
    for finding, plan in zip(rows, owners, strict=True):
        indicators = [qi.pk for qi in plan.programme.quality_indicators.all()]
        for pk in rng.sample(indicators, min(len(indicators), rng.randint(1, 2))):
            qis.append((finding.pk, pk))
        for activity in rng.sample(plan.activities, min(len(plan.activities), 2)):
            evidence.append((finding.pk, activity.pk))
        counted = [q.pk for q in templates[plan.programme.pk][1] if q.answer_type != "text"]
        for pk in rng.sample(counted, rng.randint(0, 2)):
            cited.append((finding.pk, pk))
        if plan.family != JUSTICE:
            for pk in rng.sample(outcomes, rng.randint(0, 2)):
                national.append((finding.pk, pk))
    bulk_through(Finding.quality_indicators, qis)
    bulk_through(Finding.evidence_activities, evidence)
    bulk_through(Finding.cited_questions, cited)
    bulk_through(Finding.national_outcomes, national)
    return len(rows)


def _level_near(levels: list, value: float):
    return min(levels, key=lambda lv: (abs(lv.value - value), -lv.value))


def _evaluations(plans: list[Plan], rng: random.Random, staff: Staff, run: SeedRun) -> int:
    proposed: list[EvaluationLink] = []
    meta: list[tuple[Plan, Any, bool]] = []
    for plan in plans:
        if not plan.reached(InspectionStatus.EVALUATION):
            continue
        levels = list(plan.programme.evaluation_scale.levels.all())
        moderated = plan.reached(InspectionStatus.REPORT_DRAFTING) or rng.random() < 0.5
        for qi in plan.programme.quality_indicators.all():
            level = _level_near(levels, 1 + 5 * plan.quality + rng.gauss(0, 0.7))
            proposed.append(
                EvaluationLink(
                    inspection=plan.inspection,
                    quality_indicator=qi,
                    stage=EvaluationStage.PROPOSED,
                    level=level,
                    rationale=paragraphs(rng, words.EVALUATION, rng.randint(2, 3), (2, 3)),
                    created_by=rng.choice(plan.members),
                )
            )
            meta.append((plan, levels, moderated))
    proposed = bulk(EvaluationLink, proposed)
    panel: list[EvaluationLink] = []
    panel_of: list[tuple[Plan, EvaluationLink]] = []
    for link, (plan, levels, moderated) in zip(proposed, meta, strict=True):
        if not moderated:
            continue
        others = [lv for lv in levels if abs(lv.value - link.level.value) == 1]
        changed = bool(others) and rng.random() < 0.2
        day = min(plan.dates.get(InspectionStatus.REPORT_DRAFTING, run.until) - days(3), run.until)
        panel.append(
            EvaluationLink(
                inspection=plan.inspection,
                quality_indicator_id=link.quality_indicator_id,
                stage=EvaluationStage.PANEL,
                level=rng.choice(others) if changed else link.level,
                rationale=rng.choice(words.PANEL_REASONS) if changed else "",
                panel_outcome=PanelOutcome.CHANGED if changed else PanelOutcome.CONFIRMED,
                panel_date=day,
                previous=link,
                created_by=plan.lead,
            )
        )
        panel_of.append((plan, link))
    panel = bulk(EvaluationLink, panel)
    members = []
    for link, (plan, _) in zip(panel, panel_of, strict=True):
        members.append((link.pk, plan.lead.pk))
        members.append((link.pk, staff.directors["CI"][0].pk))
    bulk_through(EvaluationLink.panel_members, members)
    final = [
        EvaluationLink(
            inspection=plan.inspection,
            quality_indicator_id=link.quality_indicator_id,
            stage=EvaluationStage.FINAL,
            level=link.level,
            rationale=proposal.rationale,
            previous=link,
            created_by=plan.lead,
        )
        for link, (plan, proposal) in zip(panel, panel_of, strict=True)
    ]
    bulk(EvaluationLink, final)
    return len(proposed) + len(panel) + len(final)


def _factual_accuracy(plans: list[Plan], rng: random.Random) -> int:
    rows = []
    for plan in plans:
        if not plan.reached(InspectionStatus.FACTUAL_ACCURACY):
            continue
        answered_all = plan.reached(InspectionStatus.PUBLISHED)
        for n, (comment, change) in enumerate(rng.sample(words.FA_COMMENTS, rng.randint(2, 4))):
            answered = answered_all or rng.random() < 0.5
            response = rng.choice(list(FactualAccuracyResponse)) if answered else ""
            rows.append(
                FactualAccuracyComment(
                    inspection=plan.inspection,
                    report_reference=f"Page {3 + 4 * n}, paragraph {1 + n % 3}",
                    comment=comment,
                    response=response,
                    response_text="The team considered the evidence the partnership gave."
                    if answered
                    else "",
                    change_made=change
                    if response and response != FactualAccuracyResponse.NOT_ACCEPTED
                    else "",
                    responded_by=plan.lead if answered else None,
                    responded_at=at(plan.dates[InspectionStatus.FACTUAL_ACCURACY] + weeks(2))
                    if answered
                    else None,
                )
            )
    return len(bulk(FactualAccuracyComment, rows))


def _published(plans: list[Plan], rng: random.Random, run: SeedRun) -> int:
    from inspections.report import content

    rows = []
    for plan in plans:
        published_on = plan.dates.get(InspectionStatus.PUBLISHED)
        if published_on is None:
            continue
        inspection = (
            Inspection.objects.select_related("programme__evaluation_scale", "partnership")
            .select_related("lead_agency")
            .get(pk=plan.inspection.pk)
        )
        rows.append(
            PublishedVersion(
                inspection=inspection,
                number=1,
                published_on=published_on,
                content=content.build(inspection, number=1, published_on=published_on),
                created_by=plan.lead,
            )
        )
        corrected_on = published_on + weeks(3)
        if rng.random() < 0.05 and corrected_on <= run.until:
            reason = "A figure in the record-reading results was corrected."
            rows.append(
                PublishedVersion(
                    inspection=inspection,
                    number=2,
                    published_on=corrected_on,
                    reason=reason,
                    content=content.build(
                        inspection, number=2, published_on=corrected_on, reason=reason
                    ),
                    created_by=plan.lead,
                )
            )
    return len(bulk(PublishedVersion, rows))


def seeded_inspections(year: int):
    """The seeded inspections planned for notification in `year` (their lead is seeded)."""
    return Inspection.objects.filter(
        planned_notification_on__year=year,
        team__role=TeamRole.LEAD_INSPECTOR,
        team__user__email__endswith=SEED_DOMAIN,
    ).distinct()
