"""The demo data: an illustrative template and twelve records read, built once."""

import pytest
from django.core.management import call_command

from inspections.models import Inspection, RecordReviewTemplate, ReviewedRecord
from inspections.record_reading import selectors

pytestmark = pytest.mark.django_db


def test_load_demo_adds_an_illustrative_template_and_a_read_sample_once():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    template = RecordReviewTemplate.objects.get()
    assert template.name == "Demo record review template (illustrative)"
    assert "not the wording of any real" in template.description
    assert template.sections.count() == 2
    inspection = Inspection.objects.get(status="fieldwork")
    records = ReviewedRecord.objects.filter(inspection=inspection)
    assert records.count() == 12
    assert set(records.values_list("status", flat=True)) == {"complete", "draft", "not_started"}
    results = selectors.record_reading_results(inspection=inspection)
    assert [r.number for r in results] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert results[0].answered == 9  # the records marked complete
    assert results[0].figure == "75% yes (6 of 8 applicable; 1 not applicable)"
