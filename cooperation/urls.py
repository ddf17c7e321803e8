from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.review, name="review"),
    path("review/record/", views.review_record, name="review_record"),
    path("meeting-gaps/", views.meeting_gaps, name="gaps"),
    # Meetings, their files and actions
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/archive/", views.meeting_archive, name="meeting_archive"),
    path("meetings/<int:pk>/history/", views.meeting_history, name="meeting_history"),
    path("meetings/<int:pk>/upload/", views.attachment_upload, name="attachment_upload"),
    path("meetings/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("files/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("files/<int:pk>/archive/", views.attachment_archive, name="attachment_archive"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("actions/<int:pk>/archive/", views.action_archive, name="action_archive"),
    path("actions/<int:pk>/history/", views.action_history, name="action_history"),
    # No-surprises notices
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/by-quarter/", views.notice_summary, name="notice_summary"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/archive/", views.notice_archive, name="notice_archive"),
    path("notices/<int:pk>/history/", views.notice_history, name="notice_history"),
    # Escalations
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/new/", views.escalation_create, name="escalation_create"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path("escalations/<int:pk>/edit/", views.escalation_edit, name="escalation_edit"),
    path("escalations/<int:pk>/escalate/", views.escalation_escalate, name="escalation_escalate"),
    path("escalations/<int:pk>/resolve/", views.escalation_resolve, name="escalation_resolve"),
    path("escalations/<int:pk>/withdraw/", views.escalation_withdraw, name="escalation_withdraw"),
    path("escalations/<int:pk>/archive/", views.escalation_archive, name="escalation_archive"),
    path("escalations/<int:pk>/history/", views.escalation_history, name="escalation_history"),
    path("escalations/<int:pk>/steps/<int:step_pk>/edit/", views.step_edit, name="step_edit"),
    path(
        "escalations/<int:pk>/steps/<int:step_pk>/history/",
        views.step_history,
        name="step_history",
    ),
    # Shared risks
    path("risks/", views.risk_list, name="risk_list"),
    path("risks/new/", views.risk_create, name="risk_create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/archive/", views.risk_archive, name="risk_archive"),
    path("risks/<int:pk>/history/", views.risk_history, name="risk_history"),
    path("risks/<int:pk>/mitigations/new/", views.mitigation_create, name="mitigation_create"),
    path("mitigations/<int:pk>/edit/", views.mitigation_edit, name="mitigation_edit"),
    path("mitigations/<int:pk>/archive/", views.mitigation_archive, name="mitigation_archive"),
    path("mitigations/<int:pk>/history/", views.mitigation_history, name="mitigation_history"),
]
