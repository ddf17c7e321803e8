"""The inspection lifecycle: one transition table and a registry of stage gates.

Each app registers the conditions a stage needs with `@gate(target_status)`; a gate returns
the conditions it finds unmet (empty when satisfied), so a refused transition can list every
one of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from .models import Inspection, InspectionStatus

S = InspectionStatus

# Where each status may go next. Suspended resumes to the status it was suspended from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PLANNED: (S.NOTIFIED, S.WITHDRAWN),
    S.NOTIFIED: (S.EVIDENCE_GATHERING, S.SUSPENDED, S.WITHDRAWN),
    S.EVIDENCE_GATHERING: (S.FIELDWORK, S.SUSPENDED, S.WITHDRAWN),
    S.FIELDWORK: (S.EVALUATION, S.SUSPENDED, S.WITHDRAWN),
    S.EVALUATION: (S.REPORT_DRAFTING, S.SUSPENDED, S.WITHDRAWN),
    S.REPORT_DRAFTING: (S.FACTUAL_ACCURACY, S.SUSPENDED, S.WITHDRAWN),
    S.FACTUAL_ACCURACY: (S.PUBLISHED, S.REPORT_DRAFTING, S.SUSPENDED, S.WITHDRAWN),
    S.PUBLISHED: (S.IMPROVEMENT_PLAN_AGREED,),
    S.IMPROVEMENT_PLAN_AGREED: (S.CLOSED,),
    S.SUSPENDED: (S.WITHDRAWN,),  # plus the status it was suspended from
    S.CLOSED: (),
    S.WITHDRAWN: (),
}
NEEDS_REASON = {S.SUSPENDED, S.WITHDRAWN}
TERMINAL = {S.CLOSED, S.WITHDRAWN}

Gate = Callable[[Inspection], list[str]]
_GATES: dict[str, list[Gate]] = defaultdict(list)


def gate(target: str) -> Callable[[Gate], Gate]:
    """Register a condition for moving an inspection into `target` (once, however often the
    registering module is imported)."""

    def register(func: Gate) -> Gate:
        if func not in _GATES[target]:
            _GATES[target].append(func)
        return func

    return register


def remove_gate(target: str, func: Gate) -> None:
    """Unregister a gate (tests that register their own must remove it afterwards)."""
    if func in _GATES.get(target, []):
        _GATES[target].remove(func)


def gates_for(target: str) -> list[Gate]:
    """The gates registered for `target`, in the order they report."""
    return list(_GATES.get(target, []))


# What happens on entering a status (e.g. publishing freezes a version), in the transition's
# own transaction. Each takes (inspection, by, on).
EntryAction = Callable[..., None]
_ON_ENTER: dict[str, list[EntryAction]] = defaultdict(list)


def on_enter(target: str) -> Callable[[EntryAction], EntryAction]:
    """Register an action to run when an inspection enters `target` (once per function)."""

    def register(func: EntryAction) -> EntryAction:
        if func not in _ON_ENTER[target]:
            _ON_ENTER[target].append(func)
        return func

    return register


def entry_actions(target: str) -> list[EntryAction]:
    return list(_ON_ENTER.get(target, []))


def next_statuses(inspection: Inspection) -> list[str]:
    targets = list(TRANSITIONS[inspection.status])
    if inspection.status == S.SUSPENDED and inspection.suspended_from:
        targets.insert(0, inspection.suspended_from)
    return targets


def unmet_conditions(inspection: Inspection, target: str) -> list[str]:
    """Every condition for `target` that the inspection does not yet meet."""
    if target == S.SUSPENDED or target == S.WITHDRAWN:
        return []
    if inspection.status == S.SUSPENDED and target == inspection.suspended_from:
        return []  # resuming: the gates were met when the stage was first entered
    return [message for check in _GATES.get(target, []) for message in check(inspection)]
