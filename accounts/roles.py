"""Roles are Django groups holding named permissions. This module is the one place that says
which permissions each role has; the groups are brought into line after every migrate."""

from django.db import models


class Role(models.TextChoices):
    INSPECTOR = "inspector", "Inspector"
    LEAD_INSPECTOR = "lead_inspector", "Lead inspector"
    LINK_INSPECTOR = "link_inspector", "Link inspector"
    RELATIONSHIP_MANAGER = "relationship_manager", "Relationship manager"
    DIRECTOR = "director", "Director"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    ADMINISTRATOR = "administrator", "Administrator"


# The group for each role is named by its label, as administrators see it in the admin site.
ROLE_GROUP_NAMES = {role: role.label for role in Role}

_REFERENCE_MODELS = {
    "accounts": ["agency"],
    "partnerships": [
        "localauthority",
        "healthboard",
        "partnership",
        "contact",
        "areaassignment",
        # The MSG review: its features and proposals, and partnerships' self-evaluation rounds.
        "msgfeature",
        "msgproposal",
        "msgselfevaluation",
        "msgrating",
        # The six areas of link-inspector activity (seed 001).
        "linkactivityarea",
    ],
    "inspections": [
        "programme",
        "qualityindicator",
        "evaluationscale",
        "evaluationlevel",
        "milestonetemplate",
        # Record review templates: sections, numbered questions and their choices.
        "recordreviewtemplate",
        "templatesection",
        "templatequestion",
        "questionchoice",
    ],
    "cooperation": ["meetingtype"],
    "improvement": [
        "improvementcondition",
        "improvementcriterion",
        "supportlevel",
        "supportlevelaspect",
        # National bodies and networks giving improvement support.
        "supportprovider",
    ],
}
# Case records administrators manage everywhere (inspections' own teams get object permissions).
_ADMINISTERED_CASES = {
    "inspections": [
        "inspection",
        "teammember",
        "milestone",
        "evidenceactivity",
        "attachment",
        "finding",
        "factualaccuracycomment",
    ],
    "improvement": [
        "supportassessment",
        "criterionjudgement",
        "supportdecision",
        "improvementplan",
        "improvementaction",
        "progressupdate",
        "progressreview",
        "improvementsupport",
    ],
    # The link-inspector engagement log (areas' own link inspectors and relationship managers
    # keep it through partnerships.policies).
    "partnerships": ["engagement", "linkrisk", "goodpractice"],
}


def _model_perms(app: str, model: str, actions: tuple[str, ...]) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


# The duty of co-operation log: directors and chief executives of either body keep it, with
# administrators (the staff who keep it for them); everyone signed in at either body reads it.
_COOPERATION_LOG = [
    "meeting",
    "meetingattendee",
    "meetingattachment",
    "meetingaction",
    "nosurprisesnotice",
    "escalation",
    "escalationstep",
    "sharedrisk",
    "mitigation",
]


def _cooperation_perms(actions: tuple[str, ...]) -> list[str]:
    return [
        perm for model in _COOPERATION_LOG for perm in _model_perms("cooperation", model, actions)
    ]


def _reference_perms(actions: tuple[str, ...]) -> list[str]:
    return [
        perm
        for app, models_ in _REFERENCE_MODELS.items()
        for model in models_
        for perm in _model_perms(app, model, actions)
    ]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INSPECTOR: [],
    # Lead inspectors plan inspections; they lead those they are lead inspector of.
    Role.LEAD_INSPECTOR: ["inspections.add_inspection"],
    Role.LINK_INSPECTOR: [],
    Role.RELATIONSHIP_MANAGER: [],
    Role.DIRECTOR: _cooperation_perms(("add", "change")),
    Role.CHIEF_EXECUTIVE: [
        *_cooperation_perms(("add", "change")),
        "cooperation.add_logreview",  # only chief executives record that they reviewed the log
    ],
    Role.ADMINISTRATOR: [
        *_reference_perms(("view", "add", "change", "delete")),
        *_model_perms("accounts", "user", ("view", "add", "change")),
        # Audit logs: read-only.
        *_model_perms("inspections", "statuschange", ("view",)),
        *_model_perms("inspections", "attachmentdownload", ("view",)),
        *_model_perms("inspections", "evaluationlink", ("view",)),
        *_model_perms("inspections", "publishedversion", ("view",)),
        # A plan's numbered revisions are made by revising the plan, never edited.
        *_model_perms("improvement", "planrevision", ("view",)),
        *[
            perm
            for app, models_ in _ADMINISTERED_CASES.items()
            for model in models_
            for perm in _model_perms(app, model, ("view", "add", "change", "delete"))
        ],
        *_cooperation_perms(("view", "add", "change", "delete")),
        *_model_perms("cooperation", "logreview", ("view",)),
        *_model_perms("cooperation", "meetingattachmentdownload", ("view",)),
        # Reminder schedules (django-celery-beat) are edited in the admin site.
        *_model_perms("django_celery_beat", "periodictask", ("view", "change")),
        *_model_perms("django_celery_beat", "crontabschedule", ("view", "add", "change")),
        # Reminders, notifications and generated reports: read-only records of what was sent
        # and made (calendar links are secrets: not even administrators see them).
        *_model_perms("notifications", "reminder", ("view",)),
        *_model_perms("notifications", "notification", ("view",)),
        *_model_perms("reports", "generatedreport", ("view",)),
        *_model_perms("reports", "generatedreportdownload", ("view",)),
    ],
}


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create each role's group and give it exactly the permissions listed above.

    Runs after each app's post_migrate, so permissions of apps migrated later are picked up."""
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.set([all_perms[name] for name in names if name in all_perms])
