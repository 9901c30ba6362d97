"""The forward index: every indexed entry's terms with their frequencies per field, in one value.

The search reads a term's best postings to find candidates (retrieval.py), and then needs every
candidate's frequencies of *all* the query's terms: a word's other base forms, compound parts,
other languages and thesaurus expansions. Looking those up in the postings cost one index probe per
candidate and term, about 2,000 probes for a three-word query at 100,000 entries, half of a search's
time on SQLite and more on PostgreSQL. A term vector answers them with one probe per candidate.

Layout: one 14-byte record per term, sorted: an 8-byte key (the first 8 bytes of the term's blake2b
digest), then its title, summary and body frequency as little-endian 16-bit integers. The ranker
reads the vectors of all candidates as one NumPy array of records (``records``) and compares the
keys of the query's terms with all of them at once; a single vector is searched with ``bytes.find``.

Keys, not strings, keep a vector at 14 bytes a term. For a query term to read a wrong frequency, two
different terms of one entry would have to share a 64-bit key: about 1 in 10^16 per lookup.
Frequencies are stored up to 65,535 (BM25 saturates long before).
"""

from __future__ import annotations

import struct
from hashlib import blake2b

import numpy as np

_MAX_TF = 65535
_KEY_BYTES = 8
_RECORD = struct.Struct("<8s3H")
RECORD_BYTES = _RECORD.size  # 14
RECORD_DTYPE = np.dtype([("key", "<u8"), ("tf", "<u2", (3,))])  # packed: the same 14 bytes
_COUNTS = struct.Struct("<3H")


def term_key(term: str) -> bytes:
    return blake2b(term.encode(), digest_size=_KEY_BYTES).digest()


def term_key_number(term: str) -> int:
    """The key as the unsigned integer RECORD_DTYPE reads it."""
    return int.from_bytes(term_key(term), "little")


def encode(frequencies: dict[str, list[int] | tuple[int, int, int]]) -> bytes:
    """A term vector from {term: (title, summary, body) frequency}."""
    records = sorted((term_key(term), *(min(tf, _MAX_TF) for tf in tfs)) for term, tfs in frequencies.items())
    return b"".join(_RECORD.pack(*record) for record in records)


def records(vectors: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The records of many vectors as one array, and for each record the index of its vector."""
    data = b"".join(bytes(vector) for vector in vectors)
    sizes = [len(vector) // RECORD_BYTES for vector in vectors]
    return np.frombuffer(data, dtype=RECORD_DTYPE), np.repeat(np.arange(len(vectors)), sizes)


class Lookup:
    """Finds some terms in one vector at a time (the ranker's exclusions): the terms are hashed once."""

    def __init__(self, terms):
        self.wanted = sorted((term_key(t), t) for t in set(terms))

    def __call__(self, vector: bytes) -> dict[str, list[int]]:
        """{term: [title, summary, body] frequency} of the wanted terms the vector has."""
        if not self.wanted or not vector:
            return {}
        vector = bytes(vector)
        found = {}
        for key, term in self.wanted:
            at = vector.find(key)
            while at > 0 and at % RECORD_BYTES:  # found across two records: look further
                at = vector.find(key, at + 1)
            if at >= 0:
                found[term] = list(_COUNTS.unpack_from(vector, at + _KEY_BYTES))
        return found
