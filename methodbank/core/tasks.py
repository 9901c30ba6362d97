"""Background tasks of core (django-tasks; the database backend runs them in `manage.py db_worker`)."""

from django_tasks import task


@task()
def warm_shared_figures_task() -> list[str]:
    from .cache import warm_shared_figures

    return warm_shared_figures()
