"""Reading a record's audit trail (django-simple-history) as who, when, which fields, old and
new value. Queries are bounded: one for the history rows and users, one per foreign key field
whose values need names."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .pagination import paginate

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "id", "password", "last_login"}
BLANK = "(blank)"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {
        f.name: f
        for f in model._meta.concrete_fields
        if (f.name not in HIDDEN_FIELDS and f.editable) or f.name in {"archived_at", "archived_by"}
    }


def _fk_names(fields: dict[str, models.Field], records: list[Any]) -> dict[str, dict[Any, str]]:
    """Names for every foreign key value that appears in the records, one query per field."""
    wanted: dict[str, set] = defaultdict(set)
    for name, f in fields.items():
        if f.is_relation:
            for record in records:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted[name].add(value)
    return {
        name: {
            pk: str(obj)
            for pk, obj in fields[name].related_model._default_manager.in_bulk(pks).items()
        }
        for name, pks in wanted.items()
    }


def _m2m_snapshots(model: type[models.Model], records: list[Any]) -> dict[str, dict[int, str]]:
    """For each many-to-many field kept in history, each history row's set of related names,
    joined for display. One query per field for the rows, one for the names."""
    snapshots: dict[str, dict[int, str]] = {}
    if not records:
        return snapshots
    history_model = type(records[0])
    for name in getattr(model, "_history_m2m_fields", []):
        field = model._meta.get_field(name)
        through = apps.get_model(history_model._meta.app_label, f"{history_model.__name__}_{name}")
        target = field.related_model._meta.model_name
        rows = list(
            through.objects.filter(history__in=[r.history_id for r in records]).values_list(
                "history_id", f"{target}_id"
            )
        )
        names = field.related_model._default_manager.in_bulk({pk for _, pk in rows})
        per_record: dict[int, list[str]] = defaultdict(list)
        for history_id, pk in rows:
            per_record[history_id].append(str(names.get(pk, f"#{pk}")))
        snapshots[str(field.verbose_name).capitalize()] = {
            r.history_id: ", ".join(sorted(per_record.get(r.history_id, []))) for r in records
        }
    return snapshots


def _display(f: models.Field, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return BLANK
    if f.is_relation:
        return names.get(f.name, {}).get(value, f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d %B %Y")
    return str(value)


def history_entries(obj: models.Model) -> list[HistoryEntry]:
    """Newest first. Each entry says who did what, when, why, and each field's old and new value."""
    model = type(obj)
    fields = _fields(model)
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    names = _fk_names(fields, records)
    m2m = _m2m_snapshots(model, records)
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes = []
        for f in fields.values():
            new = getattr(record, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and (new is None or new == ""):
                continue
            if previous is not None and old == new:
                continue
            changes.append(
                FieldChange(
                    field=str(f.verbose_name).capitalize(),
                    old=_display(f, old, names) if previous is not None else "",
                    new=_display(f, new, names),
                )
            )
        for label, values in m2m.items():
            new_value = values[record.history_id]
            old_value = values[previous.history_id] if previous is not None else ""
            if new_value != old_value and (previous is not None or new_value):
                old_shown = (old_value or BLANK) if previous is not None else ""
                changes.append(FieldChange(field=label, old=old_shown, new=new_value or BLANK))
        quiet = not changes and not record.history_change_reason
        if previous is not None and quiet and record.history_type == "~":
            previous = record
            continue  # a save that changed nothing shown (e.g. only the version)
        action = ACTIONS.get(record.history_type, "Changed")
        if previous is not None and previous.archived_at is None and record.archived_at:
            action = "Archived"
        elif previous is not None and previous.archived_at and record.archived_at is None:
            action = "Restored"
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=f"{user.full_name} ({user.email})" if user else "System",
                action=action,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    entries.reverse()
    return entries


def history_page(
    request: HttpRequest,
    *,
    obj: models.Model,
    back_url: str,
    back_label: str,
    per_page: int = 25,
) -> HttpResponse:
    """The History page of any audited record. Callers check permission first."""
    pagination = paginate(request, history_entries(obj), per_page)
    return render(
        request,
        "scrutiny/history.html",
        {
            "object": obj,
            "page_title": f"History: {obj}",
            "pagination": pagination,
            "entries": pagination.page.object_list,
            "back_url": back_url,
            "back_label": back_label,
            "created_at": getattr(obj, "created_at", None),
        },
    )
