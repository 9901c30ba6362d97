"""Every PDF the bank writes goes through here: tagged PDF/UA-1 from HTML with WeasyPrint.

Tagged PDF gives a screen reader what the HTML has: the document language, headings, lists,
tables with header cells, link annotations tied to their text, alternative text of images and the
bookmarks. The HTML must carry a ``lang`` on its root and ``alt`` on every image; WeasyPrint
derives the structure tree from the markup.

WeasyPrint 70 ignores ``lang`` below the root, so a passage in another language (a Finnish entry
title in a Swedish report) would be read with the wrong voice. ``_tag_languages`` adds ``/Lang``
to the structure element of every box whose HTML element says its language.

A large document laid out in parts (see reports/renderers/pdf.py) is joined by ``join_tagged``,
which keeps each part's structure tree, parent tree, bookmarks and named destinations.
"""

import io
import logging
from functools import cache

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs every CSS property it does not know at WARNING; the bank's CSS is known-good.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


@cache
def _tag_languages() -> None:
    """Wrap WeasyPrint's structure-tree builder so that an element's ``lang`` becomes ``/Lang``."""
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_with_languages(box, parent, pdf, *args):
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and getattr(box, "element_tag", None) != "html" else None
        for struct in build(box, parent, pdf, *args):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    # The builder calls itself through the module global, so nested boxes come through here too.
    tags._build_box_tree = build_with_languages


def layout(html: str, *, base_url: str):
    """Lay out an HTML document (a WeasyPrint Document: pages, anchors) ready for ``write``."""
    from weasyprint import HTML

    _tag_languages()
    return HTML(string=html, base_url=base_url).render(pdf_variant=PDF_VARIANT)


def write(document) -> bytes:
    """A laid-out document as tagged PDF/UA-1."""
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    return write(layout(html, base_url=base_url))


def join_tagged(parts: list[bytes], *, page_label=None) -> bytes:
    """Join tagged PDFs made from one HTML source into one tagged PDF.

    The first part's catalog (language, metadata with the PDF/UA identifier, viewer preferences)
    is kept. Every later part's pages, structure elements, parent-tree entries (renumbered after
    the ones already present), bookmarks and named destinations are copied in, so headings stay in
    document order and the table of contents' links reach their chapters. ``page_label(number,
    total)``, if given, is stamped at the foot of every page but the first as a pagination
    artifact, outside the structure tree.
    """
    import pikepdf

    out = pikepdf.open(io.BytesIO(parts[0]))
    # A later part's destination wins over an earlier placeholder of the same name.
    dests = _dests(out)
    outline_items = _outline_entries(out, out)
    tagged = "/StructTreeRoot" in out.Root
    if tagged:
        struct_root = out.Root.StructTreeRoot
        document_element = struct_root.K[0]
        nums = struct_root.ParentTree.Nums
        next_key = _next_key(nums)

    for data in parts[1:]:
        part = pikepdf.open(io.BytesIO(data))
        first_new_page = len(out.pages)
        out.pages.extend(part.pages)
        dests.update(_dests(part, into=out))
        outline_items += _outline_entries(part, out)
        if not tagged:  # only bench/report_bench.py's untagged baseline
            continue
        part_struct = part.Root.StructTreeRoot
        offset = next_key
        part_nums = part_struct.ParentTree.Nums
        for index in range(0, len(part_nums), 2):
            nums.append(int(part_nums[index]) + offset)
            nums.append(_copy(out, part_nums[index + 1]))
        for kid in part_struct.K[0].K:
            copied = _copy(out, kid)
            copied.P = document_element
            document_element.K.append(copied)
        seen_annotations = set()
        for page in out.pages[first_new_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if annotation.objgen in seen_annotations or "/StructParent" not in annotation:
                    continue
                seen_annotations.add(annotation.objgen)
                annotation.StructParent = int(annotation.StructParent) + offset
        next_key = _next_key(nums)

    if tagged:
        struct_root.ParentTreeNextKey = next_key
    _write_dests(out, dests)
    _write_outline(out, outline_items)
    if page_label is not None:
        _stamp_pages(out, page_label)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _copy(out, obj):
    """Copy a foreign object into ``out``; direct arrays and dictionaries are copied member by member
    (qpdf copies only indirect objects), and objects already copied (pages) are reused."""
    import pikepdf

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _next_key(nums) -> int:
    keys = [int(nums[index]) for index in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _dests(pdf, *, into=None) -> dict:
    import pikepdf

    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    tree = pikepdf.NameTree(names.Dests)
    return {str(name): (_copy(into, dest) if into is not None else dest) for name, dest in tree.items()}


def _write_dests(out, dests: dict) -> None:
    import pikepdf

    if not dests:
        return
    array = pikepdf.Array()
    for name in sorted(dests):
        array.append(pikepdf.String(name))
        array.append(dests[name])
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    out.Root.Names.Dests = out.make_indirect(pikepdf.Dictionary(Names=array))


def _outline_entries(pdf, out) -> list:
    """(title, destination, children) of every bookmark, destinations copied into ``out``."""

    def walk(item):
        entries = []
        while item is not None:
            dest = item.get("/Dest")
            if dest is not None and pdf is not out:
                dest = _copy(out, dest)
            entries.append((str(item.Title), dest, walk(item.get("/First"))))
            item = item.get("/Next")
        return entries

    outlines = pdf.Root.get("/Outlines")
    return walk(outlines.get("/First")) if outlines is not None else []


def _write_outline(out, entries: list) -> None:
    import pikepdf

    def build(items):
        built = []
        for title, dest, children in items:
            item = pikepdf.OutlineItem(title, destination=dest)
            item.children.extend(build(children))
            built.append(item)
        return built

    with out.open_outline() as outline:
        outline.root.clear()
        outline.root.extend(build(entries))


def _stamp_pages(out, page_label) -> None:
    import pikepdf

    font = out.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
                           Encoding=pikepdf.Name.WinAnsiEncoding)
    )
    total = len(out.pages)
    for number, page in enumerate(out.pages, start=1):
        if number == 1:
            continue
        text = page_label(number, total)
        x = float(page.mediabox[2]) / 2 - len(text) * 2.5
        page.add_resource(font, pikepdf.Name.Font, "/MBPageNo", replace_existing=True)
        # Marked as a pagination artifact so assistive technology skips it (PDF/UA 7.8).
        stamp = (
            "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
            f"q BT /MBPageNo 9 Tf {x:.2f} 34 Td ({text}) Tj ET Q\nEMC\n"
        ).encode("latin-1")
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(out, b"Q\n" + stamp))
