"""Background tasks (django-tasks; the database backend runs them in `manage.py db_worker`)."""

from django_tasks import task


@task()
def flush_usage() -> int:
    """Move the counted hits from Redis into the monthly figures; returns the hits written."""
    from .services import usage_flush

    return usage_flush().hits
