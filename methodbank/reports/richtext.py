"""Sanitising the coordinator-written rich text (preface, introduction, theme introductions).

The text ends up in the public web page, the PDF and the DOCX, so only a small set of tags survives:
enough for paragraphs, emphasis, lists, links and sub-headings, nothing that could run script or
break the layout.
"""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_rich_text(value: str) -> str:
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()
