"""Background tasks (django-tasks; the database backend runs them in `manage.py db_worker`)."""

from django_tasks import task


@task()
def send_digest(user_id: int, frequency: str) -> int:
    from .digests import digest_send

    # One task per user: one failing address does not hold up everyone else's digest.
    return digest_send(user_id=user_id, frequency=frequency)
