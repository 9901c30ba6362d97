"""The one PDF writer: tagged PDF/UA-1 with languages, headings, lists, tables, figures and links."""

import io

import pikepdf

from methodbank.core.pdf import html_to_pdf, join_tagged

from .pdf_structure import assert_pdf_ua

CHART = (
    "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'>"
    "<rect width='30' height='20'/></svg>"
)

HTML = f"""<!DOCTYPE html><html lang="sv"><head><title>Rapport</title></head><body>
<h1>Rapport</h1>
<p>Modellen <span lang="fi">Tutustujan perehdytys</span> är finsk.</p>
<h2 id="lista">Lista</h2>
<ul><li>ett</li><li>två</li></ul>
<h2>Tabell</h2>
<table><thead><tr><th scope="col">Projekt</th><th scope="col">Slutdatum</th></tr></thead>
<tbody><tr><td>SOPU</td><td>2021</td></tr></tbody></table>
<h3>Diagram</h3>
<img src="{CHART}" alt="Stapeldiagram: 30 av 40">
<p><a href="https://example.org/practice/1">Tutustujan perehdytys (modell)</a></p>
</body></html>"""


def test_html_becomes_tagged_pdf_ua_with_languages_structure_and_alt_text():
    structure = assert_pdf_ua(html_to_pdf(HTML, base_url="http://testserver/"), lang="sv")

    assert [tag for tag, _lang in structure.headings] == ["H1", "H2", "H2", "H3"]
    # The Finnish passage is read as Finnish, the rest as Swedish.
    spans_in_finnish = [e for e in structure.elements if e.lang == "fi"]
    assert spans_in_finnish and all(e.tag == "Span" for e in spans_in_finnish)
    assert structure.tags("L") and len(structure.tags("LI")) == 2
    headers = structure.tags("TH")
    assert len(headers) == 2 and len(structure.tags("TD")) == 2
    assert all("/Headers" in cell.attributes for cell in structure.tags("TD"))
    assert [figure.alt for figure in structure.tags("Figure")] == ["Stapeldiagram: 30 av 40"]
    assert structure.tags("Link")
    assert "Lista" in structure.outline_titles


def _parts():
    first = """<!DOCTYPE html><html lang="en"><head><title>Joined</title></head><body>
    <h1>Joined</h1><p><a href="#second">To the second part</a></p><span id="second"></span></body></html>"""
    second = """<!DOCTYPE html><html lang="en"><head><title>Joined</title></head><body>
    <h2 id="second">Second part</h2><p><a href="https://example.org/">Example site</a></p>
    <h3>Under the second</h3></body></html>"""
    third = """<!DOCTYPE html><html lang="en"><head><title>Joined</title></head><body>
    <h2 id="third">Third part</h2><p lang="fi">Suomeksi.</p></body></html>"""
    return [html_to_pdf(html, base_url="http://testserver/") for html in (first, second, third)]


def test_joined_parts_keep_one_structure_tree_in_document_order():
    joined = join_tagged(_parts(), page_label=lambda number, total: f"{number} / {total}")
    structure = assert_pdf_ua(joined, lang="en")

    assert structure.page_count == 3
    assert [tag for tag, _lang in structure.headings] == ["H1", "H2", "H3", "H2"]
    assert any(e.lang == "fi" and e.tag == "P" for e in structure.elements)
    assert structure.outline_titles == ["Joined", "Second part", "Under the second", "Third part"]

    pdf = pikepdf.open(io.BytesIO(joined))
    # Every page and annotation points at its own parent-tree entry, and no two share one.
    parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(parent_tree[i]) for i in range(0, len(parent_tree), 2)]
    assert len(keys) == len(set(keys))
    used = [int(page.obj.StructParents) for page in pdf.pages]
    used += [int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert sorted(used) == sorted(keys)
    assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(keys) + 1
    # The link in the first part reaches the heading in the second (named destination).
    dests = pikepdf.NameTree(pdf.Root.Names.Dests)
    assert dests["second"][0].objgen == pdf.pages[1].obj.objgen
    # The stamped page numbers are pagination artifacts, outside the structure tree.
    contents = pdf.pages[2].obj.Contents
    stamped = b"".join(stream.read_bytes() for stream in contents)
    assert b"/Artifact <</Type /Pagination" in stamped and b"(3 / 3) Tj" in stamped
