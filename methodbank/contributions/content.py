"""An entry's content as one typed value: what a version stores, what the contribution form and the
API produce, what moderation compares and what publishing writes into the entry.

``PracticeContent`` is read from an entry (``from_practice``), built from a form's cleaned data
(``from_form``) or from a stored version (``from_json``), checked before submission
(``submission_errors``), stored (``to_json``) and written back (``apply_to``). Versions store
``to_json()``; ``SCHEMA_VERSION`` says which shape, and a data migration upgrades stored versions
when it changes (contributions/migrations/0002_practiceversion_content_schema_2.py), so no reader
handles old shapes.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, create_model

from methodbank.catalog.models import (
    TEMPLATE_FIELDS,
    Period,
    Placement,
    Practice,
    PracticeAttachment,
    PracticeKind,
    PracticeLink,
    PracticeTranslation,
    Project,
    PublicationStatus,
    Subtheme,
    Theme,
)
from methodbank.catalog.services import keywords_normalise, keywords_resolve

# 1: the shape before it had a number (translations could be missing). 2: every key present.
SCHEMA_VERSION = 2

TEXT_FIELDS = ["title", "summary"] + [name for name, _heading in TEMPLATE_FIELDS]

# What an entry needs before it can be submitted. Drafts may be incomplete; the moderation queue
# only receives entries a reader can use. A model needs more, because others adopt it from the text.
REQUIRED_FOR_SUBMISSION = {
    PracticeKind.GOOD_PRACTICE: ["title", "summary", "goal_and_target_group", "content_and_actions"],
    PracticeKind.MODEL: [
        "title",
        "summary",
        "goal_and_target_group",
        "content_and_actions",
        "deployment_materials",
        "results_and_indicators",
        "contacts",
    ],
}


class PlacementRef(BaseModel):
    theme: int
    subtheme: int | None = None
    period: int | None = None
    label: str = ""


class LinkRef(BaseModel):
    url: str
    title: str = ""


class AttachmentRef(BaseModel):
    id: int
    name: str = ""
    title: str = ""
    size: int = 0


# The texts (name, summary and the template sections) come from the one list of template fields.
_Texts = create_model(
    "_Texts", __config__=ConfigDict(extra="ignore"), **dict.fromkeys(TEXT_FIELDS, (str, ""))
)


class PracticeContent(_Texts):
    schema_version: int = SCHEMA_VERSION
    kind: str
    model_criteria: list[str] = Field(default_factory=list)
    project: int | None = None
    project_name: str = ""
    applies_model: int | None = None
    applies_model_title: str = ""
    placements: list[PlacementRef] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    links: list[LinkRef] = Field(default_factory=list)
    attachments: list[AttachmentRef] = Field(default_factory=list)
    # {language: {field: text}}. None: not given (the entry form does not carry translations), so
    # saving keeps the translations being worked on.
    translations: dict[str, dict[str, str]] | None = None

    # --- reading ------------------------------------------------------------------------------

    @classmethod
    def from_practice(cls, practice: Practice) -> "PracticeContent":
        """The entry's whole content: fields, placements, keywords, links, attachments, translations."""
        return cls(
            **{name: getattr(practice, name) for name in TEXT_FIELDS},
            kind=practice.kind,
            model_criteria=list(practice.model_criteria or []),
            project=practice.project_id,
            project_name=practice.project.name if practice.project_id else "",
            applies_model=practice.applies_model_id,
            applies_model_title=practice.applies_model.title if practice.applies_model_id else "",
            placements=[
                PlacementRef(theme=p.theme_id, subtheme=p.subtheme_id, period=p.period_id, label=str(p))
                for p in practice.placements.select_related("theme", "subtheme", "period")
            ],
            keywords=sorted(practice.keywords.values_list("name", flat=True)),
            links=[LinkRef(url=link.url, title=link.title) for link in practice.links.all()],
            attachments=[
                AttachmentRef(id=a.pk, name=a.original_name, title=a.title, size=a.size)
                for a in practice.attachments.all()
            ],
            translations=translations_of(practice),
        )

    @classmethod
    def from_form(cls, cleaned: dict) -> "PracticeContent":
        """A contribution form's cleaned data (model instances) as content (ids and labels)."""
        kind = cleaned["kind"]
        project = cleaned.get("project")
        model = cleaned.get("applies_model") if kind == PracticeKind.GOOD_PRACTICE else None
        placements, seen = [], set()
        for p in cleaned.get("placements") or []:
            subtheme, period = p.get("subtheme"), p.get("period")
            key = (p["theme"].pk, subtheme.pk if subtheme else None, period.pk if period else None)
            if key in seen:
                continue
            seen.add(key)
            label = " / ".join(x for x in [p["theme"].code, subtheme.name if subtheme else "", str(period or "")] if x)
            placements.append(PlacementRef(theme=key[0], subtheme=key[1], period=key[2], label=label))
        return cls(
            **{name: (cleaned.get(name) or "").strip() for name in TEXT_FIELDS},
            kind=kind,
            model_criteria=sorted(cleaned.get("model_criteria") or []) if kind == PracticeKind.MODEL else [],
            project=project.pk if project else None,
            project_name=project.name if project else "",
            applies_model=model.pk if model else None,
            applies_model_title=model.title if model else "",
            placements=placements,
            keywords=keywords_normalise(cleaned.get("keywords") or []),
            links=[LinkRef(url=link["url"], title=link.get("title", "")) for link in cleaned.get("links") or []],
        )

    @classmethod
    def from_json(cls, data: dict) -> "PracticeContent":
        """A stored version's content (always the current schema: the migrations upgrade old ones)."""
        return cls.model_validate(data)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")

    def template_texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name, _heading in TEMPLATE_FIELDS}

    def submission_errors(self) -> dict[str, list[str]]:
        """Field -> messages for what the content lacks before it can be submitted (empty when ready)."""
        errors: dict[str, list[str]] = {}
        labels = {name: str(Practice._meta.get_field(name).verbose_name) for name in TEXT_FIELDS}
        for name in REQUIRED_FOR_SUBMISSION[self.kind]:
            if not getattr(self, name).strip():
                if self.kind == PracticeKind.MODEL:
                    message = _("A model needs this section: others adopt the model from its description.")
                else:
                    message = _("Fill in “%(field)s” before submitting.") % {"field": labels[name]}
                errors.setdefault(name, []).append(message)
        if not self.placements:
            errors.setdefault("placements", []).append(_("Choose at least one theme where the entry belongs."))
        if self.kind == PracticeKind.MODEL:
            if any(code not in self.model_criteria for code, _label in Practice.MODEL_CRITERIA):
                errors.setdefault("model_criteria", []).append(
                    _(
                        "A model must meet every criterion: piloted, documented for adoption and nationally "
                        "disseminable. If it does not yet, document it as a good practice."
                    )
                )
        return errors

    # --- writing ------------------------------------------------------------------------------

    def apply_to(self, practice: Practice) -> None:
        """Write the content into the entry (fields first, then placements, keywords, links and, when
        given, translations)."""
        for name in TEXT_FIELDS:
            setattr(practice, name, getattr(self, name))
        practice.kind = self.kind
        practice.model_criteria = list(self.model_criteria)
        practice.project = Project.objects.filter(pk=self.project).first() if self.project else None
        practice.applies_model = (
            Practice.objects.filter(pk=self.applies_model, kind=PracticeKind.MODEL).exclude(pk=practice.pk).first()
            if self.applies_model and practice.kind == PracticeKind.GOOD_PRACTICE
            else None
        )
        practice.full_clean()
        practice.save()

        practice.placements.all().delete()
        for position, p in enumerate(self.placements):
            theme = Theme.objects.filter(pk=p.theme).first()
            if theme is None:  # a theme deleted since the snapshot: skip rather than invent one
                continue
            placement = Placement(
                practice=practice,
                theme=theme,
                subtheme=Subtheme.objects.filter(pk=p.subtheme, theme=theme).first() if p.subtheme else None,
                period=Period.objects.filter(pk=p.period).first() if p.period else None,
                position=position,
            )
            placement.full_clean()
            placement.save()
        practice.keywords.set(keywords_resolve(self.keywords))
        practice.links.all().delete()
        for position, link in enumerate(self.links):
            obj = PracticeLink(practice=practice, url=link.url, title=link.title, position=position)
            obj.full_clean()
            obj.save()
        if self.translations is not None:
            _translations_apply(practice, self.translations)


def public_contents(practice_ids) -> dict[int, "PracticeContent"]:
    """{id: content} of published entries as visitors see them, in a fixed number of queries.

    What a published report freezes of each entry and what "what's new since" compares it with. Only
    what the entry page shows is included: public attachments, approved keywords, and the model it
    applies only while that model is published, so nothing a team keeps private enters a public
    snapshot. The related rows are read with one plain query each and grouped here: Django's
    prefetching clones a queryset per entry, which made this three times slower on the seed.
    """
    ids = list(practice_ids)
    practices = list(Practice.objects.published().filter(pk__in=ids).select_related("project", "applies_model"))
    ids = [practice.pk for practice in practices]
    placements, keywords, links, attachments, translations = (defaultdict(list) for _ in range(5))
    for p in Placement.objects.filter(practice_id__in=ids).select_related("theme", "subtheme", "period"):
        placements[p.practice_id].append(
            PlacementRef(theme=p.theme_id, subtheme=p.subtheme_id, period=p.period_id, label=str(p))
        )
    rows = Practice.keywords.through.objects.filter(practice_id__in=ids, keyword__approved=True)
    for practice_id, name in rows.order_by("keyword__name").values_list("practice_id", "keyword__name"):
        keywords[practice_id].append(name)
    for practice_id, url, title in PracticeLink.objects.filter(practice_id__in=ids).values_list(
        "practice_id", "url", "title"
    ):
        links[practice_id].append(LinkRef(url=url, title=title))
    for practice_id, pk, name, title, size in PracticeAttachment.objects.filter(
        practice_id__in=ids, public=True
    ).values_list("practice_id", "pk", "original_name", "title", "size"):
        attachments[practice_id].append(AttachmentRef(id=pk, name=name, title=title, size=size))
    fields = PracticeTranslation.TRANSLATED_FIELDS
    for row in PracticeTranslation.objects.filter(practice_id__in=ids).order_by("language").values(
        "practice_id", "language", *fields
    ):
        translations[row["practice_id"]].append((row["language"], {name: row[name] for name in fields}))

    contents = {}
    for practice in practices:
        model = practice.applies_model
        model_shown = model is not None and model.status == PublicationStatus.PUBLISHED
        contents[practice.pk] = PracticeContent(
            **{name: getattr(practice, name) for name in TEXT_FIELDS},
            kind=practice.kind,
            model_criteria=list(practice.model_criteria or []),
            project=practice.project_id,
            project_name=practice.project.name if practice.project_id else "",
            applies_model=model.pk if model_shown else None,
            applies_model_title=model.title if model_shown else "",
            placements=placements[practice.pk],
            keywords=keywords[practice.pk],
            links=links[practice.pk],
            attachments=attachments[practice.pk],
            translations=dict(translations[practice.pk]),
        )
    return contents


def translations_of(practice: Practice) -> dict[str, dict[str, str]]:
    """{language: {field: text}} of the entry's translations: part of every snapshot, so that a
    version, its diff, a revision's moderation and a restore all include them."""
    return {
        t.language: {name: getattr(t, name) for name in PracticeTranslation.TRANSLATED_FIELDS}
        for t in practice.translations.order_by("language")
    }


def _translations_apply(practice: Practice, translations: dict) -> None:
    existing = {t.language: t for t in practice.translations.all()}
    for code, translation in existing.items():
        if code not in translations or code == practice.language:
            translation.delete()
    for code, fields in translations.items():
        if code == practice.language:
            continue
        translation = existing.get(code) or PracticeTranslation(practice=practice, language=code)
        values = {name: (fields.get(name) or "").strip() for name in PracticeTranslation.TRANSLATED_FIELDS}
        if translation.pk and all(getattr(translation, name) == value for name, value in values.items()):
            continue  # unchanged: no save, no reindexing
        for name, value in values.items():
            setattr(translation, name, value)
        translation.full_clean()
        translation.save()
