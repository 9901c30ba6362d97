"""What search adds to the pages of the apps below it, registered in SearchConfig.ready(): similar
entries on an entry's page, and possible duplicates in the coordinator's queue."""

from django.template.loader import render_to_string

from methodbank.catalog import extensions

from . import services

SIMILAR_LIMIT = 5


def similar_entries_block(request, practice) -> str:
    """A section listing the entries most like this one, at the end of an entry's page."""
    return render_to_string(
        "search/_similar.html", {"similar": services.similar_entries(practice=practice, limit=SIMILAR_LIMIT)}
    )


def duplicates_for_queue(**kwargs) -> list:
    # Looked up when called, so a test or a bench may replace services.find_duplicates.
    return services.find_duplicates(**kwargs)


def register():
    extensions.register_entry_block("related", similar_entries_block)
    extensions.register_duplicate_finder(duplicates_for_queue)  # the coordinator's queue
