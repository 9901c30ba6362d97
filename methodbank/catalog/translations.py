"""Content in the visitor's language: which version of an entry or project a page shows.

An entry (``Practice``) and a project are written in one language (their ``language`` field, the
original). ``PracticeTranslation`` / ``ProjectTranslation`` rows add other languages. A page asks
for the visitor's language and gets:

- the translation, when one exists — a section the translator left empty falls back to the
  original text, tagged with the original's language so screen readers pronounce it right;
- otherwise the original, with a notice saying so ("This entry is not available in Swedish;
  shown in Finnish.").

Reads only: pass objects whose ``translations`` are prefetched (the catalog selectors do) and
nothing here queries the database again.

Search indexes every language an entry exists in with ``practice_texts_by_language`` /
``project_texts_by_language``: one dict per language holding only text actually written in it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Practice, PracticeTranslation, Project, ProjectTranslation

# One sentence per (requested, shown) pair, so that every language can inflect the language names
# naturally (Finnish: "ruotsiksi", "suomeksi").
PRACTICE_NOTICES = {
    ("fi", "sv"): _("This entry is not available in Finnish; shown in Swedish."),
    ("fi", "en"): _("This entry is not available in Finnish; shown in English."),
    ("sv", "fi"): _("This entry is not available in Swedish; shown in Finnish."),
    ("sv", "en"): _("This entry is not available in Swedish; shown in English."),
    ("en", "fi"): _("This entry is not available in English; shown in Finnish."),
    ("en", "sv"): _("This entry is not available in English; shown in Swedish."),
}
PROJECT_NOTICES = {
    ("fi", "sv"): _("This project description is not available in Finnish; shown in Swedish."),
    ("fi", "en"): _("This project description is not available in Finnish; shown in English."),
    ("sv", "fi"): _("This project description is not available in Swedish; shown in Finnish."),
    ("sv", "en"): _("This project description is not available in Swedish; shown in English."),
    ("en", "fi"): _("This project description is not available in English; shown in Finnish."),
    ("en", "sv"): _("This project description is not available in English; shown in Swedish."),
}
GENERIC_NOTICE = _("This content is not available in the language you chose; it is shown in its original language.")


@dataclass(frozen=True)
class Text:
    """A piece of content and the language it is written in (for the ``lang`` attribute)."""

    text: str
    language: str

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text.strip())


@dataclass
class Content:
    """What a page shows of one entry or project."""

    requested: str  # the visitor's (interface) language
    language: str  # the language of the version shown (original or translation)
    original_language: str
    fields: dict = field(default_factory=dict)  # field name -> Text
    languages: list = field(default_factory=list)  # every language the content exists in, original first
    notice: str = ""  # set when the visitor's language is not available

    @property
    def is_translation(self):
        return self.language != self.original_language

    @property
    def other_languages(self):
        """Languages the content also exists in, besides the one shown."""
        return [code for code in self.languages if code != self.language]

    def __getattr__(self, name):
        # content.title, content.summary, ... in templates.
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None


def _interface_language(language: str | None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def interface_language() -> str:
    """The page's language code (fi, sv or en)."""
    return _interface_language(None)


def _original_language(obj) -> str:
    return obj.language if obj.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _translations(obj) -> dict:
    # .all() uses the prefetch cache when the selector prefetched "translations".
    return {t.language: t for t in obj.translations.all()}


def _content(obj, field_names, *, language, notices) -> Content:
    requested = _interface_language(language)
    original = _original_language(obj)
    translations = _translations(obj)
    languages = [original, *sorted(code for code in translations if code != original)]
    chosen = translations.get(requested) if requested != original else None
    fields = {}
    for name in field_names:
        own = getattr(obj, name) or ""
        if chosen is not None and (getattr(chosen, name) or "").strip():
            fields[name] = Text(getattr(chosen, name), requested)
        else:
            fields[name] = Text(own, original)
    shown = requested if (requested == original or chosen is not None) else original
    notice = ""
    if shown != requested:
        notice = notices.get((requested, shown), GENERIC_NOTICE)
    return Content(
        requested=requested,
        language=shown,
        original_language=original,
        fields=fields,
        languages=languages,
        notice=notice,
    )


def practice_content(*, practice: Practice, language: str | None = None) -> Content:
    """The entry as the visitor should see it: ``title``, ``summary`` and every template field as
    :class:`Text`, plus ``sections`` — (heading, Text) pairs in template order."""
    content = _content(
        practice,
        ["title", "summary", *(name for name, _heading in Practice.TEMPLATE_FIELDS)],
        language=language,
        notices=PRACTICE_NOTICES,
    )
    content.fields["sections"] = [(heading, content.fields[name]) for name, heading in Practice.TEMPLATE_FIELDS]
    return content


def project_content(*, project: Project, language: str | None = None) -> Content:
    """The project's ``name`` and ``description`` as :class:`Text` in the visitor's language."""
    return _content(project, ["name", "description"], language=language, notices=PROJECT_NOTICES)


def project_name(*, project: Project, language: str | None = None) -> Text:
    """The project's name in the visitor's language: its translated name where it has one (most
    projects keep their Finnish name in every language), its own name otherwise.

    Like ``practice_list_content``, uses the translations only when they were prefetched, so a list
    of entries never pays one query per project.
    """
    requested = _interface_language(language)
    original = _original_language(project)
    if requested != original and "translations" in getattr(project, "_prefetched_objects_cache", {}):
        for translation in project.translations.all():
            if translation.language == requested and translation.name.strip():
                return Text(translation.name, requested)
    return Text(project.name, original)


def _texts_by_language(obj, field_names) -> dict:
    original = _original_language(obj)
    texts = {original: {name: getattr(obj, name) or "" for name in field_names}}
    for code, translation in _translations(obj).items():
        if code == original:
            continue
        texts[code] = {name: getattr(translation, name) or "" for name in field_names}
    return texts


def practice_texts_by_language(*, practice: Practice) -> dict:
    """{language: {field: text}} for every language the entry is written in, original included.

    Only text actually written in that language is returned (a translation's empty section stays
    empty), so a search backend can analyse each language with its own analyser. Fields:
    ``PracticeTranslation.TRANSLATED_FIELDS`` (title, summary and the template sections).
    """
    return _texts_by_language(practice, PracticeTranslation.TRANSLATED_FIELDS)


def project_texts_by_language(*, project: Project) -> dict:
    """{language: {"name": ..., "description": ...}} for every language the project is described in."""
    return _texts_by_language(project, ProjectTranslation.TRANSLATED_FIELDS)


def practice_list_content(*, practice: Practice, language: str | None = None) -> Content:
    """Title and summary for a list item in the visitor's language.

    Uses the translations only when the list's selector prefetched them: a list never pays one
    query per item (unprefetched entries simply show their original text).
    """
    if "translations" in getattr(practice, "_prefetched_objects_cache", {}):
        return _content(practice, ["title", "summary"], language=language, notices=PRACTICE_NOTICES)
    original = _original_language(practice)
    return Content(
        requested=_interface_language(language),
        language=original,
        original_language=original,
        fields={"title": Text(practice.title, original), "summary": Text(practice.summary or "", original)},
        languages=[original],
    )
