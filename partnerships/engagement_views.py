"""Link-inspector engagement pages: the log of engagements with council areas and partnerships,
the risks they found (followed until closed) and good practice (a national list). Each view
parses input, checks permission through the policies, calls one service or selector, and renders
or redirects. A record the user may not see is a 404; a form they may not use is a 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import (
    Crumbs,
    archive_page,
    form_page,
    iso,
    list_page,
    require,
    save_or_errors,
)

from . import engagement_selectors as selectors
from . import engagement_services as services
from .engagement_forms import (
    EngagementEditForm,
    EngagementFilterForm,
    EngagementForm,
    FollowRiskForm,
    GoodPracticeEditForm,
    GoodPracticeFilterForm,
    GoodPracticeForm,
    LinkRiskCloseForm,
    LinkRiskEditForm,
    LinkRiskFilterForm,
    LinkRiskForm,
    LinkRiskReopenForm,
    subject_value,
)
from .models import Engagement, LinkRisk
from .policies import engagement_policy, good_practice_policy, link_risk_policy

FORM_PAGE = "partnerships/engagement/form_page.html"
ENGAGEMENTS = "partnerships:engagement_list"
RISKS = "partnerships:link_risk_list"
GOOD_PRACTICE = "partnerships:good_practice_list"

F = TypeVar("F", bound=BaseForm)


def _url(name: str, obj_or_pk, anchor: str = "") -> str:
    url = reverse(f"partnerships:{name}", args=[getattr(obj_or_pk, "pk", obj_or_pk)])
    return f"{url}#{anchor}" if anchor else url


def engagement_url(obj_or_pk, anchor: str = "") -> str:
    return _url("engagement_detail", obj_or_pk, anchor)


def risk_url(obj_or_pk, anchor: str = "") -> str:
    return _url("link_risk_detail", obj_or_pk, anchor)


def good_practice_url(obj_or_pk, anchor: str = "") -> str:
    return _url("good_practice_detail", obj_or_pk, anchor)


def _crumbs(*extra: tuple[str, str]) -> Crumbs:
    return [(reverse("partnerships:list"), "Partnerships"), *extra]


def _area_name(entry) -> str:
    return entry.local_authority.name if entry.local_authority_id else ""


def _partnership_name(entry) -> str:
    return str(entry.partnership) if entry.partnership_id else ""


def _form_page(request: HttpRequest, form: BaseForm, **kwargs: Any) -> HttpResponse:
    """scrutiny.views.form_page in the engagement layout."""
    return form_page(request, form, template=FORM_PAGE, **kwargs)


# Engagements ---------------------------------------------------------------------------------


ENGAGEMENT_CSV = [
    "Date",
    "Kind",
    "Council area",
    "Partnership",
    "Areas of link-inspector activity",
    "Notes",
    "Recorded by",
    "Risks found",
    "Good practice found",
    "Archived",
]


def _log_heading(form) -> str:
    data = form.values()
    subject = data.get("partnership") or data.get("local_authority")
    return f"Engagement log: {subject}" if subject else "Link-inspector engagement"


@login_required
@require_safe
def engagement_list(request: HttpRequest) -> HttpResponse:
    form = EngagementFilterForm(request.GET or None)
    values = form.values()
    subject = values.get("partnership") or values.get("local_authority")
    areas, partnerships = selectors.subjects_for(request.user)
    add_url = reverse("partnerships:engagement_create")
    if subject is not None:
        add_url += f"?with={subject_value(subject)}"
    return list_page(
        request,
        template="partnerships/engagement/engagement_list.html",
        form=form,
        queryset=selectors.engagement_list(user=request.user, **form.selector_kwargs()),
        csv_name="engagement",
        csv_header=ENGAGEMENT_CSV,
        csv_row=lambda e: [
            iso(e.engaged_on),
            e.get_kind_display(),
            _area_name(e),
            _partnership_name(e),
            "; ".join(a.title for a in e.areas.all()),
            e.notes,
            e.recorded_by.full_name,
            e.risk_count,
            e.good_practice_count,
            iso(e.archived_at),
        ],
        context={
            "page_title": _log_heading(form),
            "heading": _log_heading(form),
            "section": "engagements",
            "can_add": areas.exists() or partnerships.exists(),
            "add_url": add_url,
            "followed_areas": list(selectors.followed_areas(request.user)),
        },
    )


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    initial = {"engaged_on": timezone.localdate()}
    if request.GET.get("with"):
        initial["subject"] = request.GET["with"]
    form = EngagementForm(request.POST or None, user=request.user, initial=initial)
    require(form.has_subjects)
    done = save_or_errors(
        request,
        form,
        lambda: services.engagement_create(by=request.user, **form.service_kwargs()),
        success=lambda e: "The engagement has been recorded.",
        redirect_to=engagement_url,
    )
    return done or _form_page(
        request,
        form,
        heading="Record an engagement",
        intro="A meeting, visit or review with a council area or one of its partnerships, and "
        "the areas of link-inspector activity it covered. Record any risks or good practice it "
        "found from the engagement's page.",
        submit_label="Record engagement",
        cancel_url=reverse(ENGAGEMENTS),
        crumbs=_crumbs((reverse(ENGAGEMENTS), "Engagement")),
        section="engagements",
    )


@login_required
@require_safe
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    can_change = engagement_policy.can_change(request.user, engagement)
    can_add = engagement.archived_at is None and link_risk_policy.can_add(
        request.user, engagement.subject
    )
    to_follow = selectors.risks_to_follow(user=request.user, engagement=engagement)
    return render(
        request,
        "partnerships/engagement/engagement_detail.html",
        {
            "page_title": str(engagement),
            "engagement": engagement,
            "section": "engagements",
            "areas": list(engagement.areas.all()),
            "risks": list(engagement.risks.all()),
            "good_practice": list(engagement.good_practice.all()),
            "can_change": can_change,
            "can_archive": engagement_policy.can_archive(request.user, engagement),
            "can_add_findings": can_add,
            "can_follow": can_add and to_follow.exists(),
            "log_url": _log_url(engagement),
        },
    )


def _log_url(entry) -> str:
    """The engagement log of the entry's council area (or partnership)."""
    if entry.partnership_id:
        return f"{reverse(ENGAGEMENTS)}?partnership={entry.partnership_id}"
    return f"{reverse(ENGAGEMENTS)}?local_authority={entry.local_authority_id}"


def _engagement_crumbs(engagement: Engagement) -> Crumbs:
    return _crumbs(
        (reverse(ENGAGEMENTS), "Engagement"), (engagement_url(engagement), str(engagement))
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    require(engagement_policy.can_change(request.user, engagement))
    form = EngagementEditForm(request.POST or None, instance=engagement)
    done = save_or_errors(
        request,
        form,
        lambda: services.engagement_update(
            engagement=engagement,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            areas=list(form.cleaned_data["areas"]),
        ),
        success=lambda e: "The engagement has been updated.",
        redirect_to=engagement_url,
    )
    return done or _form_page(
        request,
        form,
        heading="Edit the engagement",
        caption=str(engagement.subject),
        submit_label="Save changes",
        cancel_url=engagement_url(pk),
        crumbs=_engagement_crumbs(engagement),
        section="engagements",
    )


@login_required
def engagement_archive(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    require(engagement_policy.can_archive(request.user, engagement))
    return archive_page(
        request,
        engagement,
        archive=lambda data: services.engagement_archive(
            engagement=engagement,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        back_url=engagement_url(pk),
        done_url=_log_url(engagement),
    )


@login_required
@require_safe
def engagement_history(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    return history_page(
        request, obj=engagement, back_url=engagement_url(pk), back_label=str(engagement)
    )


@login_required
def engagement_follow_risk(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that this engagement followed up a risk found earlier."""
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    require(
        engagement.archived_at is None
        and link_risk_policy.can_add(request.user, engagement.subject)
    )
    form = FollowRiskForm(
        request.POST or None,
        risks=selectors.risks_to_follow(user=request.user, engagement=engagement),
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.link_risk_follow(
            risk=form.cleaned_data["risk"], engagement=engagement, by=request.user
        ),
        success=lambda r: f"This engagement now follows up “{r}”.",
        redirect_to=lambda r: engagement_url(engagement, "risks"),
    )
    return done or _form_page(
        request,
        form,
        heading="Follow up a risk",
        caption=str(engagement),
        intro="Risks not yet closed in this council area and its partnerships.",
        submit_label="Add to this engagement",
        cancel_url=engagement_url(pk, "risks"),
        crumbs=_engagement_crumbs(engagement),
        section="engagements",
    )


# Risks ---------------------------------------------------------------------------------------


RISK_CSV = [
    "Risk",
    "Council area",
    "Partnership",
    "Status",
    "Found on",
    "Last followed up",
    "Engagements",
    "Likely impact",
    "Closed on",
    "Closing note",
    "Archived",
]


@login_required
@require_safe
def link_risk_list(request: HttpRequest) -> HttpResponse:
    form = LinkRiskFilterForm(request.GET or None)
    return list_page(
        request,
        template="partnerships/engagement/risk_list.html",
        form=form,
        queryset=selectors.link_risk_list(user=request.user, **form.selector_kwargs()),
        csv_name="link-inspector-risks",
        csv_header=RISK_CSV,
        csv_row=lambda r: [
            r.title,
            _area_name(r),
            _partnership_name(r),
            r.get_status_display(),
            iso(r.identified_on),
            iso(r.last_engagement_on),
            r.engagement_count,
            r.likely_impact,
            iso(r.closed_on),
            r.closing_note,
            iso(r.archived_at),
        ],
        context={"page_title": "Risks to outcomes", "section": "risks"},
    )


@login_required
def link_risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    require(
        engagement.archived_at is None
        and link_risk_policy.can_add(request.user, engagement.subject)
    )
    form = LinkRiskForm(request.POST or None)
    done = save_or_errors(
        request,
        form,
        lambda: services.link_risk_create(by=request.user, engagement=engagement, **form.changes()),
        success=lambda r: f"The risk “{r}” has been recorded.",
        redirect_to=risk_url,
    )
    return done or _form_page(
        request,
        form,
        heading="Record a risk found",
        caption=str(engagement),
        intro="A risk to the delivery of positive outcomes by social work services, and its "
        "likely impact. It stays on the log until it is closed.",
        submit_label="Record risk",
        cancel_url=engagement_url(pk),
        crumbs=_engagement_crumbs(engagement),
        section="risks",
    )


def _risk_crumbs(risk: LinkRisk) -> Crumbs:
    return _crumbs((reverse(RISKS), "Risks to outcomes"), (risk_url(risk), str(risk)))


@login_required
@require_safe
def link_risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.link_risk_get(user=request.user, pk=pk)
    return render(
        request,
        "partnerships/engagement/risk_detail.html",
        {
            "page_title": str(risk),
            "risk": risk,
            "section": "risks",
            "engagements": list(risk.engagements.all()),
            "can_change": link_risk_policy.can_change(request.user, risk),
            "can_close": not risk.is_closed and link_risk_policy.can_close(request.user, risk),
            "can_reopen": link_risk_policy.can_reopen(request.user, risk),
            "can_archive": link_risk_policy.can_archive(request.user, risk),
            "log_url": _log_url(risk),
        },
    )


def _risk_page(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Callable[[LinkRisk], bool],
    form: Callable[[LinkRisk], F],
    write: Callable[[LinkRisk, F], LinkRisk],
    done: str,
    heading: str,
    submit_label: str,
    summary_rows: Callable[[LinkRisk], list[tuple[str, str]]] | None = None,
) -> HttpResponse:
    """A form that changes one risk (edit, close, reopen): 403 unless `allowed`, then
    `write(risk, form)` for a valid POST, "“<risk>” has been <done>." and back to the risk."""
    risk = selectors.link_risk_get(user=request.user, pk=pk)
    require(allowed(risk))
    bound = form(risk)
    saved = save_or_errors(
        request,
        bound,
        lambda: write(risk, bound),
        success=lambda r: f"“{r}” has been {done}.",
        redirect_to=risk_url,
    )
    return saved or _form_page(
        request,
        bound,
        heading=heading,
        caption=str(risk),
        summary_rows=summary_rows(risk) if summary_rows else None,
        submit_label=submit_label,
        cancel_url=risk_url(pk),
        crumbs=_risk_crumbs(risk),
        section="risks",
    )


@login_required
def link_risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_page(
        request,
        pk,
        allowed=lambda risk: link_risk_policy.can_change(request.user, risk),
        form=lambda risk: LinkRiskEditForm(request.POST or None, instance=risk),
        write=lambda risk, form: services.link_risk_update(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        done="updated",
        heading="Edit the risk",
        submit_label="Save changes",
    )


@login_required
def link_risk_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_page(
        request,
        pk,
        allowed=lambda risk: not risk.is_closed and link_risk_policy.can_close(request.user, risk),
        form=lambda risk: LinkRiskCloseForm(
            request.POST or None,
            initial={"version": risk.version, "closed_on": timezone.localdate()},
        ),
        write=lambda risk, form: services.link_risk_close(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            closed_on=form.cleaned_data["closed_on"],
            closing_note=form.cleaned_data["closing_note"],
        ),
        done="closed",
        heading="Close the risk",
        submit_label="Close risk",
        summary_rows=lambda risk: [
            ("Found on", f"{risk.identified_on:%-d %B %Y}"),
            ("Likely impact", risk.likely_impact),
        ],
    )


@login_required
def link_risk_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_page(
        request,
        pk,
        allowed=lambda risk: link_risk_policy.can_reopen(request.user, risk),
        form=lambda risk: LinkRiskReopenForm(
            request.POST or None, initial={"version": risk.version}
        ),
        write=lambda risk, form: services.link_risk_reopen(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        done="reopened",
        heading="Reopen the risk",
        submit_label="Reopen risk",
        summary_rows=lambda risk: [
            ("Closed on", f"{risk.closed_on:%-d %B %Y}" if risk.closed_on else ""),
            ("Closing note", risk.closing_note),
        ],
    )


@login_required
def link_risk_archive(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.link_risk_get(user=request.user, pk=pk)
    require(link_risk_policy.can_archive(request.user, risk))
    return archive_page(
        request,
        risk,
        archive=lambda data: services.link_risk_archive(
            risk=risk, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        back_url=risk_url(pk),
        done_url=reverse(RISKS),
    )


@login_required
@require_safe
def link_risk_history(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.link_risk_get(user=request.user, pk=pk)
    return history_page(request, obj=risk, back_url=risk_url(pk), back_label=str(risk))


# Good practice -------------------------------------------------------------------------------


GOOD_PRACTICE_CSV = [
    "Good practice",
    "Council area",
    "Partnership",
    "Services",
    "Theme",
    "Status",
    "Found on",
    "Shared on",
    "Description",
    "Archived",
]


@login_required
@require_safe
def good_practice_list(request: HttpRequest) -> HttpResponse:
    form = GoodPracticeFilterForm(request.GET or None)
    return list_page(
        request,
        template="partnerships/engagement/good_practice_list.html",
        form=form,
        queryset=selectors.good_practice_list(user=request.user, **form.selector_kwargs()),
        csv_name="good-practice",
        csv_header=GOOD_PRACTICE_CSV,
        csv_row=lambda g: [
            g.title,
            _area_name(g),
            _partnership_name(g),
            g.get_service_area_display(),
            g.theme,
            g.get_status_display(),
            iso(g.identified_on),
            iso(g.shared_on),
            g.description,
            iso(g.archived_at),
        ],
        context={"page_title": "Good practice", "section": "good_practice"},
    )


@login_required
def good_practice_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get(user=request.user, pk=pk)
    require(
        engagement.archived_at is None
        and good_practice_policy.can_add(request.user, engagement.subject)
    )
    form = GoodPracticeForm(request.POST or None)
    done = save_or_errors(
        request,
        form,
        lambda: services.good_practice_create(
            by=request.user, engagement=engagement, **form.changes()
        ),
        success=lambda g: f"The good practice “{g}” has been recorded.",
        redirect_to=good_practice_url,
    )
    return done or _form_page(
        request,
        form,
        heading="Record good practice found",
        caption=str(engagement),
        intro="Good practice within social work services worth sharing more widely. Once it is "
        "marked shared, everyone finds it in the national list.",
        submit_label="Record good practice",
        cancel_url=engagement_url(pk),
        crumbs=_engagement_crumbs(engagement),
        section="good_practice",
    )


def _good_practice_crumbs(item) -> Crumbs:
    return _crumbs((reverse(GOOD_PRACTICE), "Good practice"), (good_practice_url(item), str(item)))


@login_required
@require_safe
def good_practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.good_practice_get(user=request.user, pk=pk)
    return render(
        request,
        "partnerships/engagement/good_practice_detail.html",
        {
            "page_title": str(item),
            "item": item,
            "section": "good_practice",
            "engagements": list(item.engagements.all()),
            "can_change": good_practice_policy.can_change(request.user, item),
            "can_archive": good_practice_policy.can_archive(request.user, item),
        },
    )


@login_required
def good_practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.good_practice_get(user=request.user, pk=pk)
    require(good_practice_policy.can_change(request.user, item))
    form = GoodPracticeEditForm(request.POST or None, instance=item)
    done = save_or_errors(
        request,
        form,
        lambda: services.good_practice_update(
            item=item,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda g: f"“{g}” has been updated.",
        redirect_to=good_practice_url,
    )
    return done or _form_page(
        request,
        form,
        heading="Edit the good practice",
        caption=str(item),
        submit_label="Save changes",
        cancel_url=good_practice_url(pk),
        crumbs=_good_practice_crumbs(item),
        section="good_practice",
    )


@login_required
def good_practice_archive(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.good_practice_get(user=request.user, pk=pk)
    require(good_practice_policy.can_archive(request.user, item))
    return archive_page(
        request,
        item,
        archive=lambda data: services.good_practice_archive(
            item=item, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        back_url=good_practice_url(pk),
        done_url=reverse(GOOD_PRACTICE),
    )


@login_required
@require_safe
def good_practice_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.good_practice_get(user=request.user, pk=pk)
    return history_page(request, obj=item, back_url=good_practice_url(pk), back_label=str(item))
