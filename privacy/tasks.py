from celery import shared_task

from .retention import apply_retention


@shared_task
def apply_retention_periods():
    """Beat job: anonymise and delete what has passed its retention period."""
    return apply_retention().pk
