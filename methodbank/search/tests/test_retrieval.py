"""Top-k retrieval from the impact-ordered postings: a common word reads only its best postings, and
what that leaves out is said on the page; a rare word still finds every entry it is in."""

import pytest

from methodbank.catalog.models import PracticeKind
from methodbank.catalog.tests.factories import KeywordFactory, PlacementFactory, PracticeFactory
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
    plain = [
        PracticeFactory(title=f"Malli {n}", summary="Opiskelijat saavat ohjausta koulussa.") for n in range(9)
    ]
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


def test_a_filter_ranks_the_filtered_entries_not_the_best_ones_overall(common_word):
    """The four best "ohjaus" entries are none of one project's: filtering by that project must still
    list its entry (ranked from its own postings), not filter the overall best four down to nothing."""
    best, plain, romani = common_word
    overall = {e.practice_id for e in search_entries(text="ohjaus").entries}
    left_out = [p for p in plain + romani if p.pk not in overall]
    assert len(left_out) >= 6  # the fixture really leaves most of them out of the top four
    target = left_out[-1]
    results = search_entries(text="ohjaus", filters={"project": [target.project.slug]})
    assert [e.practice_id for e in results.entries] == [target.pk]
    assert not results.unfiltered_count  # not the "nothing with these filters" case
    # A filter several entries pass: the best of them first, and only they.
    kinds = search_entries(text="ohjaus", filters={"kind": [plain[0].kind]})
    assert kinds.entries[0].practice_id == best.pk
    assert all(e.practice_id in {best.pk, *(p.pk for p in plain + romani)} for e in kinds.entries)


def test_words_that_seldom_meet_among_their_best_postings_are_read_deeper(settings):
    """Each word's best postings are entries with only that word; the entries with both are found
    by reading the lists deeper, not left out or listed below partial matches."""
    settings.SEARCH_CANDIDATE_LIMIT = 4
    for n in range(16):  # more than the 12 postings read at least per word
        PracticeFactory(title=f"Purjehdus {n}", summary="Purjehdus ja purjehdus.")
        PracticeFactory(title=f"Retkeily {n}", summary="Retkeily ja retkeily.")
    filler = "Opiskelijat tekevät koulussa monenlaisia asioita yhdessä opettajien kanssa. " * 4
    both = [PracticeFactory(title=f"Leiri {n}", summary=f"{filler} Purjehdus ja retkeily.") for n in range(3)]
    results = search_entries(text="purjehdus retkeily")
    assert {e.practice_id for e in results.entries[:3]} == {p.pk for p in both}
    assert all(e.complete for e in results.entries[:3])
    assert not results.capped  # read to the end: these are all of them


def _facet_value(facet: str, entries) -> str:
    """Give ``entries`` (and only them) a value of the facet; return the value as a URL carries it."""
    if facet == "kind" or facet == "evaluation":
        for entry in entries:
            entry.kind = PracticeKind.MODEL
            entry.save()
        return "model" if facet == "kind" else "not_evaluated"
    if facet == "keyword":
        keyword = KeywordFactory(name="Kulttuuri", approved=True)
        for entry in entries:
            entry.keywords.add(keyword)
        return keyword.slug
    placement = PlacementFactory(practice=entries[0])
    for entry in entries[1:]:
        PlacementFactory(practice=entry, subtheme=placement.subtheme, period=placement.period)
    return {
        "theme": placement.theme.slug,
        "subtheme": str(placement.subtheme_id),
        "period": placement.period.code,
        "project": entries[0].project.slug,
    }[facet]


@pytest.mark.parametrize("facet", ["kind", "theme", "subtheme", "period", "evaluation", "keyword", "project"])
def test_every_facet_ranks_its_own_entries_like_an_uncapped_search(common_word, settings, facet):
    """Capped at four, a filter ranks the entries it allows as a search that reads everything would."""
    _best, plain, romani = common_word
    chosen = plain[-3:] + romani[:1] if facet != "project" else plain[-1:]
    value = _facet_value(facet, chosen)
    filters = {facet: [value]}
    capped = search_entries(text="ohjaus", filters=filters)
    settings.SEARCH_CANDIDATE_LIMIT = 1000
    everything = search_entries(text="ohjaus")
    assert not everything.capped
    allowed = {p.pk for p in chosen}
    expected = [e.practice_id for e in everything.entries if e.practice_id in allowed][:4]
    assert [e.practice_id for e in capped.entries] == expected
    assert len(expected) == min(4, len(chosen))


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
