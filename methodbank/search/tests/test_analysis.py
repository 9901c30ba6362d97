"""The analyser: what a searcher types and what the catalog says must meet in the same terms."""

import threading

from methodbank.search.analysis import analyse_word, cache_stats, index_terms


def test_compound_gives_base_form_and_parts():
    analysis = analyse_word("romaninuoret")
    assert "romaninuori" in analysis.lemmas
    assert {"romani", "nuori"} <= set(analysis.parts)


def test_inflected_word_gives_base_form():
    assert analyse_word("maahanmuuttajille").lemmas == ("maahanmuuttaja",)


def test_hyphenated_word_gives_parts_and_whole():
    terms = set(analyse_word("opinto-ohjaajalle").terms)
    assert {"opintoohjaaja", "opinto", "ohjaaja"} <= terms


def test_ambiguous_compound_keeps_the_sensible_reading():
    analysis = analyse_word("väyläopinnoista")
    assert "väyläopinto" in analysis.lemmas
    assert {"väylä", "opinto"} <= set(analysis.parts)
    # The exotic reading väylä+oppi+noki has more parts and is dropped.
    assert "noki" not in analysis.terms


def test_compound_with_verb_part():
    analysis = analyse_word("keskeyttämisvaarassa")
    assert analysis.lemmas == ("keskeyttämisvaara",)
    assert {"keskeyttää", "vaara"} <= set(analysis.parts)
    # "keskeyttäminen" (the noun a searcher may type) meets the same verb part.
    assert "keskeyttää" in analyse_word("keskeyttämisen").terms


def test_unknown_words_fall_back_to_snowball():
    # Voikko does not know the project name; Snowball strips the case ending the same way in
    # the text ("Sedussa") and in the query ("Sedu").
    assert analyse_word("Sedussa").lemmas == analyse_word("Sedu").lemmas


def test_unknown_hyphenated_word_is_split_and_joined():
    terms = set(analyse_word("valma-koulutuksen").terms)
    assert {"valma", "koulutus", "valmakoulutus"} <= terms


def test_swedish_and_english_use_their_stemmers():
    assert analyse_word("studiehandledare", "sv").lemmas == analyse_word("studiehandledarna", "sv").lemmas
    assert analyse_word("counsellors", "en").lemmas == analyse_word("counsellor", "en").lemmas


def test_text_is_lowercased_stripped_of_punctuation_and_stopwords():
    assert index_terms("Ohjaus- ja oppimiskahvila romaneille!") == [
        "ohjaus",
        "oppimiskahvila",
        "oppia",
        "kahvila",
        "romani",
    ]
    assert index_terms("the guidance of the students", "en") == ["guidanc", "student"]


def test_cache_is_used_and_threads_share_it_safely():
    errors = []

    def work():
        try:
            for _ in range(50):
                assert analyse_word("opiskelijoille").lemmas == ("opiskelija",)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert cache_stats()["hits"] > 0
