"""The search page's template tags: a facet value's markup is kept per process, its count is not."""

from django.template.defaultfilters import slugify
from django.test import override_settings
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from methodbank.search.facets import FacetResult, FacetValue
from methodbank.search.templatetags import search_tags


def _reference(facet, values):
    """What the tag wrote with one format_html per value (before its parts were kept)."""
    param = conditional_escape(facet.param)
    items = []
    for value in values:
        ident = f"f-{param}-{slugify(value.value)}"
        label = (
            format_html('<span lang="{}">{}</span>', value.lang, value.label)
            if value.lang
            else conditional_escape(value.label)
        )
        items.append(format_html(
            '<li><input type="checkbox" class="facet-input" id="{}" name="{}" value="{}"{}>\n'
            '  <label for="{}">{} <span class="facet__count">({})</span></label></li>\n',
            ident, param, value.value, mark_safe(" checked") if value.selected else "", ident, label,
            localize(value.count),
        ))
    return "".join(items)


def _values(counts):
    return [
        FacetValue("model", "Malli", counts[0]),
        FacetValue("tyo-elama", 'Työ <b>& "elämä"</b>', counts[1], selected=True),
        FacetValue("projekti-ä", "Projektet på svenska", counts[2], lang="sv"),
        FacetValue("x\"><script>", "<script>alert(1)</script>", counts[3], selected=True, lang="en"),
    ]


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_facet_values_write_what_one_format_html_per_value_wrote_with_each_pages_count():
    facet = FacetResult("project", "Projekti", [])
    with translation.override("fi"):
        for counts in ([1, 2, 3, 999], [12345, 7, 1000, 0], [4, 1_234_567, 2, 3]):
            values = _values(counts)
            assert search_tags.facet_values(facet, values) == _reference(facet, values)
    with translation.override("en"):
        values = _values([1500, 2, 3, 4])
        written = search_tags.facet_values(facet, values)
        assert written == _reference(facet, values) and "(1,500)" in written


def test_a_facet_values_markup_is_made_once_and_only_its_count_changes(monkeypatch):
    made = []

    def counting_slugify(value):
        made.append(value)
        return slugify(value)

    monkeypatch.setattr(search_tags, "slugify", counting_slugify)
    search_tags._FACET_ITEMS.clear()
    facet = FacetResult("keyword", "Asiasana", [])
    first = search_tags.facet_values(facet, _values([1, 2, 3, 4]))
    second = search_tags.facet_values(facet, _values([5, 6, 7, 8]))
    assert len(made) == 4  # the second page reused each value's markup
    assert [first.count(f'"facet__count">({n})') for n in (1, 5)] == [1, 0]
    assert [second.count(f'"facet__count">({n})') for n in (1, 5)] == [0, 1]
    # A value checked on one page and not on another is two items.
    unchecked = [FacetValue("tyo-elama", 'Työ <b>& "elämä"</b>', 2)]
    assert " checked" not in search_tags.facet_values(facet, unchecked)
