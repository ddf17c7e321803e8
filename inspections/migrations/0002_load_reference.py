"""Programmes, evaluation scales, quality indicator frameworks and default milestone templates.

Sources: reference/quality_indicators.csv and evaluation_scale.csv (see reference/SOURCES.md)
and seed 001. What no source confirms is loaded flagged, never invented: quality indicator
numbers are left blank where unconfirmed; the adult support and protection effectiveness wording
has only its two confirmed levels; milestone templates are a default for administrators to set."""

import datetime

from django.db import migrations

from scrutiny.reference import read_reference, record_initial_history

SIX_POINT = "Six-point scale"
ASP_EFFECTIVENESS = "Adult support and protection effectiveness wording"

# code, name, family, lead, partners, scale, theme, starts_on, description
PROGRAMMES = [
    (
        "asp_2017_18",
        "Adult support and protection joint inspections 2017/18",
        "asp",
        "CI",
        ["HIS", "HMICS"],
        SIX_POINT,
        "",
        None,
        "Joint inspections of six partnerships: North Ayrshire, Highland, Dundee City, "
        "Aberdeenshire, East Dunbartonshire and Midlothian.",
    ),
    (
        "asp_phase_1",
        "Adult support and protection joint inspections: Phase 1 (2020-23)",
        "asp",
        "CI",
        ["HIS", "HMICS"],
        ASP_EFFECTIVENESS,
        "",
        None,
        "A baseline of the partnerships not inspected in 2017/18, evaluating key processes "
        "and strategic leadership.",
    ),
    (
        "asp_phase_2_year_1",
        "Adult support and protection joint inspections: Phase 2 year 1",
        "asp",
        "CI",
        ["HIS", "HMICS"],
        SIX_POINT,
        "",
        datetime.date(2023, 8, 1),
        "Revisits the six 2017/18 partnerships with the Phase 1 method (key processes and "
        "strategic leadership).",
    ),
    (
        "asp_phase_2_year_2",
        "Adult support and protection joint inspections: Phase 2 year 2",
        "asp",
        "CI",
        ["HIS", "HMICS"],
        SIX_POINT,
        "",
        None,
        "Revisits partnerships whose Phase 1 report found weaknesses outweighing strengths, and "
        "applies voluntary indicators (early identification of risk, early intervention, "
        "trauma-informed approach) with selected partnerships.",
    ),
    (
        "adult_services_themed",
        "Joint inspections of adult services (themed)",
        "adult_services",
        "CI",
        ["HIS"],
        SIX_POINT,
        "Adults living with mental illness",
        datetime.date(2017, 4, 1),
        "A rolling programme of themed inspections by care group under the Public Bodies (Joint "
        "Working) (Scotland) Act 2014. The theme is a lens on integration, not a review of "
        "specialist care.",
    ),
    (
        "justice_cpo",
        "Inspections of community payback orders",
        "justice",
        "CI",
        [],
        SIX_POINT,
        "",
        None,
        "Inspections of community payback orders in justice social work.",
    ),
    (
        "justice_self_evaluation",
        "Supported and validated self-evaluation of community justice partnerships",
        "justice",
        "CI",
        [],
        SIX_POINT,
        "",
        None,
        "Community justice partnerships evaluate themselves with support, and the Care "
        "Inspectorate validates the result.",
    ),
]

# A default timetable of about 20 weeks from notification to publication (seed: "about 18-21
# weeks"). Not a published timetable: administrators set each programme's own.
DEFAULT_MILESTONES = [
    ("notified", "Notification letters sent", 0),
    ("evidence_gathering", "Position statement and supporting documents received", 3),
    ("evidence_gathering", "Staff survey closes", 5),
    ("evidence_gathering", "Record reading complete", 8),
    ("fieldwork", "Fieldwork (staff and leader discussions) starts", 9),
    ("evaluation", "Fieldwork ends; evaluation and moderation", 12),
    ("report_drafting", "Quality and consistency panel", 13),
    ("report_drafting", "Draft report to the lead agency", 15),
    ("factual_accuracy", "Draft report to the partnership for factual accuracy", 16),
    ("factual_accuracy", "Factual accuracy comments due back", 18),
    ("published", "Report published", 20),
]
DEFAULT_NOTE = "Default timetable, not from a published source: set by administrators."


def load(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    Scale = apps.get_model("inspections", "EvaluationScale")
    Level = apps.get_model("inspections", "EvaluationLevel")
    Programme = apps.get_model("inspections", "Programme")
    QualityIndicator = apps.get_model("inspections", "QualityIndicator")
    MilestoneTemplate = apps.get_model("inspections", "MilestoneTemplate")
    agencies = {a.code: a for a in Agency.objects.all()}

    six, _ = Scale.objects.update_or_create(
        name=SIX_POINT,
        defaults={
            "description": "The grading scale most joint inspections use.",
            "source_note": "Care Inspectorate grading page (confirmed).",
        },
    )
    for row in read_reference("evaluation_scale.csv"):
        Level.objects.update_or_create(
            scale=six,
            value=int(row["value"]),
            defaults={"label": row["label"], "meaning": row["meaning"], "confirmed": True},
        )
    asp, _ = Scale.objects.update_or_create(
        name=ASP_EFFECTIVENESS,
        defaults={
            "description": "The effectiveness wording adult support and protection Phase 1 "
            "reports used.",
            "source_note": "Only the two highest levels are confirmed; their values and the "
            "other levels are unconfirmed and left to administrators.",
        },
    )
    for value, label in (
        (6, "Very effective, demonstrating major strengths"),
        (5, "Effective, with areas for improvement"),
    ):
        Level.objects.update_or_create(
            scale=asp, value=value, defaults={"label": label, "confirmed": False}
        )
    scales = {SIX_POINT: six, ASP_EFFECTIVENESS: asp}

    programmes = {}
    for code, name, family, lead, partners, scale, theme, starts, description in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "family": family,
                "lead_agency": agencies[lead],
                "evaluation_scale": scales[scale],
                "theme": theme,
                "starts_on": starts,
                "description": description,
            },
        )
        programme.partner_agencies.set([agencies[p] for p in partners])
        programmes[code] = programme
        for order, (stage, milestone, weeks) in enumerate(DEFAULT_MILESTONES):
            MilestoneTemplate.objects.update_or_create(
                programme=programme,
                name=milestone,
                defaults={
                    "stage": stage,
                    "offset_weeks": weeks,
                    "order": order,
                    "source_note": DEFAULT_NOTE,
                },
            )

    order_in = {}
    for row in read_reference("quality_indicators.csv"):
        programme = programmes[row["programme"]]
        order_in[programme.pk] = order_in.get(programme.pk, 0) + 1
        note = row["verified"]
        QualityIndicator.objects.update_or_create(
            programme=programme,
            title=row["title"],
            defaults={
                # Numbers are kept only where the source states them; SOURCES.md says even
                # the 2017/18 numbers are section headings, so none is marked confirmed.
                "number": row["number"],
                "order": order_in[programme.pk],
                "confirmed": False,
                "source_note": note[:300],
            },
        )

    reason = "Loaded from reference data"
    for model in (
        "EvaluationScale",
        "EvaluationLevel",
        "QualityIndicator",
        "MilestoneTemplate",
    ):
        record_initial_history(apps, "inspections", model, reason)
    record_initial_history(
        apps, "inspections", "Programme", reason, m2m_fields=("partner_agencies",)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("accounts", "0003_initial_history"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
