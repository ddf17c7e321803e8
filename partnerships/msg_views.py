"""MSG self-evaluation pages: a partnership's rounds, the ratings form, a round's detail with
validation notes, comparing two rounds, the national view (with CSV) and History pages."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from scrutiny.forms import add_service_error
from scrutiny.history import history_page
from scrutiny.services import ConflictError

from . import msg, selectors
from .models import MsgRatingLevel, MsgStatus
from .msg_forms import MsgRatingsForm, MsgRoundForm, MsgSubmitForm, MsgValidationForm
from .policies import msg_policy


@login_required
def msg_round_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    rounds = list(msg.msg_rounds(user=request.user, partnership=partnership))
    can_record = msg_policy.can_record(request.user, partnership)
    form = MsgRoundForm(request.POST or None, initial={"evaluated_on": timezone.localdate()})
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                round_ = msg.msg_round_create(
                    partnership=partnership, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "The self-evaluation round has been started.")
                return redirect("partnerships:msg_edit", round_pk=round_.pk)
    return render(
        request,
        "partnerships/msg_round_list.html",
        {
            "page_title": f"MSG self-evaluation: {partnership}",
            "partnership": partnership,
            "rounds": rounds,
            "submitted": [r for r in rounds if r.status == MsgStatus.SUBMITTED],
            "can_record": can_record,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def msg_round_detail(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = msg.msg_round_get(user=request.user, pk=round_pk)
    can_change = msg_policy.can_change(request.user, round_)
    return render(
        request,
        "partnerships/msg_round_detail.html",
        {
            "page_title": str(round_),
            "round": round_,
            "partnership": round_.partnership,
            "groups": msg.msg_round_detail(self_evaluation=round_),
            "can_change": can_change and round_.status == MsgStatus.DRAFT,
            "can_validate": msg_policy.can_validate(request.user, round_),
            "submit_form": MsgSubmitForm(initial={"version": round_.version}),
        },
    )


@login_required
def msg_round_edit(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = msg.msg_round_get(user=request.user, pk=round_pk)
    if not msg_policy.can_change(request.user, round_):
        raise PermissionDenied
    groups = msg.msg_round_detail(self_evaluation=round_)
    ratings = {row.proposal.pk: row.rating for g in groups for row in g.rows if row.rating}
    form = MsgRatingsForm(
        request.POST or None,
        proposals=[row.proposal for g in groups for row in g.rows],
        ratings=ratings,
        initial={"version": round_.version, "notes": round_.notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            msg.msg_ratings_save(
                self_evaluation=round_,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                ratings=form.ratings(),
                notes=form.cleaned_data["notes"],
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The ratings have been saved.")
            return redirect("partnerships:msg_detail", round_pk=round_.pk)
    return render(
        request,
        "partnerships/msg_round_form.html",
        {
            "page_title": f"Ratings: {round_}",
            "round": round_,
            "partnership": round_.partnership,
            "form": form,
            "sections": form.sections(groups),
        },
        status=400 if form.errors else 200,
    )


@login_required
def msg_round_submit(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = msg.msg_round_get(user=request.user, pk=round_pk)
    if not msg_policy.can_change(request.user, round_):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("partnerships:msg_detail", round_pk=round_.pk)
    form = MsgSubmitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("The form was incomplete: reload the page and try again.")
        msg.msg_round_submit(
            self_evaluation=round_, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The round has been submitted.")
    return redirect("partnerships:msg_detail", round_pk=round_.pk)


@login_required
def msg_validation(request: HttpRequest, rating_pk: int) -> HttpResponse:
    rating = msg.msg_rating_get(user=request.user, pk=rating_pk)
    if not msg_policy.can_validate(request.user, rating):
        raise PermissionDenied
    form = MsgValidationForm(
        request.POST or None,
        initial={"version": rating.version, "validation_note": rating.validation_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            msg.msg_validation_note(
                rating=rating,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["validation_note"],
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The validation note on {rating.proposal.number} is saved.")
            return redirect("partnerships:msg_detail", round_pk=rating.self_evaluation_id)
    return render(
        request,
        "partnerships/msg_validation_form.html",
        {
            "page_title": f"Validate proposal {rating.proposal.number}",
            "rating": rating,
            "round": rating.self_evaluation,
            "partnership": rating.self_evaluation.partnership,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def msg_compare(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    rounds = {r.pk: r for r in msg.msg_rounds(user=request.user, partnership=partnership)}
    error = ""
    groups = None
    earlier = later = None
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        error = "Choose two rounds to compare."
    else:
        if a not in rounds or b not in rounds:
            error = "Choose two rounds of this partnership to compare."
        else:
            earlier, later = sorted([rounds[a], rounds[b]], key=lambda r: (r.evaluated_on, r.pk))
            try:
                groups = msg.msg_compare(earlier=earlier, later=later)
            except ValidationError as exc:
                error = " ".join(exc.messages)
    return render(
        request,
        "partnerships/msg_compare.html",
        {
            "page_title": f"Compare MSG rounds: {partnership}",
            "partnership": partnership,
            "rounds": list(rounds.values()),
            "earlier": earlier,
            "later": later,
            "groups": groups,
            "error": error,
        },
        status=400 if error and request.GET else 200,
    )


NATIONAL_CSV_COLUMNS = [
    "Proposal",
    "Feature",
    "Title",
    "Timescale",
    *MsgRatingLevel.labels,
    "Partnerships rating it",
]


@login_required
def msg_national(request: HttpRequest) -> HttpResponse:
    view = msg.msg_national(user=request.user)
    if request.GET.get("format") == "csv":
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="msg-national-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(NATIONAL_CSV_COLUMNS)
        for feature, rows in view.groups:
            for row in rows:
                writer.writerow(
                    [
                        row.proposal.number,
                        feature.title,
                        row.proposal.title,
                        row.proposal.timescale,
                        *row.ordered_counts,
                        row.rated,
                    ]
                )
        return response
    return render(
        request,
        "partnerships/msg_national.html",
        {
            "page_title": "MSG self-evaluation: national view",
            "view": view,
            "levels": MsgRatingLevel.labels,
        },
    )


@login_required
def msg_round_history(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = msg.msg_round_get(user=request.user, pk=round_pk)
    return history_page(
        request,
        obj=round_,
        back_url=reverse("partnerships:msg_detail", args=[round_.pk]),
        back_label=str(round_),
    )


@login_required
def msg_rating_history(request: HttpRequest, rating_pk: int) -> HttpResponse:
    rating = msg.msg_rating_get(user=request.user, pk=rating_pk)
    return history_page(
        request,
        obj=rating,
        back_url=reverse("partnerships:msg_detail", args=[rating.self_evaluation_id]),
        back_label=str(rating.self_evaluation),
    )
