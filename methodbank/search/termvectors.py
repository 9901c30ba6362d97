"""The forward index: every indexed entry's terms with their frequencies per field, in one value.

The search reads a term's best postings to find candidates (retrieval.py), and then needs every
candidate's frequencies of *all* the query's terms: a word's other base forms, compound parts,
other languages and thesaurus expansions. Looking those up in the postings cost one index probe per
candidate and term, about 2,000 probes for a three-word query at 100,000 entries, half of a search's
time on SQLite and more on PostgreSQL. A term vector answers them with one probe per candidate.

Layout: the entry's terms as 8-byte keys (the first 8 bytes of their blake2b digest), then for each
term its title, summary and body frequency as little-endian 16-bit integers, in the same order. A
query term is found with one ``bytes.find`` of its key (run in C; a match that is not on an 8-byte
boundary is skipped), so nothing is decoded but the frequencies of the terms found.

Keys, not strings, keep a vector at 14 bytes a term. For a query term to read a wrong frequency, two
different terms of one entry would have to share a 64-bit key: about 1 in 10^16 per lookup.
Frequencies are stored up to 65,535 (BM25 saturates long before).
"""

from __future__ import annotations

import struct
from hashlib import blake2b

_MAX_TF = 65535
_KEY_BYTES = 8
_TERM_BYTES = _KEY_BYTES + 6
_COUNTS = struct.Struct("<3H")


def term_key(term: str) -> bytes:
    return blake2b(term.encode(), digest_size=_KEY_BYTES).digest()


def encode(frequencies: dict[str, list[int] | tuple[int, int, int]]) -> bytes:
    """A term vector from {term: (title, summary, body) frequency}."""
    items = sorted((term_key(term), tfs) for term, tfs in frequencies.items())
    keys = b"".join(key for key, _tfs in items)
    counts = b"".join(_COUNTS.pack(*(min(tf, _MAX_TF) for tf in tfs)) for _key, tfs in items)
    return keys + counts


def scan(vector: bytes, wanted: list[tuple[bytes, object]]) -> list[tuple[int, int, int, object]]:
    """(title, summary, body frequency, payload) of each (key, payload) in ``wanted`` that the vector
    has. The ranker's inner loop (ranking.Scorer): one call per candidate."""
    if not vector:
        return []
    if not isinstance(vector, bytes):  # a memoryview from some database drivers
        vector = bytes(vector)
    end = len(vector) // _TERM_BYTES * _KEY_BYTES
    find, unpack = vector.find, _COUNTS.unpack_from
    found = []
    for key, payload in wanted:
        at = find(key, 0, end)
        while at > 0 and at % _KEY_BYTES:  # found across two keys: look further
            at = find(key, at + 1, end)
        if at >= 0:
            found.append((*unpack(vector, end + at // _KEY_BYTES * 6), payload))
    return found


class Lookup:
    """Finds one query's terms in many vectors: the terms are hashed once."""

    def __init__(self, terms):
        self.wanted = sorted((term_key(t), t) for t in set(terms))

    def __call__(self, vector: bytes) -> dict[str, list[int]]:
        """{term: [title, summary, body] frequency} of the wanted terms the vector has."""
        return {term: [a, b, c] for a, b, c, term in scan(vector, self.wanted)}
