"""/api/v1/ for the framework for support after strategic scrutiny: `support-assessments/`
(with each recommendation and its reasons), `support-decisions/` (with `agree/` and
`reopen/`), `improvement-plans/` (with `agree/`), `improvement-actions/` (with
`progress-updates/`), `progress-reviews/` (with `record/` and `cancel/`),
`improvement-support/` and `support-providers/`.

Reads go through improvement.selectors and improvement.policies, so the API lists what the
pages list and a record the caller may not see is a 404. Writes check the policy (403 for a
record the caller sees but may not change) and go through improvement.services, which validate
(400, with field errors) and audit with the acting user; a stale `version` is a 409 with
`current_version`. DELETE archives and never deletes a row."""

from .assessments import SupportAssessmentViewSet, SupportDecisionViewSet
from .plans import ImprovementActionViewSet, ImprovementPlanViewSet
from .reviews import ProgressReviewViewSet
from .support import ImprovementSupportViewSet, SupportProviderViewSet

__all__ = [
    "ImprovementActionViewSet",
    "ImprovementPlanViewSet",
    "ImprovementSupportViewSet",
    "ProgressReviewViewSet",
    "SupportAssessmentViewSet",
    "SupportDecisionViewSet",
    "SupportProviderViewSet",
]
