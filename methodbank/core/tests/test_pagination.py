"""Pages of a list are exactly the list's slices, whichever end they are read from."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from methodbank.catalog.models import Practice, PracticeKind
from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.core.pagination import ChainedLists, rows_of_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    # Titles repeat, so only the id makes the order total (as every listing's order does).
    for number in range(23):
        PracticeFactory(title=f"Menetelmä {number % 5}", slug=f"menetelma-{number}", kind=PracticeKind.MODEL if number % 3 else PracticeKind.GOOD_PRACTICE)
    return Practice.objects.all()


@pytest.mark.parametrize("per_page", [1, 4, 7, 23])
def test_every_page_is_the_lists_own_slice_from_either_end(entries, per_page):
    models = entries.filter(kind=PracticeKind.MODEL).order_by("title", "-id")
    practices = entries.filter(kind=PracticeKind.GOOD_PRACTICE).order_by("-title", "id")
    whole = list(models) + list(practices)
    chained = ChainedLists(models, practices)
    for low in range(0, len(whole), per_page):
        high = min(low + per_page, len(whole))
        assert [p.pk for p in chained[low:high]] == [p.pk for p in whole[low:high]], (low, high)


def test_a_late_page_is_read_from_the_end_not_after_an_offset_of_the_whole_list(entries):
    ordered = entries.order_by("title", "id")
    total = ordered.count()
    with CaptureQueriesContext(connection) as captured:
        last = rows_of_page(ordered, total - 3, total, total=total)
    assert [p.pk for p in last] == [p.pk for p in list(ordered)[-3:]]
    offsets = [int(n) for query in captured for n in re.findall(r"OFFSET (\d+)", query["sql"])]
    assert all(offset <= total // 2 for offset in offsets)


def test_an_order_without_the_id_last_is_read_forward(entries):
    ordered = entries.order_by("title")  # ties: its reverse would not be the list backwards
    total = ordered.count()
    with CaptureQueriesContext(connection) as captured:
        rows_of_page(ordered, total - 3, total, total=total)
    assert re.search(rf"OFFSET {total - 3}\b", captured[0]["sql"])


@pytest.mark.parametrize("per_page", [1, 3, 5, 23])
def test_a_segmented_list_pages_as_the_whole_list_and_reads_only_the_segments_of_a_page(entries, per_page):
    from django.db.models import Q

    from methodbank.core.pagination import SegmentedQuerySet

    ordered = entries.order_by("title", "id")
    whole = list(ordered)
    # Segments by title: consecutive stretches of the list, with their counts.
    segments = [(Q(title=f"Menetelmä {n}"), ordered.filter(title=f"Menetelmä {n}").count()) for n in range(5)]
    segmented = SegmentedQuerySet(ordered, segments)
    assert len(segmented) == len(whole)
    for low in range(0, len(whole), per_page):
        high = min(low + per_page, len(whole))
        with CaptureQueriesContext(connection) as captured:
            page = segmented[low:high]
        assert [p.pk for p in page] == [p.pk for p in whole[low:high]], (low, high)
        assert len(captured) == 2  # the page's ids, then its rows
        # The query reads only the titles of the page's segments.
        titles = {p.title for p in whole[low:high]}
        for n in range(5):
            assert (f"Menetelmä {n}" in captured[0]["sql"]) == (f"Menetelmä {n}" in titles), (low, high, n)
