"""Top-k retrieval from the impact-ordered postings: a common word reads only its best postings, and
what that leaves out is said on the page; a rare word still finds every entry it is in."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.indexing import search_index_rebuild
from methodbank.search.models import SearchPosting, SearchTermVector
from methodbank.search.selectors import search_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def common_word(settings):
    """Twelve entries about "ohjaus", two of them also about Romani youth; the ranker reads four
    postings per word."""
    settings.SEARCH_CANDIDATE_LIMIT = 4
    best = PracticeFactory(title="Ohjaus", summary="Ohjaus ja ohjaus: ohjauksen malli.")
    plain = [PracticeFactory(title=f"Malli {n}", summary="Opiskelijat saavat ohjausta koulussa.") for n in range(9)]
    romani = [
        PracticeFactory(title="Romaninuorten tuki", summary="Romaninuoret saavat ohjausta."),
        PracticeFactory(title="Kulttuurityö", summary="Romanit ja ohjaus koulutukseen."),
    ]
    return best, plain, romani


def test_common_word_returns_the_best_entries_and_says_it_is_capped(common_word):
    best, _plain, _romani = common_word
    results = search_entries(text="ohjausta")
    assert results.entries[0].practice_id == best.pk
    assert len(results.entries) <= 4
    assert results.capped


def test_a_rare_word_finds_every_entry_it_is_in_even_beside_a_common_one(common_word):
    _best, _plain, romani = common_word
    results = search_entries(text="ohjaus romanit")
    assert {e.practice_id for e in results.entries if e.complete} == {p.pk for p in romani}
    assert not results.capped


def test_postings_follow_edits_deletes_and_rebuilds():
    practice = PracticeFactory(title="Kaarnaveneohjaus", summary="Veneet.")
    assert SearchPosting.objects.filter(practice_id=practice.pk, term="kaarnaveneohjaus").exists()
    practice.title = "Sadetakkimalli"
    practice.save()
    assert not SearchPosting.objects.filter(practice_id=practice.pk, term="kaarnaveneohjaus").exists()
    assert search_index_rebuild() == 1
    assert [e.practice_id for e in search_entries(text="sadetakkimallit").entries] == [practice.pk]
    assert SearchTermVector.objects.filter(practice_id=practice.pk).count() == 1
    practice.delete()
    assert not SearchPosting.objects.filter(practice_id=practice.pk).exists()
    assert not SearchTermVector.objects.filter(practice_id=practice.pk).exists()
