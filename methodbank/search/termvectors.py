"""The forward index: every indexed entry's terms with their frequencies per field, in one value.

The search reads a term's best postings to find candidates (retrieval.py), and then needs every
candidate's frequencies of *all* the query's terms: a word's other base forms, compound parts,
other languages and thesaurus expansions. Looking those up in the postings costs one index probe per
candidate and term, about 2,000 probes for a three-word query at 100,000 entries, which was half of
a search's time on SQLite and more on PostgreSQL. A term vector answers them for one probe per
candidate: the entry's terms as sorted 64-bit hashes, then their frequencies (title, summary, body),
so a term is found by binary search without decoding anything else.

Hashes, not strings, keep a vector about 14 bytes a term. blake2b's first 8 bytes: two different
terms of one entry would have to collide for a query term to read a wrong frequency, a chance of
about 1 in 10^16 per lookup. Frequencies are stored up to 65,535 (a field repeating one word more
often scores the same anyway: BM25 saturates long before).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from hashlib import blake2b

_MAX_TF = 65535
# Bytes per term: an 8-byte hash ("Q") and three 2-byte frequencies ("H").
_TERM_BYTES = 14


def term_hash(term: str) -> int:
    return int.from_bytes(blake2b(term.encode(), digest_size=8).digest(), "little")


def _little_endian(values: array) -> array:
    # Stored little-endian whatever the machine, so a database moves between machines.
    if sys.byteorder == "big":
        values.byteswap()
    return values


def encode(frequencies: dict[str, list[int] | tuple[int, int, int]]) -> bytes:
    """A term vector from {term: (title, summary, body) frequency}."""
    items = sorted((term_hash(term), tfs) for term, tfs in frequencies.items())
    hashes = array("Q", [h for h, _tfs in items])
    counts = array("H", [min(tf, _MAX_TF) for _h, tfs in items for tf in tfs])
    return _little_endian(hashes).tobytes() + _little_endian(counts).tobytes()


class Lookup:
    """Finds one query's terms in many vectors: the terms are hashed once."""

    def __init__(self, terms):
        self.wanted = sorted((term_hash(t), t) for t in set(terms))

    def __call__(self, vector: bytes) -> dict[str, list[int]]:
        """{term: [title, summary, body] frequency} of the wanted terms the vector has."""
        if not self.wanted or not vector:
            return {}
        size = len(vector) // _TERM_BYTES
        view = memoryview(vector)
        hashes = array("Q")
        hashes.frombytes(view[: 8 * size])
        _little_endian(hashes)
        counts = None
        found = {}
        for value, term in self.wanted:
            position = bisect_left(hashes, value)
            if position < size and hashes[position] == value:
                if counts is None:
                    counts = array("H")
                    counts.frombytes(view[8 * size :])
                    _little_endian(counts)
                found[term] = [counts[3 * position], counts[3 * position + 1], counts[3 * position + 2]]
        return found
