"""Abstract bases every case record shares: timestamps, a version for optimistic locking,
archiving instead of deletion, and an audit trail through django-simple-history."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class CaseRecord(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up by one on every change; a stale write is refused."
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
