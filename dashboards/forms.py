from django import forms

from scrutiny.forms import Form

from .selectors import AREA_ORDERINGS, AREA_SORT_LABELS


class AreaSortForm(Form):
    optional_unmarked = True

    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, AREA_SORT_LABELS[key]) for key in AREA_ORDERINGS],
    )
