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
