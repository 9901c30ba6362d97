"""Snippets: the passage with the most matches, highlighted and escaped (search/snippets.py)."""

from methodbank.search.snippets import ELLIPSIS, match_count, snippet


def _text(words):
    return " ".join(words)


def test_the_passage_with_the_most_matches_is_shown_with_a_little_context():
    words = [f"sana{n}" for n in range(100)]
    words[70] = words[72] = words[74] = "ohjaus"
    words[10] = "ohjaus"
    html = str(snippet(_text(words), {"ohjaus"}, "fi", words=12))
    # Three matches within 12 words win over the lone one: the first window holding all three.
    assert html.startswith(f"{ELLIPSIS} sana63 ") and html.endswith(f"sana73 <mark>ohjaus</mark> {ELLIPSIS}")
    assert html.count("<mark>ohjaus</mark>") == 3
    # A lone match is shown after 4 words of context.
    words = [f"sana{n}" for n in range(100)]
    words[50] = "ohjaus"
    assert str(snippet(_text(words), {"ohjaus"}, "fi", words=12)).startswith(f"{ELLIPSIS} sana39 ")


def test_a_match_in_the_last_window_and_the_first_of_equal_windows():
    words = [f"sana{n}" for n in range(40)]
    words[39] = "ohjaus"
    assert str(snippet(_text(words), {"ohjaus"}, "fi", words=10)).endswith("<mark>ohjaus</mark>")
    words[39], words[0] = "sana39", "ohjaus"
    html = str(snippet(_text(words), {"ohjaus"}, "fi", words=10))
    assert html.startswith("<mark>ohjaus</mark> sana1 ") and html.endswith(f"sana9 {ELLIPSIS}")


def test_text_shorter_than_the_window_is_shown_whole_and_escaped():
    html = str(snippet("Ohjaus <b>ja</b>\n  tuki", {"ohjaus"}, "fi", words=36))
    assert html == "<mark>Ohjaus</mark> &lt;b&gt;ja&lt;/b&gt; tuki"
    assert match_count("ohjaus\n\nohjaus tuki", {"ohjaus"}, "fi") == 2


def test_the_text_between_matches_is_escaped_and_a_cut_window_keeps_whole_words():
    # The words between two matches are escaped as one run (snippets._render): quotes, ampersands
    # and markup the author typed stay text, also when the window starts and ends inside the text
    # (ten words: "R&D" is two, "<i>ohjaus</i>" three).
    words = [f"sana{n}" for n in range(30)] + ['"R&D"', "<i>ohjaus</i>", "tuki's", "ohjaus"] + ["loppu"] * 30
    html = str(snippet(_text(words), {"ohjaus"}, "fi", words=10))
    assert html == (
        f"{ELLIPSIS} sana28 sana29 &quot;R&amp;D&quot; &lt;i&gt;<mark>ohjaus</mark>&lt;/i&gt; tuki&#x27;s "
        f"<mark>ohjaus</mark> {ELLIPSIS}"
    )


def test_matches_are_counted_per_occurrence_for_exact_terms_and_prefixes():
    text = "ohjaus, ohjaus; ohjaajan ohjaamo-toiminta ohjaus tuki ohjaus"
    assert match_count(text, {"ohjaus"}, "fi") == 4
    # "ohjaa*" begins "ohjaajan" and the compound "ohjaamo-toiminta" (one word with its hyphen).
    assert match_count(text, {"ohjaa*"}, "fi") == 2
    assert match_count(text, {"ohjaus", "ohjaa*"}, "fi") == 6
    assert match_count("", {"ohjaus"}, "fi") == 0


def test_a_page_of_hits_splits_the_query_terms_once(db, monkeypatch):
    """search_hits splits the highlight terms (an expanded query has dozens) once for its hits, not
    once per hit."""
    from methodbank.catalog.tests.factories import PracticeFactory
    from methodbank.search import snippets
    from methodbank.search.selectors import search_entries, search_hits

    for number in range(3):
        PracticeFactory(title=f"Ohjaus {number}", summary="Ohjausta opiskelijoille.")
    results = search_entries(text="ohjaus")
    split = snippets._split
    raw = []

    def counted(terms):
        if not isinstance(terms, snippets._Split):
            raw.append(terms)
        return split(terms)

    monkeypatch.setattr(snippets, "_split", counted)
    hits = search_hits(results, list(results.entries))
    assert len(hits) == 3 and all("<mark>" in str(hit.title_html) for hit in hits)
    assert len(raw) == 1
