"""The vocabulary as data: SKOS (Turtle) and CSV, both ways.

Both formats carry the same record per concept (``ConceptRecord``): identifier, category,
provenance, preferred labels in Finnish, Swedish and English, notes and every other label with its
language and kind. Exporting and importing again gives back the same concepts, byte for byte.

SKOS: each concept is a ``skos:Concept`` in the vocabulary's scheme and in its category's scheme
(the categories are schemes of their own, with names in three languages, so that any SKOS tool can
browse them). Alternative labels are ``skos:altLabel``, hidden ones ``skos:hiddenLabel``;
abbreviations and colloquial labels are also ``skos:altLabel`` (what a SKOS tool shows) and in
addition marked by this vocabulary's own sub-properties, so that an import gives them back their
kind. Provenance is ``dct:source`` (the glossary's address) and ``mp:provenance`` (its code).

CSV: one row per concept; a label cell holds labels separated by `` | ``, each ``text@fi``,
``text@sv``, ``text@en`` or just ``text`` (any language).

Related concepts are ``skos:related`` (both ways, as SKOS has it) and, in CSV, the ``related`` cell:
identifiers separated by `` | ``. An identifier that names no concept of the file or the database
is left out on import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Concept, ConceptCategory, ConceptProvenance, LabelKind, LabelLanguage, label_problem

LANGUAGES = ("fi", "sv", "en")
LABEL_MAX = 200
NOTES_MAX = 5000
SEPARATOR = " | "

# Where the provenance codes point to (dct:source); the catalog and coordinators have no address
# outside the bank itself.
PROVENANCE_SOURCES = {
    ConceptProvenance.OPH: "https://www.oph.fi/",
    ConceptProvenance.FINLEX: "https://www.finlex.fi/",
    ConceptProvenance.TERMIPANKKI: "https://tieteentermipankki.fi/",
    ConceptProvenance.YSO: "http://www.yso.fi/onto/yso/",
}

CSV_COLUMNS = [
    "identifier",
    "category",
    "provenance",
    "pref_label_fi",
    "pref_label_sv",
    "pref_label_en",
    "alt_labels",
    "abbreviations",
    "colloquial_labels",
    "hidden_labels",
    "notes",
    "related",
]
CSV_KIND_COLUMNS = {
    "alt_labels": LabelKind.ALTERNATIVE,
    "abbreviations": LabelKind.ABBREVIATION,
    "colloquial_labels": LabelKind.COLLOQUIAL,
    "hidden_labels": LabelKind.HIDDEN,
}


class VocabularyFormatError(ValueError):
    """The file cannot be read as a vocabulary; ``errors`` lists every problem found (with where)."""

    def __init__(self, errors: list[str]):
        super().__init__(
            "; ".join(errors[:20]) + (f" (+{len(errors) - 20} more)" if len(errors) > 20 else "")
        )
        self.errors = errors


@dataclass
class ConceptRecord:
    identifier: str
    category: str
    provenance: str
    pref_label_fi: str
    pref_label_sv: str = ""
    pref_label_en: str = ""
    notes: str = ""
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # (text, language, kind)
    related: list[str] = field(default_factory=list)  # identifiers of related concepts

    def normalised(self) -> ConceptRecord:
        seen, labels = set(), []
        for text, language, kind in self.labels:
            text = " ".join(text.split())
            if text and (text, language) not in seen:
                seen.add((text, language))
                labels.append((text, language, kind))
        return ConceptRecord(
            identifier=self.identifier.strip(),
            category=self.category.strip(),
            provenance=self.provenance.strip(),
            pref_label_fi=" ".join(self.pref_label_fi.split()),
            pref_label_sv=" ".join(self.pref_label_sv.split()),
            pref_label_en=" ".join(self.pref_label_en.split()),
            notes=self.notes.strip().replace("\r\n", "\n"),
            labels=sorted(labels, key=lambda label: (label[2], label[1], label[0].lower(), label[0])),
            related=sorted({r.strip() for r in self.related if r.strip() and r.strip() != self.identifier.strip()}),
        )

    def problems(self) -> list[str]:
        problems = []
        if not re.fullmatch(r"[-a-zA-Z0-9_]{1,120}", self.identifier):
            problems.append(
                _("identifier %(value)r must be 1-120 letters a-z, digits, - or _")
                % {"value": self.identifier}
            )
        if self.category not in ConceptCategory.values:
            problems.append(_("unknown category %(value)r") % {"value": self.category})
        if self.provenance not in ConceptProvenance.values:
            problems.append(_("unknown provenance %(value)r") % {"value": self.provenance})
        if not self.pref_label_fi:
            problems.append(_("the Finnish preferred label is missing"))
        if len(self.notes) > NOTES_MAX:
            problems.append(_("the notes are longer than %(max)s characters") % {"max": NOTES_MAX})
        texts = [self.pref_label_fi, self.pref_label_sv, self.pref_label_en] + [
            t for t, _l, _k in self.labels
        ]
        for text in texts:
            if len(text) > LABEL_MAX:
                problems.append(_("label %(value)r is longer than %(max)s characters") % {"value": text[:40], "max": LABEL_MAX})
            if label_problem(text):
                problems.append(f"{text[:40]!r}: {label_problem(text)}")
        for other in self.related:
            if not re.fullmatch(r"[-a-zA-Z0-9_]{1,120}", other):
                problems.append(_("related identifier %(value)r is not an identifier") % {"value": other[:40]})
        for _text, language, kind in self.labels:
            if language not in LabelLanguage.values:
                problems.append(_("unknown label language %(value)r") % {"value": language})
            if kind not in LabelKind.values:
                problems.append(_("unknown label kind %(value)r") % {"value": kind})
        return problems


def records_from_database() -> list[ConceptRecord]:
    return [
        ConceptRecord(
            identifier=concept.identifier,
            category=concept.category,
            provenance=concept.provenance,
            pref_label_fi=concept.pref_label_fi,
            pref_label_sv=concept.pref_label_sv,
            pref_label_en=concept.pref_label_en,
            notes=concept.notes,
            labels=[(label.text, label.language, label.kind) for label in concept.labels.all()],
            related=[other.identifier for other in concept.related.all()],
        ).normalised()
        for concept in Concept.objects.prefetch_related("labels", "related").order_by("identifier")
    ]


def validate(records: list[ConceptRecord], where: list[str]) -> list[ConceptRecord]:
    errors, seen = [], {}
    records = [record.normalised() for record in records]
    for record, place in zip(records, where, strict=True):
        errors += [f"{place}: {problem}" for problem in record.problems()]
        if record.identifier in seen:
            errors.append(
                f"{place}: "
                + _("identifier %(value)r also at %(other)s")
                % {"value": record.identifier, "other": seen[record.identifier]}
            )
        seen.setdefault(record.identifier, place)
    if errors:
        raise VocabularyFormatError(errors)
    return records


# --- CSV -----------------------------------------------------------------------------------------


def _label_cell(labels, kind) -> str:
    return SEPARATOR.join(
        f"{text}@{language}" if language else text for text, language, k in labels if k == kind
    )


def _parse_label_cell(cell: str, kind: str) -> list[tuple[str, str, str]]:
    result = []
    for part in (cell or "").split("|"):
        part = part.strip()
        if not part:
            continue
        text, at, language = part.rpartition("@")
        if at and language in LANGUAGES and text.strip():
            result.append((text.strip(), language, kind))
        else:
            result.append((part, "", kind))
    return result


def to_csv(records: list[ConceptRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(
            [
                record.identifier,
                record.category,
                record.provenance,
                record.pref_label_fi,
                record.pref_label_sv,
                record.pref_label_en,
            ]
            + [_label_cell(record.labels, kind) for kind in CSV_KIND_COLUMNS.values()]
            + [record.notes, SEPARATOR.join(record.related)]
        )
    return out.getvalue()


def from_csv(text: str) -> list[ConceptRecord]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        c
        for c in ("identifier", "category", "provenance", "pref_label_fi")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise VocabularyFormatError(
            [_("the CSV file has no column %(columns)s") % {"columns": ", ".join(missing)}]
        )
    records, where = [], []
    try:
        for row in reader:
            if None in row:
                raise VocabularyFormatError(
                    [_("line %(line)s: more cells than columns") % {"line": reader.line_num}]
                )
            labels = []
            for column, kind in CSV_KIND_COLUMNS.items():
                labels += _parse_label_cell(row.get(column) or "", kind)
            records.append(
                ConceptRecord(
                    identifier=row.get("identifier") or "",
                    category=row.get("category") or "",
                    provenance=row.get("provenance") or "",
                    pref_label_fi=row.get("pref_label_fi") or "",
                    pref_label_sv=row.get("pref_label_sv") or "",
                    pref_label_en=row.get("pref_label_en") or "",
                    notes=row.get("notes") or "",
                    labels=labels,
                    related=[r for r in (row.get("related") or "").split("|") if r.strip()],
                )
            )
            where.append(_("line %(line)s") % {"line": reader.line_num})
    except csv.Error as exc:
        raise VocabularyFormatError([_("not a CSV file: %(error)s") % {"error": exc}]) from None
    return validate(records, where)


# --- SKOS (Turtle) -------------------------------------------------------------------------------


def _namespaces():
    from rdflib import Namespace

    base = settings.SITE_URL.rstrip("/") + "/vocabulary/"
    return Namespace(base), Namespace(base + "scheme/"), Namespace(base + "ns#")


def to_turtle(records: list[ConceptRecord]) -> str:
    from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS

    concept_ns, scheme_ns, mp = _namespaces()
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    graph.bind("mp", mp)
    graph.bind("concept", concept_ns)
    graph.bind("scheme", scheme_ns)

    vocabulary = URIRef(str(concept_ns))
    graph.add((vocabulary, RDF.type, SKOS.ConceptScheme))
    names = {
        "fi": "Menetelmäpankin sanasto",
        "sv": "Metodbankens vokabulär",
        "en": "Menetelmäpankki vocabulary",
    }
    for language, name in names.items():
        graph.add((vocabulary, SKOS.prefLabel, Literal(name, lang=language)))
    for prop, parent in ((mp.abbreviation, SKOS.altLabel), (mp.colloquialLabel, SKOS.altLabel)):
        graph.add((prop, RDFS.subPropertyOf, parent))
    for category in ConceptCategory:
        scheme = scheme_ns[category.value]
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        for language in LANGUAGES:
            with translation.override(language):
                graph.add((scheme, SKOS.prefLabel, Literal(str(category.label), lang=language)))

    kind_properties = {
        LabelKind.ALTERNATIVE: [SKOS.altLabel],
        LabelKind.ABBREVIATION: [mp.abbreviation, SKOS.altLabel],
        LabelKind.COLLOQUIAL: [mp.colloquialLabel, SKOS.altLabel],
        LabelKind.HIDDEN: [SKOS.hiddenLabel],
    }
    for record in records:
        subject = concept_ns[record.identifier]
        graph.add((subject, RDF.type, SKOS.Concept))
        graph.add((subject, SKOS.inScheme, vocabulary))
        graph.add((subject, SKOS.inScheme, scheme_ns[record.category]))
        graph.add((subject, mp.provenance, Literal(record.provenance)))
        if record.provenance in PROVENANCE_SOURCES:
            graph.add((subject, DCTERMS.source, URIRef(PROVENANCE_SOURCES[record.provenance])))
        for language in LANGUAGES:
            text = getattr(record, f"pref_label_{language}")
            if text:
                graph.add((subject, SKOS.prefLabel, Literal(text, lang=language)))
        if record.notes:
            graph.add((subject, SKOS.note, Literal(record.notes)))
        for text, language, kind in record.labels:
            for prop in kind_properties[kind]:
                graph.add((subject, prop, Literal(text, lang=language or None)))
        for other in record.related:
            graph.add((subject, SKOS.related, concept_ns[other]))
    return graph.serialize(format="turtle")


def from_turtle(text: str) -> list[ConceptRecord]:
    from rdflib import RDF, SKOS, Graph, Literal
    from rdflib.namespace import DCTERMS

    _concept_ns, scheme_ns, mp = _namespaces()
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds of parse errors
        raise VocabularyFormatError([_("not a Turtle file: %(error)s") % {"error": str(exc)[:300]}]) from None

    source_codes = {url: code for code, url in PROVENANCE_SOURCES.items()}
    records, where = [], []
    for subject in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):
        identifier = re.split(r"[/#]", str(subject).rstrip("/"))[-1]
        category = ""
        for scheme in graph.objects(subject, SKOS.inScheme):
            if str(scheme).startswith(str(scheme_ns)):
                category = str(scheme)[len(str(scheme_ns)) :]
        provenance = str(graph.value(subject, mp.provenance) or "")
        if not provenance:
            sources = [source_codes.get(str(s)) for s in graph.objects(subject, DCTERMS.source)]
            provenance = next((s for s in sources if s), ConceptProvenance.COORDINATORS.value)
        pref = dict.fromkeys(LANGUAGES, "")
        for label in graph.objects(subject, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language in pref and not pref[label.language]:
                pref[label.language] = str(label)
        labels, taken = [], set()

        def collect(prop, kind, labels=labels, taken=taken, subject=subject):
            for label in sorted(
                graph.objects(subject, prop), key=lambda literal: (str(literal), literal.language or "")
            ):
                if not isinstance(label, Literal):
                    continue
                language = label.language if label.language in LANGUAGES else ""
                if (str(label), language) not in taken:
                    taken.add((str(label), language))
                    labels.append((str(label), language, kind))

        # The specific kinds first: an abbreviation is also written as skos:altLabel.
        collect(mp.abbreviation, LabelKind.ABBREVIATION)
        collect(mp.colloquialLabel, LabelKind.COLLOQUIAL)
        collect(SKOS.altLabel, LabelKind.ALTERNATIVE)
        collect(SKOS.hiddenLabel, LabelKind.HIDDEN)
        notes = "\n\n".join(sorted(str(n) for n in graph.objects(subject, SKOS.note)))
        # Either direction: a file may state skos:related on one side only.
        related = {
            re.split(r"[/#]", str(other).rstrip("/"))[-1]
            for prop_subject in (graph.objects(subject, SKOS.related), graph.subjects(SKOS.related, subject))
            for other in prop_subject
        }
        records.append(
            ConceptRecord(
                identifier=identifier,
                category=category or ConceptCategory.METHOD.value,
                provenance=provenance,
                pref_label_fi=pref["fi"],
                pref_label_sv=pref["sv"],
                pref_label_en=pref["en"],
                notes=notes,
                labels=labels,
                related=sorted(related),
            )
        )
        where.append(str(subject))
    if not records:
        raise VocabularyFormatError([_("the file has no skos:Concept")])
    return validate(records, where)


FORMATS = {"ttl": (to_turtle, from_turtle, "text/turtle"), "csv": (to_csv, from_csv, "text/csv")}
