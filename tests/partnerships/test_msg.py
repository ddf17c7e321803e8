"""The MSG self-evaluation: proposals loaded, rounds and ratings, validation, comparing rounds,
the national view (counts and a fixed number of queries), pages and API."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships import msg
from partnerships.models import (
    MsgFeature,
    MsgProposal,
    MsgRating,
    MsgRatingLevel,
    MsgSelfEvaluation,
    MsgStatus,
    Partnership,
    PartnershipKind,
)
from scrutiny.services import CONFLICT_MESSAGE, ConflictError
from tests import factories

pytestmark = pytest.mark.django_db

NYE, PARTLY, EST, EXEMPLARY = MsgRatingLevel.values
NATIONAL = reverse("partnerships:msg_national")


def _hscps(n: int) -> list[Partnership]:
    return list(
        Partnership.objects.filter(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE).order_by("name")[:n]
    )


def _round(partnership, on, status=MsgStatus.SUBMITTED, level=EST, overrides=None):
    """A round with every proposal rated `level` (bar `overrides`, keyed by proposal number),
    written directly: these tests are about reading."""
    round_ = MsgSelfEvaluation.objects.create(
        partnership=partnership, evaluated_on=on, status=status
    )
    overrides = overrides or {}
    MsgRating.objects.bulk_create(
        MsgRating(self_evaluation=round_, proposal=p, rating=overrides.get(p.number, level))
        for p in MsgProposal.objects.all()
    )
    return round_


@pytest.fixture
def link_inspector(fife):
    user = factories.inspector(full_name="Lena Link")
    factories.AreaAssignmentFactory(
        user=user,
        local_authority=fife.local_authorities.first(),
        started_on=datetime.date(2024, 1, 1),
    )
    return user


@pytest.fixture
def link_client(client, link_inspector):
    client.force_login(link_inspector)
    return client


def _all_ratings(level=EST, comment=""):
    return {p.pk: msg.RatingInput(rating=level, comment=comment) for p in MsgProposal.objects.all()}


# Reference data -------------------------------------------------------------------------------


def test_proposals_loaded_under_six_features():
    assert MsgProposal.objects.count() == 25
    counts = [f.proposals.count() for f in MsgFeature.objects.order_by("number")]
    assert counts == [3, 6, 5, 5, 3, 3]
    first = MsgProposal.objects.get(number="1(i)")
    assert first.timescale == "6 months"
    assert first.feature.title == "Collaborative leadership and building relationships"
    assert first.history.get().history_change_reason == "Loaded from reference data"


# The national view ----------------------------------------------------------------------------


def test_national_counts_use_each_partnerships_latest_submitted_round(inspector_user):
    p1, p2, p3, p4 = _hscps(4)
    _round(p1, datetime.date(2024, 1, 1), level=NYE)  # superseded by the 2025 round
    _round(p1, datetime.date(2025, 1, 1), level=EST)
    _round(p2, datetime.date(2024, 6, 1), level=PARTLY)
    _round(p2, datetime.date(2025, 6, 1), status=MsgStatus.DRAFT, level=EXEMPLARY)  # a draft
    _round(p3, datetime.date(2025, 2, 1), status=MsgStatus.DRAFT, level=NYE)  # only a draft
    _round(p4, datetime.date(2025, 3, 1), level=EST, overrides={"1(i)": EXEMPLARY})

    view = msg.msg_national(user=inspector_user)

    assert view.partnerships == 3
    rows = {row.proposal.number: row.counts for row in view.rows}
    assert len(rows) == 25
    assert rows["1(i)"] == {NYE: 0, PARTLY: 1, EST: 1, EXEMPLARY: 1}
    for number, counts in rows.items():
        if number != "1(i)":
            assert counts == {NYE: 0, PARTLY: 1, EST: 2, EXEMPLARY: 0}, number
    assert [len(rows_) for _, rows_ in view.groups] == [3, 6, 5, 5, 3, 3]


def test_national_view_excludes_archived_rounds_and_ratings(inspector_user, admin_user):
    (p1,) = _hscps(1)
    _round(p1, datetime.date(2024, 1, 1), level=NYE)
    later = _round(p1, datetime.date(2025, 1, 1), level=EST)
    later.archived_at = later.created_at
    later.save()
    rows = {row.proposal.number: row.counts for row in msg.msg_national(user=inspector_user).rows}
    assert rows["2(iv)"][NYE] == 1 and rows["2(iv)"][EST] == 0


def _national_queries(client, n: int) -> int:
    for p in _hscps(n):
        _round(p, datetime.date(2024, 1, 1), level=NYE)
        _round(p, datetime.date(2025, 1, 1), level=PARTLY)
        _round(p, datetime.date(2025, 6, 1), status=MsgStatus.DRAFT)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(NATIONAL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_national_view_queries_do_not_grow_with_partnerships(inspector_client):
    at_five = _national_queries(inspector_client, 5)
    MsgRating.objects.all().delete()
    MsgSelfEvaluation.objects.all().delete()
    at_thirty_one = _national_queries(inspector_client, 31)
    assert at_five == at_thirty_one
    response = inspector_client.get(NATIONAL)
    assert response.context["view"].partnerships == 31
    assert response.context["view"].rows[0].counts[PARTLY] == 31


def test_national_selector_is_three_queries(inspector_user, django_assert_num_queries):
    for p in _hscps(5):
        _round(p, datetime.date(2025, 1, 1))
    inspector_user.has_perm("x")  # warm the permission cache
    with django_assert_num_queries(3):
        view = msg.msg_national(user=inspector_user)
    assert view.rows[0].counts[EST] == 5


def test_national_csv(inspector_client):
    for p in _hscps(2):
        _round(p, datetime.date(2025, 1, 1), level=EXEMPLARY)
    response = inspector_client.get(NATIONAL, {"format": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Proposal", "Feature", "Title", "Timescale"]
    assert rows[0][4:] == [
        "Not yet established",
        "Partly established",
        "Established",
        "Exemplary",
        "Partnerships rating it",
    ]
    assert len(rows) == 26
    assert rows[1][0] == "1(i)" and rows[1][4:] == ["0", "0", "0", "2", "2"]


def test_national_page_needs_sign_in(client):
    response = client.get(NATIONAL)
    assert response.status_code == 302


# Writes and permissions -----------------------------------------------------------------------


def test_link_inspector_records_a_round_and_submits_it(fife, link_inspector):
    round_ = msg.msg_round_create(
        partnership=fife, by=link_inspector, evaluated_on=datetime.date(2025, 3, 1)
    )
    assert round_.status == MsgStatus.DRAFT
    partial = dict(list(_all_ratings().items())[:3])
    round_ = msg.msg_ratings_save(
        self_evaluation=round_, by=link_inspector, expected_version=round_.version, ratings=partial
    )
    with pytest.raises(ValidationError, match="Not yet rated: 2\\(i\\)"):
        msg.msg_round_submit(
            self_evaluation=round_, by=link_inspector, expected_version=round_.version
        )
    round_ = msg.msg_ratings_save(
        self_evaluation=round_,
        by=link_inspector,
        expected_version=round_.version,
        ratings=_all_ratings(comment="Joint leadership programme"),
    )
    round_ = msg.msg_round_submit(
        self_evaluation=round_, by=link_inspector, expected_version=round_.version
    )
    assert round_.status == MsgStatus.SUBMITTED
    assert round_.ratings.count() == 25
    assert round_.history.first().history_user == link_inspector
    with pytest.raises(ValidationError, match="submitted"):
        msg.msg_ratings_save(
            self_evaluation=round_,
            by=link_inspector,
            expected_version=round_.version,
            ratings=_all_ratings(PARTLY),
        )
    rating = round_.ratings.get(proposal__number="1(i)")
    assert rating.comment == "Joint leadership programme"
    assert rating.history.first().history_user == link_inspector


def test_inspector_who_is_not_the_link_inspector_may_not_record(fife, inspector_user):
    with pytest.raises(PermissionDenied):
        msg.msg_round_create(
            partnership=fife, by=inspector_user, evaluated_on=datetime.date(2025, 3, 1)
        )
    round_ = _round(fife, datetime.date(2025, 1, 1), status=MsgStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        msg.msg_ratings_save(
            self_evaluation=round_, by=inspector_user, expected_version=1, ratings={}
        )
    with pytest.raises(PermissionDenied):
        msg.msg_validation_note(
            rating=round_.ratings.first(), by=inspector_user, expected_version=1, note="No."
        )


def test_link_inspector_of_another_area_may_not_record(fife):
    other = factories.inspector()
    factories.AreaAssignmentFactory(user=other, started_on=datetime.date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        msg.msg_round_create(partnership=fife, by=other, evaluated_on=datetime.date(2025, 3, 1))


def test_administrator_may_record(fife, admin_user):
    round_ = msg.msg_round_create(
        partnership=fife, by=admin_user, evaluated_on=datetime.date(2025, 3, 1)
    )
    assert round_.pk


def test_round_date_cannot_be_in_the_future(fife, link_inspector):
    with pytest.raises(ValidationError, match="future"):
        msg.msg_round_create(
            partnership=fife, by=link_inspector, evaluated_on=datetime.date(2999, 1, 1)
        )


def test_stale_ratings_save_is_refused(fife, link_inspector):
    round_ = msg.msg_round_create(
        partnership=fife, by=link_inspector, evaluated_on=datetime.date(2025, 3, 1)
    )
    msg.msg_ratings_save(
        self_evaluation=round_, by=link_inspector, expected_version=1, ratings=_all_ratings()
    )
    with pytest.raises(ConflictError):
        msg.msg_ratings_save(
            self_evaluation=round_,
            by=link_inspector,
            expected_version=1,
            ratings=_all_ratings(NYE),
        )
    assert set(round_.ratings.values_list("rating", flat=True)) == {EST}


def test_validation_note(fife, link_inspector):
    round_ = _round(fife, datetime.date(2025, 1, 1))
    rating = round_.ratings.get(proposal__number="3(ii)")
    updated = msg.msg_validation_note(
        rating=rating, by=link_inspector, expected_version=1, note="Seen the joint plan."
    )
    assert updated.validation_note == "Seen the joint plan."
    assert updated.validated_by == link_inspector and updated.validated_at
    assert updated.history.first().history_change_reason == "Validation note"


def test_compare_two_rounds(fife):
    earlier = _round(fife, datetime.date(2024, 1, 1), level=PARTLY, overrides={"1(i)": EXEMPLARY})
    later = _round(fife, datetime.date(2025, 1, 1), level=EST, overrides={"1(ii)": PARTLY})
    groups = msg.msg_compare(earlier=later, later=earlier)  # put in date order for the caller
    rows = {row.proposal.number: row for g in groups for row in g.rows}
    assert rows["1(i)"].rating.rating == EXEMPLARY and rows["1(i)"].other.rating == EST
    assert rows["1(i)"].change == -1
    assert rows["1(ii)"].change == 0
    assert rows["6(iii)"].change == 1


# Pages ----------------------------------------------------------------------------------------


def test_partnership_page_links_to_msg(inspector_client, fife):
    response = inspector_client.get(reverse("partnerships:detail", args=[fife.pk]))
    assert reverse("partnerships:msg_rounds", args=[fife.pk]) in response.content.decode()


def test_rounds_page_start_form_only_for_the_link_inspector(inspector_client, fife):
    url = reverse("partnerships:msg_rounds", args=[fife.pk])
    response = inspector_client.get(url)
    assert response.status_code == 200
    assert "Start round" not in response.content.decode()
    assert inspector_client.post(url, {"evaluated_on": "2025-01-01"}).status_code == 403


def test_link_inspector_starts_a_round_on_the_page(link_client, fife):
    url = reverse("partnerships:msg_rounds", args=[fife.pk])
    assert "Start round" in link_client.get(url).content.decode()
    response = link_client.post(url, {"evaluated_on": "2025-01-01", "notes": "First"})
    round_ = MsgSelfEvaluation.objects.get(partnership=fife)
    assert response.status_code == 302
    assert response.url == reverse("partnerships:msg_edit", args=[round_.pk])
    bad = link_client.post(url, {"evaluated_on": ""})
    assert bad.status_code == 400
    assert "There is a problem" in bad.content.decode()


def _form_data(round_, level=EST, comment=""):
    data = {"version": round_.version, "notes": ""}
    for p in MsgProposal.objects.all():
        data[f"rating_{p.pk}"] = level
        data[f"comment_{p.pk}"] = comment
        data[f"evidence_{p.pk}"] = ""
    return data


def test_ratings_form_saves_every_proposal(link_client, fife):
    round_ = _round(fife, datetime.date(2025, 1, 1), status=MsgStatus.DRAFT, level=NYE)
    url = reverse("partnerships:msg_edit", args=[round_.pk])
    response = link_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="rating_') == 25
    response = link_client.post(url, _form_data(round_, EST, "Better"))
    assert response.status_code == 302
    assert set(round_.ratings.values_list("rating", flat=True)) == {EST}
    detail = link_client.get(reverse("partnerships:msg_detail", args=[round_.pk]))
    assert "Better" in detail.content.decode()


def test_ratings_form_comment_without_rating_is_an_error(link_client, fife):
    round_ = _round(fife, datetime.date(2025, 1, 1), status=MsgStatus.DRAFT)
    data = _form_data(round_)
    first = MsgProposal.objects.get(number="1(i)")
    data[f"rating_{first.pk}"] = ""
    data[f"comment_{first.pk}"] = "Something"
    response = link_client.post(reverse("partnerships:msg_edit", args=[round_.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and f'href="#id_rating_{first.pk}"' in body


def test_conflict_keeps_the_users_input(link_client, fife, admin_user):
    round_ = _round(fife, datetime.date(2025, 1, 1), status=MsgStatus.DRAFT, level=NYE)
    stale = _form_data(round_, EXEMPLARY, "My careful comment")
    msg.msg_ratings_save(
        self_evaluation=round_,
        by=admin_user,
        expected_version=round_.version,
        ratings=_all_ratings(PARTLY),
    )
    response = link_client.post(reverse("partnerships:msg_edit", args=[round_.pk]), stale)
    assert response.status_code == 400
    body = response.content.decode()
    assert CONFLICT_MESSAGE.split(" while")[0] in body
    assert "My careful comment" in body
    assert response.context["form"].data["version"] == 2
    assert set(round_.ratings.values_list("rating", flat=True)) == {PARTLY}
    again = link_client.post(
        reverse("partnerships:msg_edit", args=[round_.pk]), {**stale, "version": 2}
    )
    assert again.status_code == 302


def test_submit_on_the_page(link_client, fife):
    round_ = _round(fife, datetime.date(2025, 1, 1), status=MsgStatus.DRAFT)
    response = link_client.post(
        reverse("partnerships:msg_submit", args=[round_.pk]), {"version": round_.version}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == MsgStatus.SUBMITTED


def test_validation_note_page(link_client, inspector_user, fife):
    from django.test import Client

    round_ = _round(fife, datetime.date(2025, 1, 1))
    rating = round_.ratings.get(proposal__number="4(v)")
    url = reverse("partnerships:msg_validate", args=[rating.pk])
    other = Client()
    other.force_login(inspector_user)
    assert other.get(url).status_code == 403
    assert link_client.get(url).status_code == 200
    response = link_client.post(url, {"version": 1, "validation_note": "Checked minutes."})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.validation_note == "Checked minutes."
    history = link_client.get(reverse("partnerships:msg_rating_history", args=[rating.pk]))
    assert "Checked minutes." in history.content.decode()
    stale = link_client.post(url, {"version": 1, "validation_note": "Other"})
    assert stale.status_code == 400 and "Other" in stale.content.decode()


def test_compare_page(inspector_client, fife):
    a = _round(fife, datetime.date(2024, 1, 1), level=NYE)
    b = _round(fife, datetime.date(2025, 1, 1), level=EXEMPLARY)
    url = reverse("partnerships:msg_compare", args=[fife.pk])
    response = inspector_client.get(url, {"a": a.pk, "b": b.pk})
    assert response.status_code == 200
    assert "Up 3" in response.content.decode()
    assert inspector_client.get(url, {"a": a.pk, "b": "x"}).status_code == 400


def test_round_detail_and_history_pages(link_client, fife, link_inspector):
    round_ = msg.msg_round_create(
        partnership=fife, by=link_inspector, evaluated_on=datetime.date(2025, 1, 1)
    )
    msg.msg_ratings_save(
        self_evaluation=round_, by=link_inspector, expected_version=1, ratings=_all_ratings()
    )
    detail = link_client.get(reverse("partnerships:msg_detail", args=[round_.pk]))
    assert detail.status_code == 200
    history = link_client.get(reverse("partnerships:msg_history", args=[round_.pk]))
    assert history.status_code == 200
    assert "Ratings saved" in history.content.decode()
    assert "Lena Link" in history.content.decode()
    missing = link_client.get(reverse("partnerships:msg_detail", args=[999999]))
    assert missing.status_code == 404


# API ------------------------------------------------------------------------------------------

API = "/api/v1/msg-self-evaluations/"


@pytest.fixture
def link_api(api_client, link_inspector):
    api_client.force_login(link_inspector)
    return api_client


@pytest.fixture
def inspector_api(api_client, inspector_user):
    api_client.force_login(inspector_user)
    return api_client


def _api_ratings(level=EST):
    return [{"proposal": p.pk, "rating": level, "comment": "c"} for p in MsgProposal.objects.all()]


def test_api_create_update_submit_and_validate(link_api, fife):
    response = link_api.post(
        API,
        {"partnership": fife.pk, "evaluated_on": "2025-01-01", "ratings": _api_ratings()[:5]},
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.data
    assert len(body["ratings"]) == 5 and body["status"] == "draft"
    url = f"{API}{body['id']}/"
    stale = link_api.patch(url, {"version": 1, "ratings": _api_ratings(NYE)}, format="json")
    assert stale.status_code == 409 and stale.data["current_version"] == body["version"]
    missing_version = link_api.patch(url, {"ratings": []}, format="json")
    assert missing_version.status_code == 400 and "version" in missing_version.data
    updated = link_api.patch(
        url, {"version": body["version"], "ratings": _api_ratings(PARTLY)}, format="json"
    )
    assert updated.status_code == 200 and len(updated.data["ratings"]) == 25
    submitted = link_api.post(f"{url}submit/", {"version": updated.data["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.data["status"] == "submitted"
    proposal = MsgProposal.objects.get(number="2(i)")
    rating = next(r for r in submitted.data["ratings"] if r["proposal"] == proposal.pk)
    noted = link_api.post(
        f"{url}validation-note/",
        {
            "proposal": proposal.pk,
            "validation_note": "Budgets agreed.",
            "version": rating["version"],
        },
        format="json",
    )
    assert noted.status_code == 200
    assert MsgRating.objects.get(pk=rating["id"]).validation_note == "Budgets agreed."


def test_api_bad_rating_is_a_400(link_api, fife):
    p = MsgProposal.objects.first()
    response = link_api.post(
        API,
        {
            "partnership": fife.pk,
            "evaluated_on": "2025-01-01",
            "ratings": [{"proposal": p.pk, "rating": "brilliant"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not MsgSelfEvaluation.objects.exists()


def test_api_reads_for_everyone_writes_refused(inspector_api, fife):
    _round(fife, datetime.date(2025, 1, 1))
    other = _hscps(1)[0]
    _round(other, datetime.date(2025, 1, 1))
    listed = inspector_api.get(API, {"partnership": fife.pk})
    assert listed.status_code == 200
    assert [r["partnership"] for r in listed.data["results"]] == [fife.pk]
    assert listed.data["results"][0]["ratings_summary"]["rated"] == 25
    assert inspector_api.get(API, {"partnership": "x"}).status_code == 400
    refused = inspector_api.post(
        API, {"partnership": fife.pk, "evaluated_on": "2025-02-01"}, format="json"
    )
    assert refused.status_code == 403
    assert inspector_api.delete(f"{API}{listed.data['results'][0]['id']}/").status_code == 405


def test_api_list_summarises_ratings_and_the_round_has_them_in_full(inspector_api, fife):
    """The list counts each round's ratings by level (a page of 50 rounds would otherwise
    carry 1,250 ratings); the round's own address gives every rating."""
    round_ = _round(
        fife,
        datetime.date(2025, 1, 1),
        status=MsgStatus.DRAFT,
        overrides={"1(i)": EXEMPLARY, "1(ii)": NYE},
    )
    MsgRating.objects.filter(self_evaluation=round_, proposal__number="2(i)").delete()
    cleared = MsgRating.objects.get(self_evaluation=round_, proposal__number="2(ii)")
    cleared.archived_at = datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC)
    cleared.save()
    listed = inspector_api.get(API, {"partnership": fife.pk}).json()["results"]
    assert "ratings" not in listed[0]
    assert listed[0]["ratings_summary"] == {
        "rated": 23,
        "counts": {NYE: 1, PARTLY: 0, EST: 21, EXEMPLARY: 1},
    }
    detail = inspector_api.get(listed[0]["url"]).json()
    assert len(detail["ratings"]) == 23
    first = next(r for r in detail["ratings"] if r["proposal_number"] == "1(i)")
    assert first["rating"] == EXEMPLARY and first["rating_display"] == "Exemplary"


def test_api_list_runs_the_same_queries_at_2_and_20_rounds(inspector_api):
    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = inspector_api.get(API)
        assert response.status_code == 200
        return len(ctx), response.json()["count"]

    partnerships = _hscps(20)
    for p in partnerships[:2]:
        _round(p, datetime.date(2025, 1, 1))
    inspector_api.get(API)  # warm caches (content types, permissions)
    few, count = queries()
    assert count == 2
    for p in partnerships[2:]:
        _round(p, datetime.date(2025, 1, 1))
    many, count = queries()
    assert count == 20
    assert many == few


def test_api_national(inspector_api):
    p1, p2 = _hscps(2)
    _round(p1, datetime.date(2025, 1, 1), level=EXEMPLARY)
    _round(p2, datetime.date(2025, 1, 1), status=MsgStatus.DRAFT)
    response = inspector_api.get(f"{API}national/")
    assert response.status_code == 200
    assert response.data["partnerships"] == 1
    first = response.data["proposals"][0]
    assert first["number"] == "1(i)" and first["feature"] == 1
    assert first["counts"] == {NYE: 0, PARTLY: 0, EST: 0, EXEMPLARY: 1}
    assert len(response.data["proposals"]) == 25


def test_api_needs_authentication(api_client):
    assert api_client.get(API).status_code in (401, 403)
