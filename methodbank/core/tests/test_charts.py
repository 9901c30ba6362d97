"""The server-drawn SVG bar charts: accessible name and description, table rows, safe text."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from methodbank.core.charts import BarChart, Series


def chart(**overrides):
    data = {
        "title": "Piloted: answers per level",
        "labels": ["1", "2", "3", "4", "Cannot say"],
        "series": [Series("Individual forms", [0, 2, 6, 1, 1]), Series("Group assessments", [0, 1, 1, 0, 0])],
        "label_heading": "Level",
        "chart_id": "c1",
    }
    data.update(overrides)
    return BarChart(**data)


def test_the_svg_is_an_image_named_by_its_title_and_described_by_every_value():
    svg = str(chart().svg())
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Piloted: answers per level</title>' in svg
    desc = re.search(r'<desc id="c1-desc">(.*?)</desc>', svg).group(1)
    assert "3: Individual forms 6, Group assessments 1" in desc
    assert "Cannot say: Individual forms 1, Group assessments 0" in desc
    # The drawing is hidden from screen readers (the description says it all), and uses no inline style.
    assert '<g aria-hidden="true">' in svg and "style=" not in svg


def test_bars_are_proportional_to_the_values():
    svg = str(chart(series=[Series("n", [1, 2, 4, 0, 0])]).svg())
    widths = [float(w) for w in re.findall(r'<rect x="150" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 3  # no bar for a zero
    assert widths[1] == pytest.approx(2 * widths[0], rel=1e-3) and widths[2] == pytest.approx(4 * widths[0], rel=1e-3)


def test_a_fixed_scale_and_decimals_for_means():
    c = chart(labels=["1.9.2025", "1.9.2026"], series=[Series("Mean", [2.0, 3.5])], max_value=4, decimals=1)
    with translation.override("en"):
        assert c.rows == [("1.9.2025", ["2.0"]), ("1.9.2026", ["3.5"])]
    with translation.override("fi"):
        assert c.rows[1] == ("1.9.2026", ["3,5"])  # the visitor's decimal separator
    widths = [float(w) for w in re.findall(r'<rect x="150" y="[\d.]+" width="([\d.]+)"', str(c.svg()))]
    assert widths[1] / widths[0] == pytest.approx(3.5 / 2.0, rel=1e-3)
    assert c.format(None) == "–"


def test_text_is_escaped_and_lengths_must_match():
    svg = str(chart(title="<script>alert(1)</script>", labels=["<b>", "2", "3", "4", "5"]).svg())
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    with pytest.raises(ValueError):
        chart(series=[Series("n", [1, 2])])


def test_the_template_gives_the_table_alternative():
    html = render_to_string("core/_bar_chart.html", {"chart": chart()})
    assert "<caption>Piloted: answers per level</caption>" in html
    assert '<th scope="row">3</th><td>6</td><td>1</td>' in html
    assert '<th scope="col">Group assessments</th>' in html
