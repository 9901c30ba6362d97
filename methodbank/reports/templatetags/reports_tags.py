import base64

from django import template

from methodbank.core.charts import BarChart, Series

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.simple_tag
def report_chart(data, *scope):
    """A chart of a report's snapshot (builder._chart_data) drawn again; ``scope`` (the entry's
    place in the report and its id) keeps its ids unique when a model is listed in several places."""
    return BarChart(
        title=data["title"],
        labels=data["labels"],
        series=[Series(s["name"], s["values"]) for s in data["series"]],
        max_value=data.get("max_value"),
        decimals=data.get("decimals") or 0,
        label_heading=data.get("label_heading", ""),
        chart_id="-".join([*(str(part) for part in scope), data["key"]]),
    )


@register.filter
def svg_data_uri(chart) -> str:
    """The chart as an image address for the PDF: WeasyPrint tags an ``<img>`` with its ``alt`` as a
    Figure with /Alt, which an inline ``<svg>`` does not get."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(chart.svg()).encode("utf-8")).decode("ascii")
