"""``publication_check``: list published entries that belong to an unpublished project.

Since issue 16 the services never publish such an entry (the project is published with it or the
entry waits), but a database from before may hold some: their pages show the project's unmoderated
text and link to a 404. Run it after deploying; it exits with status 1 while any remain, and a
coordinator resolves each from the entry's review page (archive it, or have the project reviewed).
"""

from django.core.management.base import BaseCommand, CommandError

from methodbank.catalog.models import Practice, PublicationStatus


def published_entries_of_unpublished_projects():
    return (
        Practice.objects.published()
        .filter(project__isnull=False)
        .exclude(project__status=PublicationStatus.PUBLISHED)
        .select_related("project")
        .order_by("id")
    )


class Command(BaseCommand):
    help = "List published entries whose project is not published (exit status 1 if there are any)."

    def handle(self, *args, **options):
        found = list(published_entries_of_unpublished_projects())
        for practice in found:
            self.stdout.write(
                f"entry {practice.pk} {practice.slug!r}: project {practice.project.pk} "
                f"{practice.project.slug!r} is {practice.project.status}"
            )
        if found:
            raise CommandError(f"{len(found)} published entries belong to an unpublished project.")
        self.stdout.write("Every published entry belongs to a published project (or to none).")
