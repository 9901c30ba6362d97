"""An entry's content as one snapshot: read from the entry, built from a form, checked for
submission and written back into the entry (fields, placements, keywords, links, translations)."""

from django.utils.translation import gettext as _

from methodbank.catalog.models import (
    Period,
    Placement,
    Practice,
    PracticeKind,
    PracticeLink,
    PracticeTranslation,
    Project,
    Subtheme,
    Theme,
)
from methodbank.catalog.services import keywords_normalise, keywords_resolve

TEXT_FIELDS = ["title", "summary"] + [name for name, _heading in Practice.TEMPLATE_FIELDS]


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


def practice_snapshot(practice: Practice) -> dict:
    """The entry's whole content as JSON: fields, placements, keywords, links, attachments."""
    data = {name: getattr(practice, name) for name in TEXT_FIELDS}
    data["kind"] = practice.kind
    data["model_criteria"] = list(practice.model_criteria or [])
    data["project"] = practice.project_id
    data["project_name"] = practice.project.name if practice.project_id else ""
    data["applies_model"] = practice.applies_model_id
    data["applies_model_title"] = practice.applies_model.title if practice.applies_model_id else ""
    data["placements"] = [
        {
            "theme": p.theme_id,
            "subtheme": p.subtheme_id,
            "period": p.period_id,
            "label": str(p),
        }
        for p in practice.placements.select_related("theme", "subtheme", "period")
    ]
    data["keywords"] = sorted(practice.keywords.values_list("name", flat=True))
    data["links"] = [{"url": link.url, "title": link.title} for link in practice.links.all()]
    data["attachments"] = [
        {"id": a.pk, "name": a.original_name, "title": a.title, "size": a.size} for a in practice.attachments.all()
    ]
    data["translations"] = practice_translations_snapshot(practice)
    return data


def practice_translations_snapshot(practice: Practice) -> dict:
    """{language: {field: text}} of the entry's translations: part of every snapshot, so that a
    version, its diff, a revision's moderation and a restore all include them."""
    return {
        t.language: {name: getattr(t, name) for name in PracticeTranslation.TRANSLATED_FIELDS}
        for t in practice.translations.order_by("language")
    }


def practice_data_from_form(cleaned: dict) -> dict:
    """Turn a contribution form's cleaned data (model instances) into a snapshot (ids + labels)."""
    data = {name: (cleaned.get(name) or "").strip() for name in TEXT_FIELDS}
    data["kind"] = cleaned["kind"]
    data["model_criteria"] = sorted(cleaned.get("model_criteria") or []) if data["kind"] == PracticeKind.MODEL else []
    project = cleaned.get("project")
    data["project"] = project.pk if project else None
    data["project_name"] = project.name if project else ""
    model = cleaned.get("applies_model") if data["kind"] == PracticeKind.GOOD_PRACTICE else None
    data["applies_model"] = model.pk if model else None
    data["applies_model_title"] = model.title if model else ""
    placements, seen = [], set()
    for p in cleaned.get("placements") or []:
        key = (p["theme"].pk, p["subtheme"].pk if p.get("subtheme") else None, p["period"].pk if p.get("period") else None)
        if key in seen:
            continue
        seen.add(key)
        label = " / ".join(
            x for x in [p["theme"].code, p["subtheme"].name if p.get("subtheme") else "", str(p.get("period") or "")] if x
        )
        placements.append({"theme": key[0], "subtheme": key[1], "period": key[2], "label": label})
    data["placements"] = placements
    data["keywords"] = keywords_normalise(cleaned.get("keywords") or [])
    data["links"] = [{"url": link["url"], "title": link.get("title", "")} for link in cleaned.get("links") or []]
    return data


def practice_submission_errors(data: dict) -> dict[str, list[str]]:
    """Field -> messages for what a snapshot lacks before it can be submitted (empty when ready)."""
    errors: dict[str, list[str]] = {}
    labels = {name: str(Practice._meta.get_field(name).verbose_name) for name in TEXT_FIELDS}
    for name in REQUIRED_FOR_SUBMISSION[data["kind"]]:
        if not (data.get(name) or "").strip():
            if data["kind"] == PracticeKind.MODEL:
                message = _("A model needs this section: others adopt the model from its description.")
            else:
                message = _("Fill in “%(field)s” before submitting.") % {"field": labels[name]}
            errors.setdefault(name, []).append(message)
    if not data.get("placements"):
        errors.setdefault("placements", []).append(_("Choose at least one theme where the entry belongs."))
    if data["kind"] == PracticeKind.MODEL:
        missing = [code for code, _label in Practice.MODEL_CRITERIA if code not in data.get("model_criteria", [])]
        if missing:
            errors.setdefault("model_criteria", []).append(
                _(
                    "A model must meet every criterion: piloted, documented for adoption and nationally "
                    "disseminable. If it does not yet, document it as a good practice."
                )
            )
    return errors


def practice_content_apply(practice: Practice, data: dict) -> None:
    """Write a snapshot into the entry (fields first, then placements, keywords and links)."""
    for name in TEXT_FIELDS:
        setattr(practice, name, data.get(name, ""))
    practice.kind = data["kind"]
    practice.model_criteria = data.get("model_criteria", [])
    project_id = data.get("project")
    practice.project = Project.objects.filter(pk=project_id).first() if project_id else None
    model_id = data.get("applies_model")
    practice.applies_model = (
        Practice.objects.filter(pk=model_id, kind=PracticeKind.MODEL).exclude(pk=practice.pk).first()
        if model_id and practice.kind == PracticeKind.GOOD_PRACTICE
        else None
    )
    practice.full_clean()
    practice.save()

    practice.placements.all().delete()
    for position, p in enumerate(data.get("placements", [])):
        theme = Theme.objects.filter(pk=p["theme"]).first()
        if theme is None:  # a theme deleted since the snapshot: skip rather than invent one
            continue
        placement = Placement(
            practice=practice,
            theme=theme,
            subtheme=Subtheme.objects.filter(pk=p.get("subtheme"), theme=theme).first() if p.get("subtheme") else None,
            period=Period.objects.filter(pk=p.get("period")).first() if p.get("period") else None,
            position=position,
        )
        placement.full_clean()
        placement.save()
    practice.keywords.set(keywords_resolve(data.get("keywords", [])))
    practice.links.all().delete()
    for position, link in enumerate(data.get("links", [])):
        obj = PracticeLink(practice=practice, url=link["url"], title=link.get("title", ""), position=position)
        obj.full_clean()
        obj.save()
    # Snapshots made before translations were versioned have no "translations": leave them alone.
    if "translations" in data:
        practice_translations_apply(practice, data["translations"])


def practice_translations_apply(practice: Practice, translations: dict) -> None:
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

