"""One renderer per format; each turns the builder's context into bytes."""

from . import docx, html, pdf

RENDERERS = {
    "html": html.render,
    "pdf": pdf.render,
    "docx": docx.render,
}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_report(report: dict, fmt: str, *, version=None) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"Unknown report format: {fmt!r}") from None
    return renderer(report, version=version)
