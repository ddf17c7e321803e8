"""The permission matrix: every page and API route, generated from the URL resolver, asked for
by each kind of person, with the status each must get.

The people (tests/security/conftest.py builds them and one of every record):

- ano       anonymous: not signed in
- ins       inspector: on the team of both inspections (and the reader of the record)
- led       lead: the lead inspector of both inspections
- lnk       link: the current link inspector of the partnership's council area
- rm        the current relationship manager of that council area
- dir, ceo  the director and chief executive of the Care Inspectorate (the lead agency)
- adm       an administrator
- out       outsider: a Care Inspectorate inspector on no team and following no council
            area. Where the policy hides a record from them, they must get 404 (the record does
            not exist for them), never the record.

The inspection named `inspection` is unpublished (at the factual accuracy check); `published`
is the same partnership's published inspection, behind the improvement records.

Each row of MATRIX is a route name, the status of a GET for each person, then the unsafe
methods the route answers with the status for ano/out (each sent the body in BODIES, or an
empty one). `L` is a redirect to the sign-in page; `NX` a 400 saying a record the body names
does not exist (it is hidden from the caller). A section header `[pk=inspection]` gives the
URL arguments of the rows under it, each filled from the world (`pk=area.health_board` is the
world's area's health board).

A route the resolver finds that is neither in MATRIX nor excluded fails
test_every_route_is_in_the_matrix, naming it: add its row.

test_route asks for one route as everyone, each request a subtest whose failure names the
route, the method and the person ("test_route[inspections:detail] [GET as outsider]"). Every
answer to the outsider or to someone not signed in is also searched for the records hidden
from them (`world.hidden`: their texts and addresses), as are the list pages' CSV exports."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from .conftest import ACTOR_NAMES

pytestmark = pytest.mark.django_db

ACTORS = tuple(ACTOR_NAMES)
UNSAFE = ("post", "put", "patch", "delete")
LOGIN = "L"  # a redirect to the sign-in page
NO_SUCH = "NX"  # 400 saying a record named in the body does not exist (it is hidden from them)
# Not checked for leaks: the calendar feed's secret address is its key (no sign-in by design),
# so whoever holds it reads its owner's dates.
SECRET_LINKS = {"notifications:calendar_feed"}

# Routes left out of the matrix, each with why.
EXCLUDED_PREFIXES = {
    "admin/": "the Django admin site: staff only, behind Django's own admin checks; tested in "
    "tests/scrutiny/test_admin.py and each app's test_admin.py",
    "static/": "static files: served by WhiteNoise before any view, no data, no sign-in",
    "media/": "uploads are never served directly: downloads go through the checked views below",
    "__errors__/": "DEBUG only (scrutiny/urls.py): previews of the error pages, never routed "
    "in production or in tests",
}
EXCLUDED = {
    "api-schema": "the OpenAPI schema: describes the API, holds no records; the same for "
    "everyone signed in (tests/api/test_schema.py)",
    "api-docs": "Swagger UI over the schema: no records (tests/api/test_schema.py)",
}

MATRIX_TABLE = """
# route                               ano ins led lnk  rm dir ceo adm out  unsafe ano/out

# Sign-in and the start page. Public pages answer everyone; the rest send ano to sign in.
[]
home                                    L 302 302 302 302 302 302 302 302  POST L/302
healthz                               200 200 200 200 200 200 200 200 200  POST 405/405
accounts:login                        200 302 302 302 302 302 302 302 302  POST 200/302
accounts:logout                       405 405 405 405 405 405 405 405 405  POST L/L
accounts:password_reset               200 200 200 200 200 200 200 200 200  POST 200/200
accounts:password_reset_done          200 200 200 200 200 200 200 200 200  POST 405/405
[uidb64=reset_uid token=reset_token]
accounts:password_reset_confirm       200 200 200 200 200 200 200 200 200  POST 200/200
[]
accounts:password_reset_complete      200 200 200 200 200 200 200 200 200  POST 405/405
accounts:profile                        L 200 200 200 200 200 200 200 200  POST L/200
accounts:token_create                   L 405 405 405 405 405 405 405 405  POST L/302
[token_key=token_key]
accounts:token_revoke                   L 405 405 405 405 405 405 405 405  POST L/302

# Partnerships: every signed-in user reads them; administrators edit; the area's link
# inspector and relationship managers manage contacts.
[]
partnerships:list                       L 200 200 200 200 200 200 200 200  POST L/200
[pk=partnership]
partnerships:detail                     L 200 200 200 200 200 200 200 200  POST L/200
partnerships:edit                       L 403 403 403 403 403 403 200 403  POST L/403
partnerships:archive                    L 403 403 403 403 403 403 200 403  POST L/403
partnerships:history                    L 200 200 200 200 200 200 200 200  POST L/200
partnerships:contact_create             L 403 403 200 200 403 403 200 403  POST L/403
[pk=partnership contact_pk=contact]
partnerships:contact_edit               L 403 403 200 200 403 403 200 403  POST L/403
partnerships:contact_archive            L 403 403 200 200 403 403 200 403  POST L/403
partnerships:contact_history            L 200 200 200 200 200 200 200 200  POST L/200

# MSG self-evaluation: everyone signed in reads; the link inspector (or an administrator)
# records.
[pk=partnership]
partnerships:msg_rounds                 L 200 200 200 200 200 200 200 200  POST L/403
partnerships:msg_compare                L 200 200 200 200 200 200 200 200  POST L/200
[]
partnerships:msg_national               L 200 200 200 200 200 200 200 200  POST L/200
[round_pk=msg_round]
partnerships:msg_detail                 L 200 200 200 200 200 200 200 200  POST L/200
partnerships:msg_edit                   L 403 403 200 403 403 403 200 403  POST L/403
partnerships:msg_submit                 L 403 403 302 403 403 403 302 403  POST L/403
partnerships:msg_history                L 200 200 200 200 200 200 200 200  POST L/200
[rating_pk=msg_rating]
partnerships:msg_validate               L 403 403 200 403 403 403 200 403  POST L/403
partnerships:msg_rating_history         L 200 200 200 200 200 200 200 200  POST L/200

# The link inspector's log: those following the area, directors, chief executives and
# administrators read; followers and administrators write; anyone else: 404.
[]
partnerships:engagement_list            L 200 200 200 200 200 200 200 200  POST L/405
partnerships:engagement_create          L 403 403 200 200 403 403 200 403  POST L/403
[pk=engagement]
partnerships:engagement_detail          L 404 404 200 200 200 200 200 404  POST L/405
partnerships:engagement_edit            L 404 404 200 200 403 403 200 404  POST L/404
partnerships:engagement_archive         L 404 404 200 200 403 403 200 404  POST L/404
partnerships:engagement_history         L 404 404 200 200 200 200 200 404  POST L/405
partnerships:engagement_follow_risk     L 404 404 200 200 403 403 200 404  POST L/404
partnerships:link_risk_create           L 404 404 200 200 403 403 200 404  POST L/404
partnerships:good_practice_create       L 404 404 200 200 403 403 200 404  POST L/404
[]
partnerships:link_risk_list             L 200 200 200 200 200 200 200 200  POST L/405
[pk=link_risk]
partnerships:link_risk_detail           L 404 404 200 200 200 200 200 404  POST L/405
partnerships:link_risk_edit             L 404 404 200 200 403 403 200 404  POST L/404
partnerships:link_risk_close            L 404 404 200 200 403 403 200 404  POST L/404
partnerships:link_risk_reopen           L 404 404 403 403 403 403 403 404  POST L/404
partnerships:link_risk_archive          L 404 404 200 200 403 403 200 404  POST L/404
partnerships:link_risk_history          L 404 404 200 200 200 200 200 404  POST L/405
[]
partnerships:good_practice_list         L 200 200 200 200 200 200 200 200  POST L/405
[pk=good_practice]
partnerships:good_practice_detail       L 404 404 200 200 200 200 200 404  POST L/405
partnerships:good_practice_edit         L 404 404 200 200 403 403 200 404  POST L/404
partnerships:good_practice_archive      L 404 404 200 200 403 403 200 404  POST L/404
partnerships:good_practice_history      L 404 404 200 200 200 200 200 404  POST L/405

# Inspections. Unpublished work: the team, the link inspector, the lead agency's director
# and chief executive, administrators; anyone else: 404. Evidence and record reading: the
# cleared team only (not even administrators).
[]
inspections:list                        L 200 200 200 200 200 200 200 200  POST L/405
inspections:create                      L 403 200 403 403 403 403 200 403  POST L/403
[pk=inspection]
inspections:detail                      L 200 200 200 404 200 200 200 404  POST L/405
inspections:edit                        L 200 200 403 404 403 403 200 404  POST L/404
inspections:transition                  L 405 405 405 405 405 405 405 405  POST L/404
inspections:archive                     L 403 200 403 404 403 403 200 404  POST L/404
inspections:history                     L 200 200 200 404 200 200 200 404  POST L/405
inspections:team_add                    L 403 200 403 404 403 403 200 404  POST L/404
[pk=inspection member_pk=member]
inspections:team_declare                L 200 200 403 404 403 403 200 404  POST L/404
inspections:team_decide                 L 403 200 403 404 403 403 200 404  POST L/404
inspections:team_remove                 L 403 200 403 404 403 403 200 404  POST L/404
inspections:team_history                L 200 200 200 404 200 200 200 404  POST L/405
[pk=inspection milestone_pk=milestone]
inspections:milestone_move              L 403 200 403 404 403 403 200 404  POST L/404
inspections:milestone_complete          L 200 200 403 404 403 403 200 404  POST L/404
inspections:milestone_history           L 200 200 200 404 200 200 200 404  POST L/405
[pk=inspection]
inspections:evidence_create             L 200 200 404 404 404 404 404 404  POST L/404
[pk=evidence]
inspections:evidence_detail             L 200 200 404 404 404 404 404 404  POST L/405
inspections:evidence_edit               L 200 200 404 404 404 404 404 404  POST L/404
inspections:evidence_archive            L 200 200 404 404 404 404 404 404  POST L/404
inspections:evidence_history            L 200 200 404 404 404 404 404 404  POST L/405
inspections:attachment_upload           L 200 200 404 404 404 404 404 404  POST L/404
[pk=attachment]
inspections:attachment_download         L 200 200 404 404 404 404 404 404  POST L/405
inspections:attachment_archive          L 200 200 404 404 404 404 404 404  POST L/404
[pk=inspection]
inspections:record_reading_sample       L 200 200 404 404 404 404 404 404  POST L/405
inspections:record_reading_add          L 403 200 404 404 404 404 404 404  POST L/404
inspections:record_reading_add_bulk     L 403 200 404 404 404 404 404 404  POST L/404
inspections:record_reading_results      L 200 200 404 404 404 404 404 404  POST L/405
[pk=record]
inspections:record_reading_record       L 200 200 404 404 404 404 404 404  POST L/404
inspections:record_reading_assign       L 403 200 404 404 404 404 404 404  POST L/404
inspections:record_reading_archive      L 403 200 404 404 404 404 404 404  POST L/404
inspections:record_reading_history      L 200 200 404 404 404 404 404 404  POST L/405
[pk=inspection]
inspections:finding_list                L 200 200 200 404 200 200 200 404  POST L/405
inspections:finding_create              L 200 200 403 404 403 403 403 404  POST L/404
[pk=inspection finding_pk=finding]
inspections:finding_detail              L 200 200 200 404 200 200 200 404  POST L/405
inspections:finding_edit                L 200 200 403 404 403 403 403 404  POST L/404
inspections:finding_agree               L 405 405 405 405 405 405 405 405  POST L/404
inspections:finding_archive             L 200 200 403 404 403 403 200 404  POST L/404
inspections:finding_history             L 200 200 200 404 200 200 200 404  POST L/405
[pk=inspection]
inspections:evaluation_list             L 200 200 200 404 200 200 200 404  POST L/405
[pk=inspection indicator_pk=indicator]
inspections:evaluation_detail           L 200 200 200 404 200 200 200 404  POST L/404
[pk=inspection]
inspections:fa_list                     L 200 200 200 404 200 200 200 404  POST L/405
inspections:fa_create                   L 200 200 403 404 403 403 200 404  POST L/404
[pk=inspection comment_pk=fa_comment]
inspections:fa_edit                     L 200 200 403 404 403 403 200 404  POST L/404
inspections:fa_respond                  L 403 200 403 404 403 403 200 404  POST L/404
inspections:fa_archive                  L 403 200 403 404 403 403 200 404  POST L/404
inspections:fa_history                  L 200 200 200 404 200 200 200 404  POST L/405

# Published versions: everyone signed in.
[pk=published]
inspections:published                   L 200 200 200 200 200 200 200 200  POST L/405
[pk=published number=one]
inspections:published_version           L 200 200 200 200 200 200 200 200  POST L/405
[pk=published]
inspections:published_correct           L 405 405 405 405 405 405 405 405  POST L/403

# The co-operation log: staff of either body read it (the outsider is Care Inspectorate
# staff); directors, chief executives and administrators keep it; administrators archive.
[]
cooperation:review                      L 200 200 200 200 200 200 200 200  POST L/405
cooperation:review_record               L 403 403 403 403 403 302 403 403  POST L/403
cooperation:gaps                        L 200 200 200 200 200 200 200 200  POST L/405
cooperation:meeting_list                L 200 200 200 200 200 200 200 200  POST L/405
cooperation:meeting_create              L 403 403 403 403 200 200 200 403  POST L/403
[pk=meeting]
cooperation:meeting_detail              L 200 200 200 200 200 200 200 200  POST L/405
cooperation:meeting_edit                L 403 403 403 403 200 200 200 403  POST L/403
cooperation:meeting_archive             L 403 403 403 403 403 403 200 403  POST L/403
cooperation:meeting_history             L 200 200 200 200 200 200 200 200  POST L/405
cooperation:attachment_upload           L 403 403 403 403 200 200 200 403  POST L/403
cooperation:action_create               L 403 403 403 403 200 200 200 403  POST L/403
[pk=meeting_file]
cooperation:attachment_download         L 200 200 200 200 200 200 200 200  POST L/405
cooperation:attachment_archive          L 403 403 403 403 200 200 200 403  POST L/403
[]
cooperation:action_list                 L 200 200 200 200 200 200 200 200  POST L/405
[pk=meeting_action]
cooperation:action_edit                 L 403 403 403 403 200 200 200 403  POST L/403
cooperation:action_status               L 403 403 403 403 200 200 200 403  POST L/403
cooperation:action_archive              L 403 403 403 403 403 403 200 403  POST L/403
cooperation:action_history              L 200 200 200 200 200 200 200 200  POST L/405
[]
cooperation:notice_list                 L 200 200 200 200 200 200 200 200  POST L/405
cooperation:notice_create               L 403 403 403 403 200 200 200 403  POST L/403
cooperation:notice_summary              L 200 200 200 200 200 200 200 200  POST L/405
[pk=notice]
cooperation:notice_detail               L 200 200 200 200 200 200 200 200  POST L/405
cooperation:notice_edit                 L 403 403 403 403 200 200 200 403  POST L/403
cooperation:notice_archive              L 403 403 403 403 403 403 200 403  POST L/403
cooperation:notice_history              L 200 200 200 200 200 200 200 200  POST L/405
[]
cooperation:escalation_list             L 200 200 200 200 200 200 200 200  POST L/405
cooperation:escalation_create           L 403 403 403 403 200 200 200 403  POST L/403
[pk=escalation]
cooperation:escalation_detail           L 200 200 200 200 200 200 200 200  POST L/405
cooperation:escalation_edit             L 403 403 403 403 200 200 200 403  POST L/403
cooperation:escalation_escalate         L 403 403 403 403 200 200 200 403  POST L/403
cooperation:escalation_resolve          L 403 403 403 403 200 200 200 403  POST L/403
cooperation:escalation_withdraw         L 403 403 403 403 200 200 200 403  POST L/403
cooperation:escalation_archive          L 403 403 403 403 403 403 200 403  POST L/403
cooperation:escalation_history          L 200 200 200 200 200 200 200 200  POST L/405
[pk=escalation step_pk=step]
cooperation:step_edit                   L 403 403 403 403 200 200 200 403  POST L/403
cooperation:step_history                L 200 200 200 200 200 200 200 200  POST L/405
[]
cooperation:risk_list                   L 200 200 200 200 200 200 200 200  POST L/405
cooperation:risk_create                 L 403 403 403 403 200 200 200 403  POST L/403
[pk=shared_risk]
cooperation:risk_detail                 L 200 200 200 200 200 200 200 200  POST L/405
cooperation:risk_edit                   L 403 403 403 403 200 200 200 403  POST L/403
cooperation:risk_archive                L 403 403 403 403 403 403 200 403  POST L/403
cooperation:risk_history                L 200 200 200 200 200 200 200 200  POST L/405
cooperation:mitigation_create           L 403 403 403 403 200 200 200 403  POST L/403
[pk=mitigation]
cooperation:mitigation_edit             L 403 403 403 403 200 200 200 403  POST L/403
cooperation:mitigation_archive          L 403 403 403 403 403 403 200 403  POST L/403
cooperation:mitigation_history          L 200 200 200 200 200 200 200 200  POST L/405

# Improvement: the linked inspection's team and the link inspector write; directors, chief
# executives and readers of the inspection's drafts read; anyone else: 404.
[]
improvement:assessment_list             L 200 200 200 200 200 200 200 200  POST L/405
[partnership_pk=partnership]
improvement:assessment_create           L 200 200 200 403 403 403 200 403  POST L/403
[pk=assessment]
improvement:assessment_detail           L 200 200 200 404 200 200 200 404  POST L/405
improvement:assessment_edit             L 200 200 200 404 403 403 200 404  POST L/404
improvement:assessment_history          L 200 200 200 404 200 200 200 404  POST L/405
improvement:decision_create             L 200 200 200 404 403 403 200 404  POST L/404
[pk=decision]
improvement:decision_edit               L 200 200 200 404 403 403 200 404  POST L/404
improvement:decision_agree              L 403 200 403 404 403 403 200 404  POST L/404
improvement:decision_reopen             L 403 403 403 404 403 403 403 404  POST L/404
improvement:decision_history            L 200 200 200 404 200 200 200 404  POST L/405
[partnership_pk=partnership]
improvement:plan_create                 L 200 200 200 403 403 403 200 403  POST L/403
[pk=plan]
improvement:plan_detail                 L 200 200 200 404 200 200 200 404  POST L/405
improvement:plan_edit                   L 200 200 200 404 403 403 200 404  POST L/404
improvement:plan_agree                  L 200 200 200 404 403 403 200 404  POST L/404
improvement:plan_archive                L 200 200 200 404 403 403 200 404  POST L/404
improvement:plan_history                L 200 200 200 404 200 200 200 404  POST L/405
improvement:action_create               L 200 200 200 404 403 403 200 404  POST L/404
[pk=action]
improvement:action_edit                 L 200 200 200 404 403 403 200 404  POST L/404
improvement:action_status               L 200 200 200 404 403 403 200 404  POST L/404
improvement:action_archive              L 200 200 200 404 403 403 200 404  POST L/404
improvement:progress_create             L 200 200 200 404 403 403 200 404  POST L/404
improvement:action_history              L 200 200 200 404 200 200 200 404  POST L/405
[pk=progress]
improvement:progress_edit               L 200 200 200 404 403 403 200 404  POST L/404
improvement:progress_archive            L 200 200 200 404 403 403 200 404  POST L/404
improvement:progress_history            L 200 200 200 404 200 200 200 404  POST L/405
[partnership_pk=partnership]
improvement:review_list                 L 200 200 200 200 200 200 200 200  POST L/405
improvement:review_schedule             L 200 200 200 403 403 403 200 403  POST L/403
[pk=review]
improvement:review_detail               L 200 200 200 404 200 200 200 404  POST L/405
improvement:review_reschedule           L 200 200 200 404 403 403 200 404  POST L/404
improvement:review_record               L 200 200 200 404 403 403 200 404  POST L/404
improvement:review_cancel               L 200 200 200 404 403 403 200 404  POST L/404
improvement:review_history              L 200 200 200 404 200 200 200 404  POST L/405
[partnership_pk=partnership]
improvement:support_list                L 200 200 200 200 200 200 200 200  POST L/405
improvement:support_create              L 200 200 200 403 403 403 200 403  POST L/403
[pk=support]
improvement:support_detail              L 200 200 200 404 200 200 200 404  POST L/405
improvement:support_edit                L 200 200 200 404 403 403 200 404  POST L/404
improvement:support_archive             L 200 200 200 404 403 403 200 404  POST L/404
improvement:support_history             L 200 200 200 404 200 200 200 404  POST L/405

# Dashboards show each person only what they may see (the outsider's are searched for leaks).
[]
dashboards:home                         L 302 302 302 302 302 302 302 302  POST L/405
dashboards:overview                     L 200 200 200 200 200 200 200 200  POST L/405
dashboards:my_areas                     L 200 200 200 200 200 200 200 200  POST L/405
dashboards:my_work                      L 200 200 200 200 200 200 200 200  POST L/405
[pk=partnership]
dashboards:partnership                  L 200 200 200 200 200 200 200 200  POST L/405

# PDF reports: the draft report is for readers of the inspection's unpublished work.
[]
reports:request                         L 405 405 405 405 405 405 405 405  POST L/404
[pk=report]
reports:status                          L 200 200 200 404 200 200 200 404  POST L/405
reports:download                        L 200 200 200 404 200 200 200 404  POST L/405

# Notifications are their owner's alone; the calendar link is a secret needing no sign-in.
[]
notifications:list                      L 200 200 200 200 200 200 200 200  POST L/405
[pk=notification]
notifications:read                      L 405 405 405 405 405 405 405 405  POST L/404
[]
notifications:read_all                  L 405 405 405 405 405 405 405 405  POST L/302
notifications:preferences               L 200 200 200 200 200 200 200 200  POST L/200
notifications:calendar_reset            L 405 405 405 405 405 405 405 405  POST L/302
notifications:calendar_revoke           L 405 405 405 405 405 405 405 405  POST L/302
[token=calendar_token]
notifications:calendar_feed           200 200 200 200 200 200 200 200 200  POST 405/405

# The API, under /api/v1/: the same rules; 401 without a token or session; a GET of a route
# that only takes POST (an @action) is 405.
[pk=inspection]
inspections-record-reading-results    401 200 200 404 404 404 404 404 404
[]
cooperation-meeting-gaps              401 200 200 200 200 200 200 200 200
[pk=published]
inspections-published                 401 200 200 200 200 200 200 200 200  POST 401/403
[]
local-authorities-list                401 200 200 200 200 200 200 200 200  POST 401/403
[pk=area]
local-authorities-detail              401 200 200 200 200 200 200 200 200  PUT,PATCH,DELETE 401/403
[]
health-boards-list                    401 200 200 200 200 200 200 200 200  POST 401/403
[pk=area.health_board]
health-boards-detail                  401 200 200 200 200 200 200 200 200  PUT,PATCH,DELETE 401/403
[]
partnerships-list                     401 200 200 200 200 200 200 200 200  POST 401/403
[pk=partnership]
partnerships-detail                   401 200 200 200 200 200 200 200 200  PUT,PATCH,DELETE 401/403
[]
msg-self-evaluations-list             401 200 200 200 200 200 200 200 200  POST 401/403
msg-self-evaluations-national         401 200 200 200 200 200 200 200 200
[pk=msg_round]
msg-self-evaluations-detail           401 200 200 200 200 200 200 200 200  PUT,PATCH 401/403
msg-self-evaluations-submit           401 405 405 405 405 405 405 405 405  POST 401/403
[pk=msg_submitted]
msg-self-evaluations-validation-note  401 405 405 405 405 405 405 405 405  POST 401/403
[]
engagements-list                      401 200 200 200 200 200 200 200 200  POST 401/403
[pk=engagement]
engagements-detail                    401 404 404 200 200 200 200 200 404  PATCH,DELETE 401/404
[]
link-risks-list                       401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=link_risk]
link-risks-detail                     401 404 404 200 200 200 200 200 404  PATCH,DELETE 401/404
link-risks-close                      401 405 405 405 405 405 405 405 405  POST 401/404
link-risks-engagements                401 405 405 405 405 405 405 405 405  POST 401/404
link-risks-reopen                     401 405 405 405 405 405 405 405 405  POST 401/404
[]
good-practice-list                    401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=good_practice]
good-practice-detail                  401 404 404 200 200 200 200 200 404  PATCH,DELETE 401/404
[]
users-me                              401 200 200 200 200 200 200 200 200
programmes-list                       401 200 200 200 200 200 200 200 200
[pk=inspection.programme]
programmes-detail                     401 200 200 200 200 200 200 200 200
[]
quality-indicators-list               401 200 200 200 200 200 200 200 200
[pk=indicator]
quality-indicators-detail             401 200 200 200 200 200 200 200 200
[]
inspections-list                      401 200 200 200 200 200 200 200 200  POST 401/403
[pk=inspection]
inspections-detail                    401 200 200 200 404 200 200 200 404  PATCH,DELETE 401/404
[pk=inspection milestone_id=milestone]
inspections-milestone                 401 200 200 200 404 200 200 200 404  PATCH 401/404
[pk=inspection]
inspections-milestones                401 200 200 200 404 200 200 200 404
inspections-transition                401 405 405 405 405 405 405 405 405  POST 401/404
[]
evidence-activities-list              401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=evidence]
evidence-activities-detail            401 200 200 404 404 404 404 404 404  PATCH,DELETE 401/404
[]
attachments-list                      401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=attachment]
attachments-detail                    401 200 200 404 404 404 404 404 404  DELETE 401/404
attachments-download                  401 200 200 404 404 404 404 404 404
[]
meetings-list                         401 200 200 200 200 200 200 200 200  POST 401/403
[pk=meeting]
meetings-detail                       401 200 200 200 200 200 200 200 200  PATCH,DELETE 401/403
[pk=meeting file_id=meeting_file]
meetings-file-download                401 200 200 200 200 200 200 200 200
[pk=meeting]
meetings-files                        401 405 405 405 405 405 405 405 405  POST 401/403
[]
meeting-actions-list                  401 200 200 200 200 200 200 200 200  POST 401/403
[pk=meeting_action]
meeting-actions-detail                401 200 200 200 200 200 200 200 200  PATCH,DELETE 401/403
[]
no-surprises-notices-list             401 200 200 200 200 200 200 200 200  POST 401/403
no-surprises-notices-summary          401 200 200 200 200 200 200 200 200
[pk=notice]
no-surprises-notices-detail           401 200 200 200 200 200 200 200 200  PATCH,DELETE 401/403
[]
escalations-list                      401 200 200 200 200 200 200 200 200  POST 401/403
[pk=escalation]
escalations-detail                    401 200 200 200 200 200 200 200 200  PATCH,DELETE 401/403
escalations-escalate                  401 405 405 405 405 405 405 405 405  POST 401/403
escalations-resolve                   401 405 405 405 405 405 405 405 405  POST 401/403
escalations-withdraw                  401 405 405 405 405 405 405 405 405  POST 401/403
[]
shared-risks-list                     401 200 200 200 200 200 200 200 200  POST 401/403
[pk=shared_risk]
shared-risks-detail                   401 200 200 200 200 200 200 200 200  PATCH,DELETE 401/403
[pk=shared_risk mitigation_id=mitigation]
shared-risks-mitigation               401 405 405 405 405 405 405 405 405  PATCH 401/403
[pk=shared_risk]
shared-risks-mitigations              401 405 405 405 405 405 405 405 405  POST 401/403
[]
support-assessments-list              401 200 200 200 200 200 200 200 200  POST 401/403
[pk=assessment]
support-assessments-detail            401 200 200 200 404 200 200 200 404  PATCH 401/404
[]
support-decisions-list                401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=decision]
support-decisions-detail              401 200 200 200 404 200 200 200 404  PATCH 401/404
support-decisions-agree               401 405 405 405 405 405 405 405 405  POST 401/404
support-decisions-reopen              401 405 405 405 405 405 405 405 405  POST 401/404
[]
improvement-plans-list                401 200 200 200 200 200 200 200 200  POST 401/403
[pk=plan]
improvement-plans-detail              401 200 200 200 404 200 200 200 404  PATCH,DELETE 401/404
improvement-plans-agree               401 405 405 405 405 405 405 405 405  POST 401/404
[]
improvement-actions-list              401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=action]
improvement-actions-detail            401 200 200 200 404 200 200 200 404  PATCH,DELETE 401/404
[pk=action update_id=progress]
improvement-actions-progress-update   401 405 405 405 405 405 405 405 405  PATCH,DELETE 401/404
[pk=action]
improvement-actions-progress-updates  401 405 405 405 405 405 405 405 405  POST 401/404
[]
progress-reviews-list                 401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=review]
progress-reviews-detail               401 200 200 200 404 200 200 200 404  PATCH 401/404
progress-reviews-cancel               401 405 405 405 405 405 405 405 405  POST 401/404
progress-reviews-record               401 405 405 405 405 405 405 405 405  POST 401/404
[]
improvement-support-list              401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=support]
improvement-support-detail            401 200 200 200 404 200 200 200 404  PATCH,DELETE 401/404
[]
support-providers-list                401 200 200 200 200 200 200 200 200
[pk=support.provider]
support-providers-detail              401 200 200 200 200 200 200 200 200
[]
reports-list                          401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=report]
reports-detail                        401 200 200 200 404 200 200 200 404
reports-download                      401 200 200 200 404 200 200 200 404
[]
record-reading-templates-list         401 200 200 200 200 200 200 200 200
[pk=record_template]
record-reading-templates-detail       401 200 200 200 200 200 200 200 200
[]
record-reading-records-list           401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=record]
record-reading-records-detail         401 200 200 404 404 404 404 404 404  PATCH,DELETE 401/404
[]
record-reading-answers-list           401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=answer]
record-reading-answers-detail         401 200 200 404 404 404 404 404 404
[]
findings-list                         401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=finding]
findings-detail                       401 200 200 200 404 200 200 200 404  PATCH,DELETE 401/404
findings-agree                        401 405 405 405 405 405 405 405 405  POST 401/404
[]
evaluations-list                      401 200 200 200 200 200 200 200 200
evaluations-finalise                  401 405 405 405 405 405 405 405 405  POST 401/NX
evaluations-panel                     401 405 405 405 405 405 405 405 405  POST 401/NX
evaluations-propose                   401 405 405 405 405 405 405 405 405  POST 401/NX
evaluations-reopen                    401 405 405 405 405 405 405 405 405  POST 401/NX
factual-accuracy-comments-list        401 200 200 200 200 200 200 200 200  POST 401/NX
[pk=fa_comment]
factual-accuracy-comments-detail      401 200 200 200 404 200 200 200 404  PATCH,DELETE 401/404
factual-accuracy-comments-respond     401 405 405 405 405 405 405 405 405  POST 401/404
[]
api-root                              401 200 200 200 200 200 200 200 200
"""


# The route table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: str
    get: dict[str, str]
    unsafe: dict[str, tuple[str, str]]


def parse_matrix(text: str) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    kwargs = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            kwargs = line.strip("[]").strip()
            continue
        name, *cells = line.split()
        statuses, rest = cells[: len(ACTORS)], cells[len(ACTORS) :]
        assert len(statuses) == len(ACTORS), f"{name}: a status for each of {ACTORS}"
        assert name not in rows, f"{name} is in the matrix twice"
        unsafe: dict[str, tuple[str, str]] = {}
        for methods, outcome in zip(rest[::2], rest[1::2], strict=True):
            anon, out = outcome.split("/")
            for method in methods.lower().split(","):
                unsafe[method] = (anon, out)
        rows[name] = Row(name, kwargs, dict(zip(ACTORS, statuses, strict=True)), unsafe)
    return rows


MATRIX = parse_matrix(MATRIX_TABLE)


# Request bodies for unsafe methods: what a caller allowed to would send, naming the world's
# records, so that only who is asking decides the answer. Others are sent an empty body.


def _day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _level(w, value: int = 4) -> int:
    from tests import factories

    return factories.evaluation_level(w.inspection, value).pk


def _step(w, **extra) -> dict[str, Any]:
    return {
        "inspection": w.inspection.pk,
        "quality_indicator": w.indicator.pk,
        "previous": w.evaluation.pk,
        **extra,
    }


BODIES = {
    "reports:request": lambda w: {
        "kind": "inspection_report",
        "inspection": w.inspection.pk,
        "next": "/",
    },
    "msg-self-evaluations-list": lambda w: {
        "partnership": w.partnership.pk,
        "evaluated_on": _day(-1),
    },
    "msg-self-evaluations-detail": lambda w: {"version": w.msg_round.version, "notes": "Revised."},
    "msg-self-evaluations-submit": lambda w: {"version": w.msg_round.version},
    "msg-self-evaluations-validation-note": lambda w: {
        "proposal": w.msg_rating.proposal_id,
        "validation_note": "Checked with the chief officer.",
        "version": w.msg_rating.version,
    },
    "engagements-list": lambda w: {
        "partnership": w.partnership.pk,
        "engaged_on": _day(-1),
        "kind": "meeting",
        "areas": list(w.engagement.areas.values_list("pk", flat=True)),
    },
    "link-risks-list": lambda w: {
        "engagement": w.engagement.pk,
        "title": "Fewer carers",
        "likely_impact": "Longer waits.",
    },
    "good-practice-list": lambda w: {
        "engagement": w.engagement.pk,
        "title": "Shared training",
        "description": "Joint induction for new staff.",
        "service_area": "children",
    },
    "evidence-activities-list": lambda w: {
        "inspection": w.inspection.pk,
        "kind": "position_statement",
        "title": "Second position statement",
    },
    "attachments-list": lambda w: {
        "evidence_activity": w.evidence.pk,
        "file": SimpleUploadedFile("more.txt", b"More notes.\n", "text/plain"),
    },
    "support-assessments-list": lambda w: {
        "partnership": w.partnership.pk,
        "inspection": w.published.pk,
        "assessed_on": _day(-1),
    },
    "support-decisions-list": lambda w: {
        "assessment": w.assessment.pk,
        "level": w.decision.level_id,
        "rationale": "As recommended.",
    },
    "improvement-plans-list": lambda w: {
        "partnership": w.partnership.pk,
        "inspection": w.published.pk,
        "title": "Second plan",
    },
    "improvement-actions-list": lambda w: {
        "plan": w.plan.pk,
        "description": "Train staff in chronologies.",
        "owner_name": "Ann Owner",
        "owner_organisation": "Matrixshire Council",
        "due_on": _day(30),
    },
    "progress-reviews-list": lambda w: {
        "partnership": w.partnership.pk,
        "kind": "monitoring",
        "due_on": _day(30),
        "decision": w.decision.pk,
    },
    "improvement-support-list": lambda w: {
        "partnership": w.partnership.pk,
        "provider": w.support.provider_id,
        "plan": w.plan.pk,
        "description": "Peer support from another partnership.",
    },
    "reports-list": lambda w: {"kind": "inspection_report", "inspection": w.inspection.pk},
    "record-reading-records-list": lambda w: {
        "inspection": w.inspection.pk,
        "template": w.record_template.pk,
        "reference": "SW/MATRIX/2",
        "agency": "social_work",
    },
    "record-reading-answers-list": lambda w: {
        "record": w.record.pk,
        "version": w.record.version,
        "answers": [{"question": w.answer.question_id, "value": "no"}],
    },
    "findings-list": lambda w: {
        "inspection": w.inspection.pk,
        "kind": "strength",
        "text": "Staff knew people well.",
        "quality_indicators": [w.indicator.pk],
    },
    "evaluations-propose": lambda w: _step(w, level=_level(w), rationale="Borne out."),
    "evaluations-panel": lambda w: _step(
        w, outcome="confirmed", panel_members=[w.lead.pk], panel_date=_day(0)
    ),
    "evaluations-finalise": lambda w: _step(w),
    "evaluations-reopen": lambda w: _step(w, reason="New evidence."),
    "factual-accuracy-comments-list": lambda w: {
        "inspection": w.inspection.pk,
        "report_reference": "Page 4",
        "comment": "The date is wrong.",
    },
}


# The routes the resolver knows -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: Any

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    def unsafe_methods(self) -> list[str]:
        """The unsafe methods the route answers: a viewset's action map (less what its
        http_method_names refuse), an API view's handlers, or POST for a page (a page refusing
        POST must answer 405: the matrix says so)."""
        actions = getattr(self.callback, "actions", None)
        view_class = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", None
        )
        if actions is not None:
            allowed = set(getattr(view_class, "http_method_names", UNSAFE))
            return [m for m in UNSAFE if m in actions and m in allowed]
        if self.is_api and view_class is not None:
            return [m for m in UNSAFE if hasattr(view_class, m)]
        return ["post"]


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def resolver_routes() -> dict[str, Route]:
    """Every routed view, by name, walking get_resolver() (DRF routers' routes and their
    @action routes included). A router's format-suffix variant of a route has the same name
    and view, so each name is asked for once. Unnamed routes go by their pattern."""
    routes: dict[str, Route] = {}
    for pattern, entry, namespace in _walk(get_resolver().url_patterns):
        if pattern.startswith(tuple(EXCLUDED_PREFIXES)):
            continue
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or pattern
        routes.setdefault(name, Route(name, pattern, entry.callback))
    return routes


ALL_ROUTES = resolver_routes()
ROUTES = {name: route for name, route in ALL_ROUTES.items() if name not in EXCLUDED}


# Asking ---------------------------------------------------------------------------------------


def url_for(world, name: str, kwargs_spec: str) -> str:
    kwargs = {}
    for part in kwargs_spec.split():
        key, _, path = part.partition("=")
        value = world
        for attr in path.split("."):
            value = getattr(value, attr)
        kwargs[key] = getattr(value, "pk", value)
    return reverse(name, kwargs=kwargs)


def client_as(world, actor: str):
    """The module's one client, carrying only this person's session cookie. (A new Client
    loads the middleware again, and WhiteNoise's then rescans every static file: most of the
    time of a quick request.)"""
    client = world.client
    client.cookies = SimpleCookie()
    if actor != "anonymous":
        for key, morsel in world.sessions[actor].items():
            client.cookies[key] = morsel.value
    return client


def ask(world, route: Route, row: Row, actor: str, method: str = "get"):
    client = client_as(world, actor)
    url = url_for(world, route.name, row.kwargs)
    if method == "get":
        response = client.get(url)
    else:
        body = BODIES[route.name](world) if route.name in BODIES else {}
        has_file = any(isinstance(v, SimpleUploadedFile) for v in body.values())
        if route.is_api and not has_file:
            response = getattr(client, method)(
                url, data=json.dumps(body), content_type="application/json"
            )
        elif method == "post":
            response = client.post(url, data=body)
        else:
            response = getattr(client, method)(url, data=body)
    if response.streaming:
        b"".join(response.streaming_content)  # closes the file, as a server would
    return url, response


def outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    if response.status_code == 400 and b"object does not exist" in response.content:
        return NO_SUCH
    return str(response.status_code)


def hidden_in(world, content: bytes) -> list[str]:
    text = content.decode(errors="replace")
    return [f"{what} ({marker!r})" for what, marker in world.hidden if marker in text]


def leaks(world, name: str, actor: str, response) -> list[str]:
    """What of the records hidden from the outsider an answer to them (or to someone not
    signed in) shows."""
    if actor not in ("anonymous", "outsider") or name in SECRET_LINKS:
        return []
    if response.streaming or response.status_code != 200:
        return []
    return hidden_in(world, response.content)


def explain(url: str, response) -> str:
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{url} answered {response.status_code}{where}"


# The tests ------------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix():
    missing = sorted(set(ROUTES) - set(MATRIX))
    assert not missing, (
        "Routes with no row in the permission matrix (add each to MATRIX_TABLE in "
        f"tests/security/test_permission_matrix.py, or to EXCLUDED with why): {missing}"
    )


def test_the_matrix_names_only_routes_that_exist():
    stale = sorted(set(MATRIX) - set(ROUTES)) + sorted(set(EXCLUDED) - set(ALL_ROUTES))
    assert not stale, f"Rows or exclusions for routes the resolver no longer has: {stale}"


def test_the_matrix_gives_each_unsafe_method_a_route_answers():
    wrong = {
        name: ROUTES[name].unsafe_methods()
        for name in set(ROUTES) & set(MATRIX)
        if sorted(MATRIX[name].unsafe) != sorted(ROUTES[name].unsafe_methods())
    }
    assert not wrong, f"Give each unsafe method these routes answer its ano/out status: {wrong}"


def check(world, subtests, name: str, actor: str, method: str = "get") -> None:
    """One request, in a savepoint rolled back afterwards (so what it changes, the next request
    never sees), as a subtest named after the person and the method."""
    row = MATRIX[name]
    if method == "get":
        expected = row.get[actor]
    else:
        expected = row.unsafe[method][0 if actor == "anonymous" else 1]
    with subtests.test(msg=f"{method.upper()} as {actor}"), transaction.atomic():
        url, response = ask(world, ROUTES[name], row, actor, method)
        transaction.set_rollback(True)
        assert outcome(response) in expected.split("|"), (
            f"{method.upper()} {name} as {actor}: expected {expected}, but {explain(url, response)}"
        )
        shown = leaks(world, name, actor, response)
        assert not shown, (
            f"{method.upper()} {name} as {actor} ({url}) shows what is hidden from them: {shown}"
        )


@pytest.mark.parametrize("name", [name for name in ROUTES if name in MATRIX])
def test_route(world, subtests, name):
    """GET as everyone; each unsafe method as someone not signed in and as the outsider. Each
    is a subtest (failures name the route, the method and the person): one test per route
    keeps the matrix, some three thousand requests, within minutes."""
    for actor in ACTORS:
        check(world, subtests, name, actor)
    for method in ROUTES[name].unsafe_methods():
        if method in MATRIX[name].unsafe:
            for actor in ("anonymous", "outsider"):
                check(world, subtests, name, actor, method)


CSV_LISTS = [
    name
    for name in MATRIX
    if name in ROUTES
    and not ROUTES[name].is_api
    and name.endswith(("list", "national"))
    and MATRIX[name].get["outsider"] == "200"
]


def test_csv_exports_leave_out_what_is_hidden_from_the_outsider(world, subtests):
    """Each list page's CSV export (?format=csv) is filtered as the page is."""
    for name in CSV_LISTS:
        with subtests.test(msg=name), transaction.atomic():
            url = url_for(world, name, MATRIX[name].kwargs) + "?format=csv"
            response = client_as(world, "outsider").get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            transaction.set_rollback(True)
            assert response.status_code == 200, explain(url, response)
            shown = hidden_in(world, body)
            assert not shown, f"{url} shows the outsider what is hidden from them: {shown}"


# The leak check's markers are real: those who may see each hidden record find every one.
SIGHTINGS = [
    ("lead", "inspections-list", ""),
    ("lead", "inspections:detail", "pk=inspection"),
    ("lead", "inspections-milestones", "pk=inspection"),
    ("lead", "inspections:evidence_detail", "pk=evidence"),
    ("lead", "evidence-activities-list", ""),
    ("lead", "attachments-list", ""),
    ("lead", "inspections:record_reading_sample", "pk=inspection"),
    ("lead", "record-reading-records-list", ""),
    ("lead", "findings-list", ""),
    ("lead", "evaluations-list", ""),
    ("lead", "factual-accuracy-comments-list", ""),
    ("lead", "improvement:assessment_list", ""),
    ("lead", "improvement:assessment_detail", "pk=assessment"),
    ("lead", "support-assessments-list", ""),
    ("lead", "support-decisions-list", ""),
    ("lead", "improvement:plan_detail", "pk=plan"),
    ("lead", "improvement-plans-list", ""),
    ("lead", "improvement-actions-list", ""),
    ("lead", "improvement:review_list", "partnership_pk=partnership"),
    ("lead", "progress-reviews-list", ""),
    ("lead", "improvement:support_list", "partnership_pk=partnership"),
    ("lead", "improvement-support-list", ""),
    ("lead", "reports:status", "pk=report"),
    ("lead", "reports-list", ""),
    ("lead", "notifications:list", ""),
    ("link", "partnerships:engagement_list", ""),
    ("link", "engagements-list", ""),
    ("link", "partnerships:link_risk_list", ""),
    ("link", "link-risks-list", ""),
    ("link", "partnerships:good_practice_list", ""),
    ("link", "good-practice-list", ""),
]


def test_those_who_may_see_the_hidden_records_find_each_one(world):
    seen = b""
    for actor, name, kwargs in SIGHTINGS:
        url, response = ask(world, ROUTES[name], Row(name, kwargs, {}, {}), actor)
        assert response.status_code == 200, f"GET {name} as {actor}: {explain(url, response)}"
        seen += response.content
    found = set(hidden_in(world, seen))
    unseen = [f"{what} ({marker!r})" for what, marker in world.hidden]
    unseen = [item for item in unseen if item not in found]
    assert not unseen, f"Markers the leak check looks for that no reader finds: {unseen}"
