"""The DOCX report read back with python-docx: language, repeating header rows, alt text, headings."""

import io

import pytest
import segno
from docx import Document
from docx.oxml.ns import qn

from methodbank.reports.builder import build_report_context
from methodbank.reports.renderers import render_report
from methodbank.reports.renderers.docx import picture

from .factories import small_catalog, small_report_definition

pytestmark = pytest.mark.django_db

def _png():
    buffer = io.BytesIO()
    segno.make("https://example.org/").save(buffer, kind="png", scale=4)
    buffer.seek(0)
    return buffer


def _heading_levels(document):
    return [int(p.style.name.split()[-1]) for p in document.paragraphs if p.style.name.startswith("Heading ")]


@pytest.mark.parametrize("language, word_language", [("en", "en-GB"), ("sv", "sv-FI"), ("fi", "fi-FI")])
def test_docx_report_is_in_its_language_with_repeating_headers_and_no_skipped_heading(language, word_language):
    catalog = small_catalog()
    report = build_report_context(small_report_definition(catalog, language=language))
    document = Document(io.BytesIO(render_report(report, "docx")))

    # The document language: every run's default, the theme fonts' language and the properties.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == word_language
    assert document.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == word_language
    assert document.core_properties.language == word_language

    # The project table's header row repeats on every page and is announced as a header.
    assert document.tables
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))

    # Heading levels go down one at a time (1 → 2 → 3), never 1 → 3.
    levels = _heading_levels(document)
    assert levels[0] == 1
    assert all(level <= previous + 1 for previous, level in zip(levels, levels[1:], strict=False))

    # The Finnish entries of a Swedish or English report are marked Finnish; not in a Finnish one.
    body = document.element.body
    finnish_runs = [lang for lang in body.iter(qn("w:lang")) if lang.get(qn("w:val")) == "fi-FI"]
    assert bool(finnish_runs) == (language != "fi")


def test_docx_headings_never_skip_a_level_even_where_a_subtheme_has_no_name():
    catalog = small_catalog()
    definition = small_report_definition(catalog, language="en")
    # An introduction with an h4 and no h3 would put a Heading 3 straight under a Heading 1.
    definition.introduction = "<h4>Background</h4><p>Text.</p>"
    definition.save()
    report = build_report_context(definition)
    for theme in report["themes"]:
        for section in theme["subthemes"]:
            section["name"] = ""  # entries placed on the theme itself: no subtheme heading
    levels = _heading_levels(Document(io.BytesIO(render_report(report, "docx"))))
    assert all(level <= previous + 1 for previous, level in zip(levels, levels[1:], strict=False))
    assert 3 not in levels[: levels.index(2)] if 2 in levels else True


def test_a_picture_carries_its_alternative_text_and_one_without_is_refused():
    document = Document()
    picture(document, _png(), alt="Bar chart: 12 models, 30 good practices")
    out = io.BytesIO()
    document.save(out)
    reread = Document(io.BytesIO(out.getvalue()))
    doc_prs = list(reread.element.body.iter(qn("wp:docPr")))
    assert [d.get("descr") for d in doc_prs] == ["Bar chart: 12 models, 30 good practices"]
    with pytest.raises(ValueError, match="alternative text"):
        picture(document, _png(), alt=" ")
