from django.template.loader import render_to_string
from django.utils import translation


def render_document(report: dict, *, version=None, for_print=False) -> str:
    with translation.override(report["definition"]["language"]):
        return render_to_string(
            "reports/report_document.html", {"report": report, "version": version, "for_print": for_print}
        )


def render(report: dict, *, version=None) -> bytes:
    return render_document(report, version=version).encode("utf-8")
