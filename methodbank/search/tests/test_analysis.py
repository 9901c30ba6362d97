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


def test_a_first_part_voikko_gives_no_base_form_is_a_part():
    # "+digi+osata(osata)": "digi" has no base form, yet it is the compound's first part, so an
    # entry on "digiosaaminen" is found by "digi" and by "osaaminen".
    assert {"digi", "osata"} <= set(analyse_word("digiosaamisen").parts)
    assert {"digi", "taito"} <= set(analyse_word("digitaitojen").parts)
    assert {"ylä", "koulu"} <= set(analyse_word("yläkoulun").parts)


def test_a_word_voikko_also_knows_whole_is_not_split_at_a_bare_piece():
    # "+esimerkki(esimerkki)" beside "+esi+merkki(merkki)": an example is no kind of badge.
    assert "merkki" not in analyse_word("esimerkiksi").terms
    assert "matto" not in analyse_word("riippumaton").terms
    # An adjective in -inen after a bare piece is one word ("ensi" + "sijainen" is no compound).
    assert "sijainen" not in analyse_word("ensisijainen").terms
    # Nor is an adjective's compound form in -is a part: yhteistyö is no kind of työ.
    assert "työ" not in analyse_word("yhteistyö").terms
    # The readings kept are those of before: the count of parts ignores the bare pieces.
    assert "yksinkertainen" in analyse_word("yksinkertaista").lemmas


def test_an_adverb_is_not_read_as_a_numeral():
    # "yhdessä" (together) is also a case form of "yksi": that reading met every entry counting one.
    assert analyse_word("yhdessä").terms == ("yhdessä",)
    assert "yksi" not in analyse_word("yksin").terms  # alone
    assert "yksi" in analyse_word("yhden").terms  # a numeral that is only a numeral stays one
