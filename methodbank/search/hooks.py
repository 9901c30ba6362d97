"""What search adds to the pages of the apps below it, registered in SearchConfig.ready(): similar
entries on an entry's page, and possible duplicates in the coordinator's queue."""

from django.template.loader import render_to_string

from methodbank.catalog import extensions

from .services import find_duplicates, similar_entries

SIMILAR_LIMIT = 5


def similar_entries_block(request, practice) -> str:
    """A section listing the entries most like this one, at the end of an entry's page."""
    return render_to_string(
        "search/_similar.html", {"similar": similar_entries(practice=practice, limit=SIMILAR_LIMIT)}
    )


def register():
    extensions.register_entry_block("related", similar_entries_block)
    extensions.register_duplicate_finder(find_duplicates)  # the coordinator's queue
