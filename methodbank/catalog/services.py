"""Writes that the catalog owns whoever calls them: keyword names and the rows they resolve to,
and unique slugs. The contribution workflow (entries, projects, versions, moderation) lives in
``methodbank.contributions.services``.
"""

from django.utils.text import slugify

from .models import Keyword


def keywords_normalise(names) -> list[str]:
    out, seen = [], set()
    for name in names:
        name = " ".join(str(name).split())[:100]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return sorted(out, key=str.casefold)


def keywords_resolve(names: list[str]) -> list[Keyword]:
    """Existing keywords by name (case-insensitive); new ones are created unapproved for moderation."""
    keywords = []
    for name in names:
        keyword = Keyword.objects.filter(name__iexact=name).first()
        if keyword is None:
            base = slugify(name) or "avainsana"
            slug, n = base, 1
            while Keyword.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            keyword = Keyword(name=name, slug=slug, approved=False)
            keyword.full_clean()
            keyword.save()
        keywords.append(keyword)
    return keywords


def unique_slug(model, text: str, fallback: str) -> str:
    base = (slugify(text) or fallback)[:300]
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug

