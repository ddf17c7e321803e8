"""Forms for the MSG self-evaluation pages."""

from __future__ import annotations

from typing import Any

from django import forms

from scrutiny.forms import Form

from .models import MsgRatingLevel
from .msg import RatingInput


class MsgRoundForm(Form):
    evaluated_on = forms.DateField(
        label="Round date",
        widget=forms.DateInput,
        help_text="The date the partnership completed this self-evaluation.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MsgRatingsForm(Form):
    """Every proposal on one page: a rating, comment and evidence each, plus the round's notes
    and version."""

    # Every field is optional (a draft may leave proposals unrated): saying so 76 times is noise.
    optional_unmarked = True

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    notes = forms.CharField(
        label="Notes on this round", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, proposals, ratings, **kwargs: Any) -> None:
        self.proposals = list(proposals)
        super().__init__(*args, **kwargs)
        for p in self.proposals:
            current = ratings.get(p.pk)
            self.fields[f"rating_{p.pk}"] = forms.ChoiceField(
                label=f"Rating for proposal {p.number}",
                required=False,
                choices=[("", "Not rated yet"), *MsgRatingLevel.choices],
                initial=current.rating if current else "",
            )
            self.fields[f"comment_{p.pk}"] = forms.CharField(
                label=f"Comment on proposal {p.number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.comment if current else "",
            )
            self.fields[f"evidence_{p.pk}"] = forms.CharField(
                label=f"Evidence for proposal {p.number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.evidence if current else "",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for p in self.proposals:
            rating = cleaned.get(f"rating_{p.pk}")
            said = cleaned.get(f"comment_{p.pk}") or cleaned.get(f"evidence_{p.pk}")
            if not rating and said:
                self.add_error(
                    f"rating_{p.pk}",
                    f"Choose a rating for proposal {p.number}, or clear its comment and evidence.",
                )
        return cleaned

    def sections(self, groups) -> list:
        """(feature, [(proposal, rating field, comment field, evidence field)]) for the page."""
        return [
            (
                group.feature,
                [
                    (
                        row.proposal,
                        self[f"rating_{row.proposal.pk}"],
                        self[f"comment_{row.proposal.pk}"],
                        self[f"evidence_{row.proposal.pk}"],
                    )
                    for row in group.rows
                ],
            )
            for group in groups
        ]

    def ratings(self) -> dict[int, RatingInput]:
        data = self.cleaned_data
        return {
            p.pk: RatingInput(
                rating=data.get(f"rating_{p.pk}", ""),
                comment=data.get(f"comment_{p.pk}", ""),
                evidence=data.get(f"evidence_{p.pk}", ""),
            )
            for p in self.proposals
        }

    def show_conflict(self, current, message: str) -> None:
        """Keep the user's input and move the form onto the current version."""
        self.add_error(None, message)
        data = self.data.copy()
        data["version"] = current.version
        self.data = data


class MsgSubmitForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MsgValidationForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    validation_note = forms.CharField(
        label="Validation note",
        help_text="What the evidence shows about this rating.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def show_conflict(self, current, message: str) -> None:
        self.add_error(None, message)
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
