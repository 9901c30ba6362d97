"""Signals catalog sends for the apps above it, which answer them without catalog importing them
(dependencies run one way). The report importer sends them around a bulk load; search answers by
deferring its index updates, indexing entries whose rows changed without model signals, and naming
the new entries that read almost like another."""

from django.dispatch import Signal

# Around a bulk load: receivers may defer per-save work to its end. ``completed`` is False when the
# load failed (its transaction is rolled back: nothing to do).
bulk_load_started = Signal()
bulk_load_finished = Signal()  # completed: bool

# Rows changed without model signals (bulk_create of keyword tags): practice_ids: set[int].
practices_changed_in_bulk = Signal()

# Asked after an import: receivers return [(new practice, similar practice, score)] for
# ``practices`` (the new entries); the importer shows them as possible duplicates.
near_duplicates_wanted = Signal()

# After an import, inside its transaction and after indexing: ``practices``, every entry of the
# report (new and updated). Search suggests their browse values from their text.
practices_imported = Signal()

# After an import, inside its transaction: ``source_key`` (the report's key) and ``findings`` (a list of
# importers.findings.Finding). Contributions keeps them as the data-quality queue.
import_findings = Signal()

# An entry was used in a way its team's usage figures count, sent inside the transaction that records
# the use: ``practice_id`` (int) and ``kind``. Kinds: "adoption" (another organisation's adoption of
# the entry was approved; the adoption service sends it). Usage counts it when the transaction commits.
practice_used = Signal()
