"""Template shortcuts for long lists, each giving exactly what Django gives.

- `{% id_url "app:view" pk %}`: the URL of a view taking one integer id, like `{% url %}`.
  Django's `{% url %}` walks the URL resolver for every link (a plan page with 13 actions and 26
  progress updates has over 200 of them). This reverses each view once with a placeholder id,
  keeps the two halves of the URL (per URLconf and script prefix), and puts each id between
  them. A view whose URL cannot be split that way is reversed as `{% url %}` would.
- `widget|select_options`: the options of a select, as Django's select.html and
  select_option.html write them, built in Python rather than by the template engine (a filter
  of every partnership has 127 options). None when an option has a template of its own, so
  that the template includes it as Django does (templates/django/forms/widgets/select.html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.template.context import Context
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

_PLACEHOLDER = 9876543210  # an integer (int converters accept it) no URL otherwise contains
_halves: dict[tuple[Any, str, str], tuple[str, str] | None] = {}
SELECT_OPTION = "django/forms/widgets/select_option.html"


def _split(view_name: str) -> tuple[str, str] | None:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), view_name)
    if key not in _halves:
        try:
            parts = reverse(view_name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
        except NoReverseMatch:
            parts = []
        _halves[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    return _halves[key]


@register.simple_tag
def id_url(view_name: str, pk: Any) -> str:
    halves = _split(view_name) if type(pk) is int and pk >= 0 else None
    if halves is None:
        return reverse(view_name, args=[pk])
    return f"{halves[0]}{pk}{halves[1]}"


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`."""
    text = str(value)
    return text if isinstance(value, SafeData) else conditional_escape(text)


@register.filter
def select_options(widget: dict[str, Any]) -> str | None:
    context = Context(autoescape=True)
    out: list[str] = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{render_value_in_context(group_name, context)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None
            attrs = "".join(
                f" {render_value_in_context(name, context)}"
                + ("" if value is True else f'="{_formatted(value)}"')
                for name, value in option["attrs"].items()
                if value is not False
            )
            value = _formatted(option["value"])
            label = render_value_in_context(option["label"], context)
            out.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    return mark_safe("".join(out))  # noqa: S308  (every value escaped above)
