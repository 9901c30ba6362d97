"""Similar entries (TF-IDF cosine) and the duplicate warning."""

import pytest
from django.template import Context, Template

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.services import find_duplicates, similar_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    return {
        "mentor": PracticeFactory(
            title="Maahanmuuttajien mentorointi",
            summary="Mentorit tukevat maahanmuuttajataustaisia opiskelijoita.",
        ),
        "mentor2": PracticeFactory(
            title="Mentorointi maahanmuuttajille",
            summary="Mentori tukee maahanmuuttajaopiskelijaa opinnoissa.",
        ),
        "math": PracticeFactory(
            title="AMK-matematiikka", summary="Matematiikan kertaus ennen ammattikorkeakoulua."
        ),
        "draft": PracticeFactory(
            title="Mentorointi maahanmuuttajien tukena",
            summary="Mentorit tukevat maahanmuuttajia.",
            status=PublicationStatus.DRAFT,
        ),
    }


def test_similar_entries_are_the_related_published_ones(entries):
    similar = similar_entries(practice=entries["mentor"])
    assert [p for p, _score in similar][:1] == [entries["mentor2"]]
    assert entries["draft"] not in [p for p, _s in similar]
    assert entries["mentor"] not in [p for p, _s in similar]


def test_similar_entries_block_on_the_entry_page(entries):
    # Search adds its section to catalog's entry page through catalog.extensions (registered in ready()).
    html = Template('{% load catalog_tags %}{% entry_blocks practice "related" %}').render(
        Context({"practice": entries["mentor"]})
    )
    assert "Mentorointi maahanmuuttajille" in html
    assert 'aria-labelledby="similar-heading"' in html


def test_duplicate_warning_finds_the_same_practice_described_again(entries):
    duplicates = find_duplicates(
        title="Maahanmuuttajien mentorointi",
        summary="Mentorit tukevat maahanmuuttajataustaisia opiskelijoita opinnoissa.",
        text="",
    )
    assert duplicates and duplicates[0][0] == entries["mentor"]
    assert duplicates[0][1] > 0.8
    assert entries["math"] not in [p for p, _s in duplicates]


def test_duplicate_warning_excludes_the_entry_itself_and_unrelated_text(entries):
    mentor = entries["mentor"]
    assert mentor not in [
        p
        for p, _s in find_duplicates(
            title=mentor.title, summary=mentor.summary, text="", exclude_pk=mentor.pk
        )
    ]
    assert find_duplicates(title="Kalastuskerho", summary="Onkiminen ja uistelu järvellä.", text="") == []


def test_import_batch_reports_each_near_duplicate_pair_once(entries):
    from methodbank.search.services import practice_near_duplicates

    copy = PracticeFactory(
        title="Maahanmuuttajien mentorointi (kopio)",
        summary="Mentorit tukevat maahanmuuttajataustaisia opiskelijoita.",
    )
    pairs = practice_near_duplicates(practices=[entries["mentor"], copy])
    assert [(a.pk, b.pk) for a, b, _score in pairs] == [(copy.pk, entries["mentor"].pk)]
