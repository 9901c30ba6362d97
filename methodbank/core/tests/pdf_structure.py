"""Reads a tagged PDF's structure back with pikepdf, as a screen reader's PDF layer would see it."""

import io
from dataclasses import dataclass, field

import pikepdf


@dataclass
class Element:
    tag: str
    lang: str | None
    alt: str | None
    attributes: dict
    text: list = field(default_factory=list)


@dataclass
class Structure:
    lang: str
    marked: bool
    display_doc_title: bool
    ua_part: str | None
    elements: list  # every structure element, depth first (document order)
    pages_outside: int  # structure elements whose /Pg is not a page of the document
    outline_titles: list
    page_count: int

    def tags(self, *names):
        return [e for e in self.elements if e.tag in names]

    @property
    def headings(self):
        return [(e.tag, e.lang) for e in self.elements if e.tag in ("H1", "H2", "H3", "H4", "H5", "H6")]


def read_structure(data: bytes) -> Structure:
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    page_ids = {page.obj.objgen for page in pdf.pages}
    elements, outside = [], 0

    def walk(node, inherited_lang):
        nonlocal outside
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") not in (None, "/StructElem"):
            return
        if "/S" not in node:
            return
        page = node.get("/Pg")
        if page is not None and page.objgen not in page_ids:
            outside += 1
        lang = str(node.Lang) if "/Lang" in node else inherited_lang
        attributes = node.get("/A")
        element = Element(
            tag=str(node.S)[1:],
            lang=lang,
            alt=str(node.Alt) if "/Alt" in node else None,
            attributes=dict(attributes.items()) if isinstance(attributes, pikepdf.Dictionary) else {},
        )
        elements.append(element)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, lang)

    struct_root = root.get("/StructTreeRoot")
    if struct_root is not None:
        kids = struct_root.K
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, str(root.get("/Lang", "")) or None)

    with pdf.open_metadata() as meta:
        ua_part = meta.get("pdfuaid:part")
    titles = []
    with pdf.open_outline() as outline:
        def collect(items):
            for item in items:
                titles.append(item.title)
                collect(item.children)
        collect(outline.root)
    mark_info = root.get("/MarkInfo")
    prefs = root.get("/ViewerPreferences")
    return Structure(
        lang=str(root.get("/Lang", "")),
        marked=bool(mark_info is not None and mark_info.get("/Marked")),
        display_doc_title=bool(prefs is not None and prefs.get("/DisplayDocTitle")),
        ua_part=ua_part,
        elements=elements,
        pages_outside=outside,
        outline_titles=titles,
        page_count=len(pdf.pages),
    ) if struct_root is not None else None


def assert_pdf_ua(data: bytes, *, lang: str) -> Structure:
    """The properties every PDF of the bank must have; returns the structure for further checks."""
    structure = read_structure(data)
    assert structure is not None, "the PDF has no structure tree (untagged)"
    assert structure.lang == lang
    assert structure.marked
    assert structure.display_doc_title
    assert structure.ua_part == "1"
    assert structure.pages_outside == 0
    assert structure.elements and structure.elements[0].tag == "Document"
    for figure in structure.tags("Figure"):
        assert figure.alt, "a figure without alternative text"
    # Headings never skip a level on the way down (H1 → H3).
    previous = 0
    for tag, _lang in structure.headings:
        level = int(tag[1])
        assert level <= previous + 1, f"{tag} after H{previous}"
        previous = level
    return structure
