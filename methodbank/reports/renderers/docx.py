"""DOCX through python-docx: real Heading 1–3 styles, a title page, a TOC field that Word and
LibreOffice fill in (the document asks to update fields on open), hyperlinks to the entries and a
table for the project list, so the coordinator can keep editing the report.

Accessibility (what Word's accessibility checker and a screen reader look for): the document
language is set in the default run properties and the settings, an entry written in another
language is marked with its own, heading levels never skip one on the way down, the project table's
header row repeats on every page (``w:tblHeader``), and every picture carries a description
(``wp:docPr/@descr``, see ``picture``)."""

import io
from html.parser import HTMLParser

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..templatetags.reports_tags import report_chart

LINK_COLOUR = RGBColor(0x00, 0x00, 0xBF)
# Word's language tags: the Finnish and Swedish of Finland, and English.
WORD_LANGUAGES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}


def _word_language(code: str) -> str:
    return WORD_LANGUAGES.get((code or "").split("-")[0], code or "fi-FI")


def _set_document_language(document, code: str) -> None:
    """The language of every run that does not say otherwise (styles' run defaults) and of the
    theme fonts (settings), so spell-checking and screen readers use the report's language."""
    language = _word_language(code)
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), language)


def _run_language(run_properties, code: str) -> None:
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), _word_language(code))
    run_properties.append(lang)


def _repeat_header_row(row) -> None:
    """Mark a table row as a header row: repeated on every page and announced as headers."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def picture(document, image, *, alt: str, width=None):
    """A picture (a chart, a logo) in its own paragraph, with its alternative text in
    ``wp:docPr/@descr`` (Word's "Alt Text"). A picture without one is refused."""
    if not alt or not alt.strip():
        raise ValueError("A picture in a report needs alternative text.")
    run = document.add_paragraph().add_run()
    shape = run.add_picture(image, width=width)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt.strip())
    doc_pr.set("title", alt.strip())
    return shape


class _Headings:
    """Adds headings one level at most below the previous one, so the outline never skips a level
    (a subtheme without a name, or an h4 in a text without an h3, would otherwise jump from 1 to 3)."""

    def __init__(self, document):
        self.document = document
        self.level = 0

    def add(self, text="", level=1):
        level = max(1, min(level, self.level + 1))
        self.level = level
        return self.document.add_heading(text, level=level)


def _field(paragraph, instruction: str, placeholder: str = ""):
    """A complex field (fldChar begin/separate/end): Word and LibreOffice recompute it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    if placeholder:
        paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _hyperlink(paragraph, url: str, text: str, *, bold=False, language=None):
    part = paragraph.part
    r_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK_COLOUR))
    props.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    if bold:
        props.append(OxmlElement("w:b"))
    if language:
        _run_language(props, language)
    run.append(props)
    text_el = OxmlElement("w:t")
    text_el.set(qn("xml:space"), "preserve")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


class _RichTextWriter(HTMLParser):
    """Writes the sanitised rich text (see richtext.ALLOWED_TAGS) as DOCX paragraphs."""

    def __init__(self, document, heading_base: int, headings):
        super().__init__(convert_charrefs=True)
        self.document = document
        self.headings = headings
        self.heading_base = heading_base
        self.paragraph = None
        self.bold = 0
        self.italic = 0
        self.lists = []
        self.href = None
        self.link_text = []

    def _ensure_paragraph(self):
        if self.paragraph is None:
            self.paragraph = self.document.add_paragraph()
        return self.paragraph

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "blockquote"):
            self.paragraph = self.document.add_paragraph(style="Quote" if tag == "blockquote" else None)
        elif tag in ("h3", "h4"):
            level = min(self.heading_base + (0 if tag == "h3" else 1), 3)
            self.paragraph = self.headings.add(level=level)
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self.paragraph = self.document.add_paragraph(style=style)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br":
            self._ensure_paragraph().add_run().add_break(WD_BREAK.LINE)
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag):
        if tag in ("p", "blockquote", "h3", "h4", "li"):
            self.paragraph = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            text = "".join(self.link_text)
            if self.href:
                _hyperlink(self._ensure_paragraph(), self.href, text, bold=bool(self.bold))
            else:
                self._ensure_paragraph().add_run(text)
            self.href = None
            self.link_text = []

    def handle_data(self, data):
        if self.href is not None:
            self.link_text.append(data)
            return
        if self.paragraph is None and not data.strip():
            return
        run = self._ensure_paragraph().add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None


def _rich_text(document, html: str, *, headings, heading_base=2):
    writer = _RichTextWriter(document, heading_base, headings)
    writer.feed(html or "")
    writer.close()


def _entry(document, entry, report_language):
    # An entry keeps the language it was written in (published reports made before this have none).
    language = entry.get("language")
    language = language if language and language != report_language else None
    paragraph = document.add_paragraph(style="List Bullet")
    _hyperlink(paragraph, entry["url"], entry["title"], bold=True, language=language)
    if entry["project"]:
        run = paragraph.add_run(f" ({entry['project']})")
        if language:
            _run_language(run._r.get_or_add_rPr(), language)
    if entry["summary"]:
        summary = document.add_paragraph(style="List Continue")
        run = summary.add_run(entry["summary"])
        if language:
            _run_language(run._r.get_or_add_rPr(), language)
        summary.paragraph_format.space_after = Pt(6)


def _figures_table(document, data):
    """A chart of the report as its table of figures: an SVG chart cannot simply be embedded in a
    DOCX, and the figures are what a reader (and a screen reader) needs. The table carries its
    caption as a visible Caption paragraph and as the table's own title and description."""
    chart = report_chart(data, "docx")
    document.add_paragraph(chart.title, style="Caption")
    table = document.add_table(rows=1, cols=1 + len(chart.series))
    table.style = "Table Grid"
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), chart.title)
    table._tbl.tblPr.append(caption)
    description = OxmlElement("w:tblDescription")
    description.set(qn("w:val"), chart.description)
    table._tbl.tblPr.append(description)
    _repeat_header_row(table.rows[0])
    for cell, text in zip(table.rows[0].cells, [chart.label_heading, *(s.name for s in chart.series)], strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for label, values in chart.rows:
        cells = table.add_row().cells
        cells[0].text = label
        for cell, value in zip(cells[1:], values, strict=True):
            cell.text = value


def _evaluation(document, evaluation):
    """An evaluated model's latest peer evaluation: per criterion, the answers per level as a table."""
    document.add_paragraph(
        _(
            "Peer evaluation of %(date)s: %(individual)s individual forms and %(groups)s group assessments. "
            "Answers per level for each criterion:"
        )
        % {"date": evaluation["date"], "individual": evaluation["individual_count"],
           "groups": evaluation["group_count"]},
        style="List Continue",
    )
    for data in evaluation["charts"]:
        _figures_table(document, data)
    if evaluation["history"]:
        document.add_paragraph(
            _(
                "The model has been evaluated more than once: the mean level of each criterion at each "
                "evaluation (scale 1–4)."
            ),
            style="List Continue",
        )
        for data in evaluation["history"]:
            _figures_table(document, data)


def _chapter(headings, title):
    heading = headings.add(title, level=1)
    heading.paragraph_format.page_break_before = True
    return heading


def render(report: dict, *, version=None) -> bytes:
    with translation.override(report["definition"]["language"]):
        return _render(report, version=version)


def _render(report: dict, *, version=None) -> bytes:
    definition = report["definition"]
    document = Document()
    document.core_properties.title = definition["title"]
    document.core_properties.subject = definition["subtitle"]
    document.core_properties.author = definition["issued_by"] or "Menetelmäpankki"
    document.core_properties.language = _word_language(definition["language"])
    _set_document_language(document, definition["language"])
    headings = _Headings(document)
    language = definition["language"]
    # Ask Word/LibreOffice to refresh the TOC and page fields when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)

    # Footer with the page number.
    footer = document.sections[0].footer.paragraphs[0]
    _field(footer, "PAGE", "1")

    # Title page.
    if definition["issued_by"]:
        document.add_paragraph(definition["issued_by"])
    document.add_paragraph(definition["title"], style="Title")
    if definition["subtitle"]:
        document.add_paragraph(definition["subtitle"], style="Subtitle")
    generated = _("Generated from the method bank on %(date)s") % {"date": report["generated_on"]}
    if version:
        generated += " · " + _("version %(version)s") % {"version": version}
    document.add_paragraph(generated)

    # Table of contents: a TOC field over Heading 1–3 with hyperlinks.
    toc_heading = document.add_paragraph(_("Contents"), style="TOC Heading")
    toc_heading.paragraph_format.page_break_before = True
    _field(
        document.add_paragraph(),
        'TOC \\o "1-3" \\h \\z \\u',
        _("Update the table of contents (F9 in Word, Tools › Update in LibreOffice)."),
    )

    if report["preface_html"]:
        _chapter(headings, _("Preface"))
        _rich_text(document, report["preface_html"], headings=headings)
    if report["introduction_html"]:
        _chapter(headings, _("Introduction"))
        _rich_text(document, report["introduction_html"], headings=headings)

    newest = report.get("newest_period")
    # The period by its dates: a report is read long after its newest period has ended.
    new_label = _("New in %(dates)s") % {"dates": newest["dates"]} if newest else _("New in the newest period")
    for theme in report["themes"]:
        _chapter(headings, theme["title"])
        _rich_text(document, theme["intro_html"], headings=headings)
        counts = theme["counts"]
        document.add_paragraph(
            " · ".join(
                [
                    f"{_('Models')}: {counts['models']}",
                    f"{_('Good practices')}: {counts['good_practices']}",
                    f"{_('Entries in all')}: {counts['entries']}",
                    f"{new_label}: {counts['new']}",
                ]
            )
        ).runs[0].bold = True
        for section in theme["subthemes"]:
            if section["name"]:
                headings.add(section["name"], level=2)
            description_language = section.get("description_language")
            for paragraph in section["description"]:
                run = document.add_paragraph().add_run(paragraph)
                if description_language and description_language != language:
                    _run_language(run._r.get_or_add_rPr(), description_language)
            if section["models"]:
                headings.add(_("Models"), level=3)
                for entry in section["models"]:
                    _entry(document, entry, language)
                    if entry.get("evaluation"):
                        _evaluation(document, entry["evaluation"])
            for group in section["periods"]:
                headings.add(group["label"], level=3)
                for entry in group["entries"]:
                    _entry(document, entry, language)

    if report.get("most_adopted"):
        _chapter(headings, _("Most adopted models"))
        document.add_paragraph(_(
            "The models of this report that organisations have recorded adopting, as approved by the bank's "
            "coordinators. An organisation counts once per model."
        ))
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        caption = OxmlElement("w:tblCaption")
        caption.set(qn("w:val"), _("Most adopted models"))
        table._tbl.tblPr.append(caption)
        _repeat_header_row(table.rows[0])
        for cell, text in zip(table.rows[0].cells, (_("Model"), _("Organisations"), _("Regions")), strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for model in report["most_adopted"]:
            cells = table.add_row().cells
            cells[0].text = model["title"]
            cells[1].text = str(model["organisations"])
            cells[2].text = ", ".join(f"{region['name']} {region['count']}" for region in model["regions"])

    if report["annex_themes"]:
        _chapter(headings, _("Annex 1: Project descriptions by theme"))
        for annex in report["annex_themes"]:
            headings.add(annex["title"], level=2)
            for group in annex["groups"]:
                headings.add(group["label"], level=3)
                for project in group["projects"]:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(project["name"]).bold = True
                    if project["lead"]:
                        paragraph.add_run(f" ({_('lead')}: {project['lead']})")
                    for text in project["description"]:
                        document.add_paragraph(text)

    if report["annex_list"]:
        _chapter(headings, _("Annex 2: List of projects"))
        for group in report["annex_list"]:
            headings.add(group["label"], level=2)
            table = document.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            caption = OxmlElement("w:tblCaption")
            caption.set(qn("w:val"), group["label"])
            table._tbl.tblPr.append(caption)
            _repeat_header_row(table.rows[0])
            header = table.rows[0].cells
            for cell, text in zip(header, (_("Project"), _("Lead implementer"), _("End date")), strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for project in group["projects"]:
                cells = table.add_row().cells
                cells[0].text = project["name"]
                cells[1].text = project["lead"]
                cells[2].text = project["ends_on"]

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
