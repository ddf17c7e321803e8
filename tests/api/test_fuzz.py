"""API fuzzing: schemathesis drives every operation in /api/schema/ against the WSGI application
in this process, with knox tokens of an administrator (who may do most) and of a lead inspector
(who may see and do far less, so the refusals are fuzzed too), over the demo data (built through
the services), so identifiers in paths reach real records as well as missing ones, including
records the lead inspector may not see. Every answer must
be below 500 and match the schema: a documented status code, the documented content type and a
body of the documented shape.

Each operation gets EXAMPLES_PER_OPERATION valid requests and as many invalid ones as the
administrator (half that as the lead inspector), derandomised
so a run on a fresh database is repeatable; the whole run takes two to three minutes on the CI
machine. To look harder, or at some operations only:

    FUZZ_EXAMPLES=50 FUZZ_OPERATIONS='shared-risks' .venv/bin/pytest tests/api/test_fuzz.py

Further down, the faults the fuzzing found, each pinned by a plain test."""

from __future__ import annotations

import os
import re

import hypothesis
import pytest
import schemathesis
import werkzeug.test
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))
LEAD_INSPECTOR = "lead@ci.demo.example"
OPERATIONS = re.compile(os.environ.get("FUZZ_OPERATIONS", ""))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A path's collection: /api/v1/inspections/{id}/milestones/ -> /api/v1/inspections/
COLLECTION = re.compile(r"^(?P<collection>/api/v1/.+?/)\{id\}/")


def _files(admin: User) -> None:
    """A stored evidence file, meeting file and report, so downloads reach real files."""
    from cooperation.models import Meeting
    from cooperation.services import meeting_attachment_upload
    from inspections.models import EvidenceActivity
    from inspections.services import attachment_upload
    from partnerships.models import Partnership
    from reports.models import GeneratedReport

    activity = EvidenceActivity.objects.order_by("pk").first()
    lead = activity.inspection.team.get(role="lead_inspector").user
    attachment_upload(
        activity=activity,
        by=lead,
        upload=SimpleUploadedFile("notes.txt", b"Position statement notes.\n"),
    )
    meeting_attachment_upload(
        meeting=Meeting.objects.order_by("pk").first(),
        by=admin,
        upload=SimpleUploadedFile("minutes.txt", b"Minutes of the meeting.\n"),
    )
    report = GeneratedReport(
        kind="partnership_profile",
        partnership=Partnership.objects.get(name="Fife", kind="hscp"),
        requested_by=admin,
        status="done",
        document_status="final",
        filename="fife-profile.pdf",
        size=9,
        finished_at=timezone.now(),
    )
    report.file.save("fife-profile.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    report.save()


@pytest.fixture
def admin_token(db, settings, tmp_path) -> str:
    """The demo data and a token of its CI administrator."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    admin = User.objects.get(email="admin@ci.demo.example")
    _files(admin)
    _, token = AuthToken.objects.create(admin)
    return token


@pytest.fixture
def lead_token(admin_token) -> str:
    """A token of the demo's CI lead inspector."""
    _, token = AuthToken.objects.create(User.objects.get(email=LEAD_INSPECTOR))
    return token


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, kept from closing the test's database connection at the end
    of each request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _known_ids(app, schema, headers: dict[str, str]) -> dict[str, list[int]]:
    """The identifiers of records each collection lists, keyed by the collection's path."""
    client = werkzeug.test.Client(app)
    known: dict[str, list[int]] = {}
    for path in schema.raw_schema["paths"]:
        match = COLLECTION.match(path)
        if not match or match["collection"] in known:
            continue
        response = client.get(
            match["collection"], query_string={"page_size": 20, "archived": "true"}, headers=headers
        )
        body = response.get_json() if response.status_code == 200 else {}
        rows = body.get("results", body) if isinstance(body, dict) else body
        known[match["collection"]] = [row["id"] for row in rows if "id" in row]
    return known


@pytest.fixture
def api_schema(admin_token, wsgi_app):
    """The schema as /api/schema/ serves it to the administrator."""
    headers = {"Authorization": f"Token {admin_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    known = _known_ids(wsgi_app, schema, headers)

    @schema.hook("flatmap_path_parameters")
    def real_records(context, path_parameters):
        """About half of the record identifiers drawn are those of records that exist."""
        match = COLLECTION.match(context.operation.path)
        ids = known.get(match["collection"]) if match else None
        if not ids or "id" not in path_parameters:
            return st.just(path_parameters)
        return st.sampled_from(ids).flatmap(
            lambda pk: st.sampled_from([path_parameters, {**path_parameters, "id": pk}])
        )

    return schema


def _fuzz(operation, token: str, examples: int) -> None:
    """Valid and invalid requests to one operation, each answer checked against the schema."""
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=2 * examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failure is reported
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    def call(case):
        # Each request runs in a savepoint rolled back afterwards, so what one writes (or a
        # statement the database refused) leaves the next the same demo data.
        with transaction.atomic():
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
            transaction.set_rollback(True)

    call()


def _describe(error: BaseException) -> str:
    """What went wrong, with the failures behind a flaky one (Hypothesis groups them)."""
    if isinstance(error, BaseExceptionGroup) and not isinstance(error, FailureGroup):
        return "\n".join([str(error), *(_describe(inner) for inner in error.exceptions)])
    return str(error)


@pytest.mark.fuzz
@pytest.mark.timeout(1200)
def test_every_operation_answers_as_the_schema_says(api_schema, admin_token, lead_token):
    failures = []
    tried = 0
    callers = (
        ("administrator", admin_token, EXAMPLES_PER_OPERATION),
        ("lead inspector", lead_token, max(1, EXAMPLES_PER_OPERATION // 2)),
    )
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if not OPERATIONS.search(operation.label):
            continue
        tried += 1
        for who, token, examples in callers:
            try:
                _fuzz(operation, token, examples)
            except (Exception, FailureGroup) as error:  # every operation is tried; all reported
                failures.append(f"{operation.label} as the {who}:\n{_describe(error)}")
    assert tried > (0 if OPERATIONS.pattern else 150), "the schema lost its operations"
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


@pytest.mark.fuzz
def test_every_operation_refuses_a_caller_without_credentials_with_a_documented_401(
    api_schema, wsgi_app
):
    """Without a token, or with one that was revoked, every operation answers 401 and says how
    to authenticate, and the schema lists that answer."""
    client = werkzeug.test.Client(wsgi_app)
    revoked_instance, revoked = AuthToken.objects.create(User.objects.get(email=LEAD_INSPECTOR))
    revoked_instance.delete()
    wrong = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 150, "the schema lost its operations"
    for operation in operations:
        path = re.sub(r"\{[^}]+\}", "1", operation.path)
        documented = "401" in operation.definition.raw["responses"]
        for headers in ({}, {"Authorization": f"Token {revoked}"}):
            response = client.open(path, method=operation.method.upper(), headers=headers)
            challenge = response.headers.get("WWW-Authenticate", "")
            if response.status_code != 401 or not challenge.startswith("Token") or not documented:
                wrong.append(f"{operation.label} {headers}: {response.status_code}, {documented=}")
    assert not wrong, "\n".join(wrong)


# Faults the fuzzing found ------------------------------------------------------------------


def test_a_nul_character_in_a_code_is_refused_with_400(admin_token_api):
    """PostgreSQL cannot hold NUL in text: a body's code with one was a 500."""
    response = admin_token_api.post(
        "/api/v1/shared-risks/",
        {
            "title": "Capacity",
            "raised_by": "CI\x00",
            "owner_body": "HIS",
            "likelihood": 1,
            "impact": 1,
            "review_on": "2030-01-01",
        },
        format="multipart",
    )

    assert response.status_code == 400


def test_a_nul_character_in_a_filter_is_refused_with_400(admin_token_api):
    response = admin_token_api.get("/api/v1/meetings/", {"body": "CI\x00"})

    assert response.status_code == 400


def test_a_grading_step_sent_as_a_list_is_refused_with_400(admin_token_api):
    """A JSON array instead of an object was a 500."""
    response = admin_token_api.post("/api/v1/evaluations/panel/", [[]], format="json")

    assert response.status_code == 400


def test_a_grading_step_for_an_inspection_that_is_not_a_number_is_refused_with_400(
    admin_token_api,
):
    """'²' counts as a digit in Python but is no id: looking the inspection up was a 500."""
    response = admin_token_api.post(
        "/api/v1/evaluations/panel/", {"inspection": "²", "outcome": "confirmed"}, format="json"
    )

    assert response.status_code == 400
    assert "inspection" in response.json()


def test_a_notice_planned_for_the_first_day_there_is_is_recorded(admin_token_api):
    """Counting working days back from 1 January of year 1 ran past the first date: a 500,
    after the notice was saved."""
    response = admin_token_api.post(
        "/api/v1/no-surprises-notices/",
        {"raised_by": "HIS", "kind": "announcement", "subject": "Open", "planned_on": "0001-01-01"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["flags"]["tell_by"] == "0001-01-01"


def test_the_schema_documents_the_errors_and_blank_choices(admin_token_api):
    """Answers the fuzzing met that the schema did not list."""
    schema = admin_token_api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]

    assert {"400", "404"} <= set(paths["/api/v1/partnerships/"]["get"]["responses"])
    assert "404" in paths["/api/v1/partnerships/{id}/"]["get"]["responses"]
    assert {"400", "403", "404", "409", "415"} <= set(
        paths["/api/v1/partnerships/{id}/"]["patch"]["responses"]
    )
    assert "409" in paths["/api/v1/msg-self-evaluations/{id}/submit/"]["post"]["responses"]
    # A choice stored blank is read back as "", read-only or not.
    commitment = schema["components"]["schemas"]["Notice"]["properties"]["commitment_type"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in commitment["oneOf"]
    # A report not made yet has no download address.
    download = schema["components"]["schemas"]["GeneratedReport"]["properties"]["download_url"]
    assert download["nullable"] is True
