"""Accessible bar charts as inline SVG, drawn on the server (no JavaScript, works in WeasyPrint PDFs).

The renderer knows nothing about evaluations or reports: it takes a title, category labels and one
or more series of numbers. Every chart is an ``<svg role="img">`` named by its ``<title>`` and
described by a ``<desc>`` that spells out every value (``aria-labelledby``), and ``BarChart.rows``
gives the same numbers for the table alternative that the template ``core/_bar_chart.html`` shows
next to it. Colours are presentation attributes, never ``style``: the site's CSP forbids inline styles.
"""

from dataclasses import dataclass, field
from itertools import count

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Dark enough on white for text and for bars (WCAG 1.4.11 non-text contrast at least 3:1), and told
# apart by pattern as well as colour: the second series is hatched.
SERIES_COLOURS = ("#0000bf", "#006b2d", "#7a2e8e", "#8a4b00")
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#4a4a4a"

WIDTH = 480
LABEL_WIDTH = 150
VALUE_WIDTH = 44
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 12
LEGEND_HEIGHT = 22
FONT_SIZE = 12

_ids = count(1)


@dataclass
class Series:
    name: str
    values: list  # numbers (None = no value), one per label


@dataclass
class BarChart:
    """A horizontal bar chart: one group of bars per label, one bar per series."""

    title: str
    labels: list
    series: list  # [Series]
    max_value: float | None = None  # the scale's end; the largest value when None
    decimals: int = 0  # how values are written on the chart, in its description and in the table
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")
    label_heading: str = ""  # the table alternative's first column heading
    summary: str = ""  # an optional sentence added before the values in the description

    def __post_init__(self):
        for s in self.series:
            if len(s.values) != len(self.labels):
                raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(self.labels)} labels")

    def format(self, value) -> str:
        if value is None:
            return "–"
        return number_format(value, self.decimals) if self.decimals else str(int(round(value)))

    @property
    def scale(self) -> float:
        largest = max((v for s in self.series for v in s.values if v is not None), default=0)
        return float(self.max_value if self.max_value is not None else largest) or 1.0

    @property
    def rows(self):
        """[(label, [formatted value per series])] for the table alternative."""
        return [(label, [self.format(s.values[i]) for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def description(self) -> str:
        parts = []
        for i, label in enumerate(self.labels):
            values = ", ".join(
                f"{s.name} {self.format(s.values[i])}" if len(self.series) > 1 else self.format(s.values[i])
                for s in self.series
            )
            parts.append(f"{label}: {values}")
        text = "; ".join(parts) + "."
        return f"{self.summary} {text}" if self.summary else text

    def svg(self) -> SafeString:
        return render_bar_chart(self)


def _bar(x, y, width, colour, hatched, pattern_id):
    fill = f"url(#{pattern_id})" if hatched else colour
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"></rect>',
        x,
        y,
        f"{width:.1f}",
        BAR_HEIGHT,
        fill,
        colour,
    )


def render_bar_chart(chart: BarChart) -> SafeString:
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    legend = len(chart.series) > 1
    top = LEGEND_HEIGHT if legend else 4
    group_height = len(chart.series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    height = top + len(chart.labels) * (group_height + GROUP_GAP) + 4
    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    parts = []
    patterns = []
    for n, s in enumerate(chart.series):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        if n % 2:
            patterns.append(
                format_html(
                    '<pattern id="{}-p{}" width="6" height="6" patternUnits="userSpaceOnUse" '
                    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"></rect>'
                    '<rect width="3" height="6" fill="{}"></rect></pattern>',
                    chart.chart_id,
                    n,
                    colour,
                )
            )
        if legend:
            x = LABEL_WIDTH + n * 130
            parts.append(_bar(x, 2, 14, colour, n % 2, f"{chart.chart_id}-p{n}"))
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                    x + 20,
                    2 + FONT_SIZE,
                    FONT_SIZE,
                    TEXT_COLOUR,
                    s.name,
                )
            )
    for i, label in enumerate(chart.labels):
        y0 = top + i * (group_height + GROUP_GAP)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y0 + group_height / 2 + FONT_SIZE / 3,
                FONT_SIZE,
                TEXT_COLOUR,
                label,
            )
        )
        for n, s in enumerate(chart.series):
            y = y0 + n * (BAR_HEIGHT + BAR_GAP)
            value = s.values[i]
            width = 0 if value is None else max(0.0, min(1.0, value / chart.scale)) * plot_width
            colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
            if width > 0:
                parts.append(_bar(LABEL_WIDTH, y, width, colour, n % 2, f"{chart.chart_id}-p{n}"))
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                    f"{LABEL_WIDTH + width + 4:.1f}",
                    y + BAR_HEIGHT - 4,
                    FONT_SIZE,
                    TEXT_COLOUR,
                    chart.format(value),
                )
            )
    axis = format_html(
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1"></line>',
        LABEL_WIDTH,
        top - 2,
        height - 2,
        AXIS_COLOUR,
    )
    # The drawing itself is hidden from assistive technology: the svg's name and description say it all.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" aria-labelledby="{} {}" '
        'viewBox="0 0 {} {}" width="{}" height="{}" preserveAspectRatio="xMinYMin meet" '
        'font-family="DejaVu Sans, Arial, sans-serif">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}<g aria-hidden="true">{}{}</g></svg>',
        title_id,
        desc_id,
        WIDTH,
        height,
        WIDTH,
        height,
        title_id,
        chart.title,
        desc_id,
        chart.description,
        mark_safe(f"<defs>{''.join(patterns)}</defs>") if patterns else "",
        axis,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
