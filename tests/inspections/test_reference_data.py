"""The programmes, scales, quality indicators and milestone templates loaded by
inspections/migrations/0002_load_reference.py, checked against reference/ (see SOURCES.md):
what no source confirms is loaded flagged, never invented."""

import csv
import importlib
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps

from inspections.models import (
    STATUS_SEQUENCE,
    EvaluationLevel,
    EvaluationScale,
    MilestoneTemplate,
    Programme,
    QualityIndicator,
)

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[2] / "reference"
SIX_POINT = "Six-point scale"
ASP_WORDING = "Adult support and protection effectiveness wording"


def read(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


# code: (family, lead agency, partner agencies, scale)
PROGRAMMES = {
    "asp_2017_18": ("asp", "CI", {"HIS", "HMICS"}, SIX_POINT),
    "asp_phase_1": ("asp", "CI", {"HIS", "HMICS"}, ASP_WORDING),
    "asp_phase_2_year_1": ("asp", "CI", {"HIS", "HMICS"}, SIX_POINT),
    "asp_phase_2_year_2": ("asp", "CI", {"HIS", "HMICS"}, SIX_POINT),
    "adult_services_themed": ("adult_services", "CI", {"HIS"}, SIX_POINT),
    "justice_cpo": ("justice", "CI", set(), SIX_POINT),
    "justice_self_evaluation": ("justice", "CI", set(), SIX_POINT),
}


def test_seven_programmes_with_their_agencies_and_scales():
    loaded = {
        p.code: (
            p.family,
            p.lead_agency.code,
            {a.code for a in p.partner_agencies.all()},
            p.evaluation_scale.name,
        )
        for p in Programme.objects.select_related("lead_agency", "evaluation_scale")
    }
    assert loaded == PROGRAMMES


def test_every_asp_programme_involves_the_three_inspectorates():
    for programme in Programme.objects.filter(family="asp"):
        involved = {programme.lead_agency.code} | {a.code for a in programme.partner_agencies.all()}
        assert involved == {"CI", "HIS", "HMICS"}, programme.code


def test_programme_details_from_the_seed():
    themed = Programme.objects.get(code="adult_services_themed")
    assert themed.theme == "Adults living with mental illness"
    assert str(themed.starts_on) == "2017-04-01"
    assert "not a review of specialist care" in themed.description
    assert str(Programme.objects.get(code="asp_phase_2_year_1").starts_on) == "2023-08-01"
    assert "Aberdeenshire" in Programme.objects.get(code="asp_2017_18").description


def test_quality_indicators_are_exactly_the_reference_rows():
    expected = defaultdict(list)
    for row in read("quality_indicators.csv"):
        expected[row["programme"]].append((row["number"], row["title"], row["verified"][:300]))
    loaded = defaultdict(list)
    for qi in QualityIndicator.objects.select_related("programme").order_by(
        "programme__code", "order"
    ):
        loaded[qi.programme.code].append((qi.number, qi.title, qi.source_note))
    assert dict(loaded) == dict(expected)
    assert QualityIndicator.objects.count() == len(read("quality_indicators.csv"))


def test_no_indicator_is_marked_confirmed_and_no_number_is_invented():
    numbers_in_csv = {
        (row["programme"], row["title"]): row["number"] for row in read("quality_indicators.csv")
    }
    for qi in QualityIndicator.objects.select_related("programme"):
        assert qi.confirmed is False
        assert qi.number == numbers_in_csv[(qi.programme.code, qi.title)]
        assert qi.parent is None
    assert set(
        QualityIndicator.objects.exclude(number="").values_list("programme__code", flat=True)
    ) == {"asp_2017_18"}  # section headings, not confirmed as QI numbers


def test_quality_indicators_keep_the_reference_order():
    key_processes = Programme.objects.get(code="asp_phase_1").quality_indicators.all()
    assert [qi.title for qi in key_processes] == [
        "Key processes for adult support and protection",
        "Strategic leadership for adult support and protection",
    ]
    year_2 = Programme.objects.get(code="asp_phase_2_year_2").quality_indicators.all()
    assert [qi.order for qi in year_2] == [1, 2, 3, 4, 5]
    assert [qi.title for qi in year_2][2:] == [
        "Early identification of risk (voluntary)",
        "Early intervention (voluntary)",
        "Trauma-informed approach (voluntary)",
    ]
    assert not Programme.objects.get(code="justice_self_evaluation").quality_indicators.exists()


def test_the_six_point_scale():
    scale = EvaluationScale.objects.get(name=SIX_POINT)
    levels = list(scale.levels.all())
    assert [(lv.value, lv.label, lv.meaning) for lv in levels] == [
        (int(row["value"]), row["label"], row["meaning"]) for row in read("evaluation_scale.csv")
    ]
    assert [lv.value for lv in levels] == [6, 5, 4, 3, 2, 1]
    assert [lv.label for lv in levels] == [
        "Excellent",
        "Very good",
        "Good",
        "Adequate",
        "Weak",
        "Unsatisfactory",
    ]
    assert all(lv.confirmed for lv in levels)


def test_the_asp_effectiveness_wording_is_flagged_unconfirmed():
    scale = EvaluationScale.objects.get(name=ASP_WORDING)
    levels = list(scale.levels.all())
    assert [lv.label for lv in levels] == [
        "Very effective, demonstrating major strengths",
        "Effective, with areas for improvement",
    ]
    assert not any(lv.confirmed for lv in levels)
    assert "unconfirmed" in scale.source_note
    assert EvaluationLevel.objects.filter(confirmed=False).count() == 2


def test_each_programme_has_a_default_timetable_of_about_twenty_weeks():
    order = {status: i for i, status in enumerate(STATUS_SEQUENCE)}
    for programme in Programme.objects.all():
        templates = list(programme.milestone_templates.all())
        assert len(templates) == 11, programme.code
        published = [t for t in templates if t.stage == "published"]
        assert len(published) == 1
        assert 18 <= published[0].offset_weeks <= 21
        assert templates[0].stage == "notified" and templates[0].offset_weeks == 0
        offsets = [t.offset_weeks for t in templates]
        assert offsets == sorted(offsets)
        stages = [order[t.stage] for t in templates]
        assert stages == sorted(stages), programme.code  # stages follow the lifecycle
        for template in templates:
            assert "not from a published source" in template.source_note
    assert MilestoneTemplate.objects.values("name").distinct().count() == 11


def test_loaded_records_start_their_history():
    for model in (Programme, QualityIndicator, EvaluationScale, EvaluationLevel):
        for record in model.objects.all():
            first = record.history.earliest()
            assert first.history_type == "+"
            assert first.history_change_reason == "Loaded from reference data"
    programme = Programme.objects.get(code="asp_phase_1")
    snapshot = programme.history.earliest()
    assert {a.agency.code for a in snapshot.partner_agencies.all()} == {"HIS", "HMICS"}


def test_loading_again_changes_nothing():
    migration = importlib.import_module("inspections.migrations.0002_load_reference")
    counts = [
        m.objects.count()
        for m in (Programme, QualityIndicator, EvaluationScale, EvaluationLevel, MilestoneTemplate)
    ]
    migration.load(apps, None)
    assert counts == [
        m.objects.count()
        for m in (Programme, QualityIndicator, EvaluationScale, EvaluationLevel, MilestoneTemplate)
    ]
