"""Celery tasks for partnerships: thin wrappers that call a service."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def sync_area_permissions() -> int:
    """Daily: grant and revoke contact-management permissions as assignments start and end."""
    return services.area_permissions_sync_all()
