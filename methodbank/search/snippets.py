"""Highlighting: the words whose analysed terms match the query get <mark>, everything escaped."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from html import escape  # Django's escape() is this, wrapped for lazy strings: a page calls it for every word
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from .analysis import WORD_RE, analyse_word

ELLIPSIS = "…"


# One search page highlights the same words in twenty titles and snippets, several versions each:
# a word's answer is kept for the query's terms (the analysis itself is cached in analysis.py).
@lru_cache(maxsize=100_000)
def _matches(word: str, terms: frozenset[str], prefixes: tuple[str, ...], language: str) -> bool:
    analysis = analyse_word(word, language)
    candidates = analysis.terms
    # Called for every distinct word of a new query's twenty hits (some 900): the set test in C, and
    # nothing more for a query without a prefix* (most of them).
    if not terms.isdisjoint(candidates):
        return True
    if not prefixes:
        return False
    lower = word.lower().replace("-", "")
    return any(lower.startswith(p) or any(t.startswith(p) for t in candidates) for p in prefixes)


class _Split(NamedTuple):
    exact: frozenset[str]
    prefixes: tuple[str, ...]


def _split(terms) -> _Split:
    # hit_texts splits a query's terms once for the dozen texts of a hit (an expanded query has
    # dozens of terms); the functions below also take the terms as a plain set.
    if isinstance(terms, _Split):
        return terms
    exact = frozenset(t for t in terms if not t.endswith("*"))
    prefixes = tuple(sorted(t[:-1] for t in terms if t.endswith("*")))
    return _Split(exact, prefixes)


def split_terms(terms) -> _Split:
    """A query's highlight terms split once for all the hits of its page (search_hits): splitting
    them per hit went over the expanded query's dozens of terms twenty times a page."""
    return _split(terms)


def _tokens(text: str, terms, language: str):
    return _text_tokens(text, *_split(terms), language)


# A query's answers per word, for the texts of its page: a dict lookup per word, where the
# lru_cache above costs a key tuple and its hash (twenty entries' texts are some 1,700 words each).
# A few queries' worth: each holds the distinct words of a page's texts.
@lru_cache(maxsize=8)
def _word_answers(exact: frozenset[str], prefixes: tuple[str, ...], language: str) -> dict[str, bool]:
    return {}


# The same title or passage recurs on a query's pages (page 2, the HTMX update of the same search).
@lru_cache(maxsize=64)
def _text_tokens(text: str, exact: frozenset[str], prefixes: tuple[str, ...], language: str):
    answers = _word_answers(exact, prefixes, language)
    tokens = []
    for m in WORD_RE.finditer(text):
        word = m.group()
        matched = answers.get(word)
        if matched is None:
            matched = answers[word] = _matches(word, exact, prefixes, language)
        tokens.append((m.start(), m.end(), matched))
    return tokens


def _render(text: str, tokens, start: int, end: int) -> str:
    # Escaped between the matches only: escape() replaces character by character, so escaping a
    # run of words at once writes the same as word by word, with one call instead of two per word.
    out, position = [], start
    for token_start, token_end, matched in tokens:
        if not matched or token_end <= start or token_start >= end:
            continue
        out.append(escape(text[position:token_start]))
        out.append(f"<mark>{escape(text[token_start:token_end])}</mark>")
        position = token_end
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, terms, language: str = "fi") -> SafeString:
    text = text or ""
    return mark_safe(_render(text, _tokens(text, terms, language), 0, len(text)))


def match_count(text: str, terms, language: str = "fi") -> int:
    # Counted per distinct word (findall and Counter run in C): a hit's texts are counted in every
    # language version to pick the one shown, some 1,700 words each, and only that one is then
    # tokenised with positions for its snippet. The same words as snippet() splits.
    exact, prefixes = _split(terms)
    answers = _word_answers(exact, prefixes, language)
    count = 0
    for word, times in Counter(WORD_RE.findall(text or "")).items():
        matched = answers.get(word)
        if matched is None:
            matched = answers[word] = _matches(word, exact, prefixes, language)
        if matched:
            count += times
    return count


def snippet(text: str, terms, language: str = "fi", *, words: int = 36) -> SafeString:
    """The passage of about ``words`` words with the most matches, highlighted."""
    text = " ".join((text or "").split())
    tokens = _tokens(text, terms, language)
    if not tokens:
        return mark_safe(escape(text))
    # The window of ``words`` tokens with the most matches (the first of equals), slid token by token.
    flags = [t[2] for t in tokens]
    best_start = index = 0
    best_hits = hits = sum(flags[:words])
    while index + words < len(tokens):
        hits += flags[index + words] - flags[index]
        index += 1
        if hits > best_hits:
            best_start, best_hits = index, hits
    # Start a little before the first match so the reader sees its context.
    if best_hits > 0:
        first = next(i for i in range(best_start, len(tokens)) if tokens[i][2])
        best_start = max(0, min(best_start, first - 4))
    window = tokens[best_start : best_start + words]
    start = 0 if best_start == 0 else window[0][0]
    end = len(text) if best_start + words >= len(tokens) else window[-1][1]
    html = _render(text, tokens, start, end)
    if start > 0:
        html = ELLIPSIS + " " + html
    if end < len(text):
        html += " " + ELLIPSIS
    return mark_safe(html)


def _in_language(html: str, language: str, page_language: str) -> SafeString:
    # Text in another language than the page's is tagged, so that screen readers pronounce it right.
    if language == page_language:
        return mark_safe(html)
    return mark_safe(f'<span lang="{escape(language)}">{html}</span>')


def hit_texts(practice, terms, language: str) -> tuple[SafeString, SafeString]:
    """The highlighted title and snippet of a search hit, in the visitor's ``language``.

    The title is the translation's when the entry is translated into the visitor's language (the
    original otherwise). The snippet is the summary, or the template sections where they match
    more, of the version the visitor reads; when the words are not found there, of the first other
    language version where they are (a Finnish entry found through its Swedish translation by an
    English visitor shows the Swedish passage, tagged ``lang="sv"``). Expects
    ``practice.translations`` prefetched.
    """
    from methodbank.catalog.translations import practice_content, practice_texts_by_language

    terms = _split(terms)
    content = practice_content(practice=practice, language=language)
    page_language = content.requested
    title = content.title
    title_html = _in_language(highlight(title.text, terms, title.language), title.language, page_language)

    # The version shown: each field in the language it is shown in (a section the translator left
    # empty is the original's).
    shown = [(content.summary.text, content.summary.language)]
    for code in dict.fromkeys(text.language for _heading, text in content.sections):
        shown.append(("\n".join(t.text for _h, t in content.sections if t and t.language == code), code))
    versions = [shown]
    for code, texts in practice_texts_by_language(practice=practice).items():
        if code != content.language:
            body = "\n".join(
                texts[name] for name in texts if name not in ("title", "summary") and texts[name]
            )
            versions.append([(texts["summary"], code), (body, code)])
    best = shown[0]
    if terms.exact or terms.prefixes:
        for version in versions:
            counts = [match_count(text, terms, code) if text else 0 for text, code in version]
            if max(counts) > 0:
                best = version[counts.index(max(counts))]  # the summary wins a tie
                break
    text, code = best
    return title_html, _in_language(snippet(text, terms, code), code, page_language) if text else mark_safe(
        ""
    )
