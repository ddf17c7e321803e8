"""Forms in the Scottish Government Design System: one renderer, one set of field templates,
one error summary, and a version field for optimistic locking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    "select": "ds_select",
    "selectmultiple": "ds_select",
    "textarea": "ds_input",
    "checkbox": "ds_checkbox__input",
    "radioselect": "ds_radio__input",
    "checkboxselectmultiple": "ds_checkbox__input",
    "clearablefile": "ds_file-upload__input",
    "file": "ds_file-upload__input",
}


class DesignSystemFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DesignSystemFormMixin:
    """Adds Design System classes and ARIA links between each input, its hint and its error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = widget.__class__.__name__.lower().removesuffix("input")
            if kind.endswith("widget"):
                kind = kind.removesuffix("widget")
            css = WIDGET_CLASSES.get(kind, "ds_input")
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class"), css]))
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.fields:
            self._describe(name)

    def add_error(self, field, error) -> None:
        """Errors added after cleaning (a service's, a conflict) get the same ARIA and styling."""
        super().add_error(field, error)
        for name in self.fields:
            self._describe(name)

    def _describe(self, name: str) -> None:
        bound = self[name]
        attrs = self.fields[name].widget.attrs
        described = []
        if self.fields[name].help_text:
            described.append(f"{bound.auto_id}-hint")
        if name in self._errors:
            described.append(f"{bound.auto_id}-error")
            attrs["aria-invalid"] = "true"
            if "ds_input--error" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} ds_input--error".strip()
        if described:
            attrs["aria-describedby"] = " ".join(described)

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, in field order."""
        items: list[tuple[str, str]] = [("", str(e)) for e in self.non_field_errors()]
        for name in self.fields:
            for error in self[name].errors:
                items.append((f"#{self[name].auto_id}", f"{error}"))
        return items


class Form(DesignSystemFormMixin, forms.Form):
    pass


class ModelForm(DesignSystemFormMixin, forms.ModelForm):
    pass


class VersionedModelForm(ModelForm):
    """Carries the record's version so a stale save is refused rather than overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict[str, Any]:
        """Cleaned values of the model's own (non-many-to-many) fields on this form."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not self.instance._meta.get_field(name).many_to_many
        }

    def show_conflict(self, current, message: str) -> None:
        """Keep the user's input, tell them what happened, and move them onto the current version
        so that saving again is a deliberate choice."""
        self.add_error(None, message)
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict_rows = [
            (str(self[name].label), _display_value(current, name))
            for name in self.changes()
            if _display_value(current, name) != _display_cleaned(self, name)
        ]


class ArchiveForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why are you archiving this record?",
        help_text="This is kept in the record's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )


def add_service_error(form: forms.BaseForm, error) -> None:
    """Show a service's ValidationError on the form: on its field where the form has that field,
    otherwise at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _display_value(obj, name: str) -> str:
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display else getattr(obj, name)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def _display_cleaned(form: forms.BaseForm, name: str) -> str:
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    if getattr(field, "choices", None) and not isinstance(field, forms.ModelChoiceField):
        value = dict(field.choices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)
