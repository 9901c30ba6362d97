"""Background tasks (django-tasks; the database backend runs them in `manage.py db_worker`)."""

from django_tasks import task


@task()
def run_report_build(build_id: int) -> str:
    from .services import report_build_run

    # The service records any failure on the build itself, where the coordinator sees it.
    return report_build_run(build_id=build_id).status
