from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


@cache
def _screen_css() -> str:
    """The site's report stylesheet, inlined into the standalone HTML file and the PDF."""
    with open(finders.find("reports/report.css"), encoding="utf-8") as handle:
        return handle.read()


def _css_string(value: str) -> str:
    """A title for a CSS string inside <style>: characters that HTML or CSS would treat specially become
    CSS hex escapes, which the template's HTML escaping leaves alone."""
    return "".join(ch if ch.isalnum() or ch in " .,:;-–()/!?" else f"\\{ord(ch):x} " for ch in value)


def render_document(report: dict, *, version=None, for_print=False, part=None, toc_pages=None) -> str:
    with translation.override(report["definition"]["language"]):
        return render_to_string(
            "reports/report_document.html",
            {
                "report": report,
                "version": version,
                "for_print": for_print,
                "part": part,
                "toc_pages": toc_pages,
                "css_title": _css_string(report["definition"]["title"]),
                "screen_css": _screen_css(),
            },
        )


def render(report: dict, *, version=None) -> bytes:
    return render_document(report, version=version).encode("utf-8")
