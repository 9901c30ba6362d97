"""Writes of the contribution workflow: creating and editing entries and projects, moving them
through the transition table, versions, keywords and attachments.

Every service is atomic, validates with ``full_clean``, checks the transition table and the
permissions (again: views already fetched the object through a permission-checked getter), and
writes an audit event. Unpublished entries are edited in place; editing a published entry stores
a pending revision (a PracticeVersion) that goes through moderation while the published content
stays visible. Every save keeps a full snapshot.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from methodbank.contributions import permissions as perms
from methodbank.contributions.models import (
    PENDING_VERSION_STATUSES,
    Decision,
    ModerationDecision,
    PracticeVersion,
    VersionStatus,
)
from methodbank.core.services import audit_log

from .models import (
    Keyword,
    Organisation,
    Period,
    Placement,
    Practice,
    PracticeAttachment,
    PracticeKind,
    PracticeLink,
    PracticeTranslation,
    Project,
    ProjectTranslation,
    PublicationStatus,
    Subtheme,
    Theme,
)
from .workflow import EditConflict, WorkflowError, check_transition

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


# --- snapshots --------------------------------------------------------------------------------


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


def keywords_normalise(names) -> list[str]:
    out, seen = [], set()
    for name in names:
        name = " ".join(str(name).split())[:100]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return sorted(out, key=str.casefold)


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


def _keywords_resolve(names: list[str]) -> list[Keyword]:
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


def _practice_apply(practice: Practice, data: dict) -> None:
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
    practice.keywords.set(_keywords_resolve(data.get("keywords", [])))
    practice.links.all().delete()
    for position, link in enumerate(data.get("links", [])):
        obj = PracticeLink(practice=practice, url=link["url"], title=link.get("title", ""), position=position)
        obj.full_clean()
        obj.save()
    # Snapshots made before translations were versioned have no "translations": leave them alone.
    if "translations" in data:
        _practice_translations_apply(practice, data["translations"])


def _practice_translations_apply(practice: Practice, translations: dict) -> None:
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


def _unique_slug(model, text: str, fallback: str) -> str:
    base = (slugify(text) or fallback)[:300]
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _version_create(*, practice: Practice, data: dict, by, status: str, reason: str = "") -> PracticeVersion:
    number = (practice.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PracticeVersion(practice=practice, number=number, data=data, author=by, status=status, reason=reason)
    version.full_clean()
    version.save()
    return version


def practice_pending_revision(practice: Practice) -> PracticeVersion | None:
    """The newest revision of a published entry that has not been moderated yet."""
    return practice.versions.filter(status__in=PENDING_VERSION_STATUSES).order_by("-number").first()


def practice_current_data(practice: Practice) -> dict:
    """What the team is working on: the pending revision of a published entry, else the entry."""
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is not None:
            if "translations" in revision.data:
                return revision.data
            # A revision saved before translations were versioned: it leaves them as they are.
            return {**revision.data, "translations": practice_translations_snapshot(practice)}
    return practice_snapshot(practice)


def practice_workflow_status(practice: Practice) -> str:
    """The status that the next transition starts from: the pending revision's for a published entry."""
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is not None:
            return revision.status
    return practice.status


def _lock_take(model, obj, expected: int, current_data) -> None:
    """Optimistic locking: bump lock_version only if nobody else did since the form was opened."""
    updated = model.objects.filter(pk=obj.pk, lock_version=expected).update(lock_version=F("lock_version") + 1)
    if not updated:
        fresh = model.objects.get(pk=obj.pk)
        raise EditConflict(current_data=current_data(fresh), current_lock_version=fresh.lock_version)
    obj.lock_version = expected + 1


def _notify(decision: ModerationDecision) -> None:
    from methodbank.contributions.notifications import decision_notify

    transaction.on_commit(lambda: decision_notify(decision_id=decision.pk))


def _decision_create(*, by, decision: str, comment: str = "", practice=None, project=None, version=None):
    obj = ModerationDecision(
        practice=practice, project=project, version=version, decision=decision, comment=comment, decided_by=by
    )
    obj.full_clean()
    obj.save()
    _notify(obj)
    return obj


# --- practices --------------------------------------------------------------------------------


@transaction.atomic
def practice_create(*, by, data: dict, reason: str = "") -> Practice:
    if not perms.can_contribute(by):
        raise PermissionDenied
    practice = Practice(
        kind=data["kind"],
        title=data["title"],
        slug=_unique_slug(Practice, data["title"], "menetelma"),
        owner=by,
        status=PublicationStatus.DRAFT,
    )
    _practice_apply(practice, data)
    _version_create(
        practice=practice, data=practice_snapshot(practice), by=by, status=VersionStatus.SAVED,
        reason=reason or _("Created"),
    )
    audit_log(actor=by, verb="practice.create", target=practice)
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, by, data: dict, lock_version: int, reason: str = "") -> PracticeVersion:
    """Save the form. Unpublished: edited in place. Published: a new pending revision."""
    if not perms.can_edit_practice(by, practice):
        raise PermissionDenied
    if practice.status == PublicationStatus.ARCHIVED:
        raise WorkflowError(_("An archived entry cannot be edited. Ask a coordinator to publish it again."))
    if "translations" not in data:
        # The entry form does not carry the translations: keep those being worked on (a pending
        # revision's), which a new revision would otherwise drop.
        data = {**data, "translations": practice_current_data(practice)["translations"]}
    _lock_take(Practice, practice, lock_version, practice_current_data)

    if practice.status == PublicationStatus.PUBLISHED:
        pending = practice_pending_revision(practice)
        status = pending.status if pending else VersionStatus.DRAFT
        if pending is not None:
            pending.status = VersionStatus.SUPERSEDED
            pending.save(update_fields=["status"])
        data = {**data, "attachments": practice_snapshot(practice)["attachments"]}
        version = _version_create(practice=practice, data=data, by=by, status=status, reason=reason)
        audit_log(actor=by, verb="practice.revise", target=practice, data={"version": version.number})
        return version

    _practice_apply(practice, data)
    version = _version_create(
        practice=practice, data=practice_snapshot(practice), by=by, status=VersionStatus.SAVED, reason=reason
    )
    audit_log(actor=by, verb="practice.update", target=practice, data={"version": version.number})
    return version


@transaction.atomic
def practice_submit(*, practice: Practice, by) -> Practice:
    if not perms.can_edit_practice(by, practice):
        raise PermissionDenied
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is None:
            raise WorkflowError(_("There are no changes to submit: edit the entry first."))
        check_transition(Practice, revision.status, PublicationStatus.SUBMITTED)
        errors = practice_submission_errors(revision.data)
        if errors:
            raise ValidationError(errors)
        revision.status = VersionStatus.SUBMITTED
        revision.save(update_fields=["status"])
        audit_log(actor=by, verb="practice.submit_revision", target=practice, data={"version": revision.number})
        return practice

    check_transition(practice, practice.status, PublicationStatus.SUBMITTED)
    errors = practice_submission_errors(practice_snapshot(practice))
    if errors:
        raise ValidationError(errors)
    practice.status = PublicationStatus.SUBMITTED
    practice.submitted_at = timezone.now()
    practice.full_clean()
    practice.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=by, verb="practice.submit", target=practice)
    return practice


@transaction.atomic
def practice_publish(*, practice: Practice, by, comment: str = "") -> Practice:
    perms.require_moderator(by)
    now = timezone.now()
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is None:
            raise WorkflowError(_("This entry has no revision waiting for publication."))
        check_transition(Practice, revision.status, PublicationStatus.PUBLISHED)
        _practice_apply(practice, revision.data)
        revision.status = VersionStatus.PUBLISHED
        revision.save(update_fields=["status"])
        version = revision
    else:
        check_transition(practice, practice.status, PublicationStatus.PUBLISHED)
        practice.status = PublicationStatus.PUBLISHED
        version = practice.versions.order_by("-number").first()
        if version is not None and version.status == VersionStatus.SAVED:
            version.status = VersionStatus.PUBLISHED
            version.save(update_fields=["status"])
    practice.published_at = now
    practice.lock_version = F("lock_version") + 1
    practice.full_clean(exclude=["lock_version"])
    practice.save()
    practice.refresh_from_db()
    # The coordinator saw the entry's new keywords and attachments in the review: publishing accepts them.
    practice.keywords.filter(approved=False).update(approved=True)
    practice.attachments.filter(public=False).update(public=True)
    _decision_create(by=by, decision=Decision.PUBLISHED, comment=comment, practice=practice, version=version)
    audit_log(actor=by, verb="practice.publish", target=practice, message=comment,
              data={"version": version.number if version else None})
    return practice


@transaction.atomic
def practice_return(*, practice: Practice, by, comment: str) -> Practice:
    """Send the entry (or its pending revision) back to the team with the coordinator's comments."""
    perms.require_moderator(by)
    if not comment.strip():
        raise ValidationError({"comment": [_("Tell the team what to change: comments are required.")]})
    version = None
    if practice.status == PublicationStatus.PUBLISHED:
        version = practice_pending_revision(practice)
        if version is None:
            raise WorkflowError(_("This entry has no revision waiting for moderation."))
        check_transition(Practice, version.status, PublicationStatus.RETURNED)
        version.status = VersionStatus.RETURNED
        version.save(update_fields=["status"])
    else:
        check_transition(practice, practice.status, PublicationStatus.RETURNED)
        practice.status = PublicationStatus.RETURNED
        practice.full_clean()
        practice.save(update_fields=["status", "updated_at"])
        version = practice.versions.order_by("-number").first()
    _decision_create(by=by, decision=Decision.RETURNED, comment=comment, practice=practice, version=version)
    audit_log(actor=by, verb="practice.return", target=practice, message=comment)
    return practice


@transaction.atomic
def practice_archive(*, practice: Practice, by, comment: str = "") -> Practice:
    perms.require_moderator(by)
    check_transition(practice, practice.status, PublicationStatus.ARCHIVED)
    practice.status = PublicationStatus.ARCHIVED
    practice.archived_at = timezone.now()
    practice.full_clean()
    practice.save(update_fields=["status", "archived_at", "updated_at"])
    _decision_create(by=by, decision=Decision.ARCHIVED, comment=comment, practice=practice)
    audit_log(actor=by, verb="practice.archive", target=practice, message=comment)
    return practice


@transaction.atomic
def practice_version_restore(*, version: PracticeVersion, by, reason: str = "") -> PracticeVersion:
    """Make an earlier version the entry's content again, as a new version (history is never rewritten)."""
    perms.require_moderator(by)
    practice = Practice.objects.select_for_update().get(pk=version.practice_id)
    if practice.status == PublicationStatus.ARCHIVED:
        raise WorkflowError(_("Publish the archived entry again before restoring a version."))
    _practice_apply(practice, version.data)
    Practice.objects.filter(pk=practice.pk).update(lock_version=F("lock_version") + 1)
    status = VersionStatus.PUBLISHED if practice.status == PublicationStatus.PUBLISHED else VersionStatus.SAVED
    reason = reason or _("Restored version %(number)s") % {"number": version.number}
    new = _version_create(practice=practice, data=practice_snapshot(practice), by=by, status=status, reason=reason)
    _decision_create(by=by, decision=Decision.RESTORED, comment=reason, practice=practice, version=new)
    audit_log(actor=by, verb="practice.restore_version", target=practice,
              data={"from_version": version.number, "version": new.number})
    return new


def translation_languages(obj) -> list[tuple[str, str]]:
    """(code, name) of the languages an entry or project can be translated into: not its own."""
    return [(code, name) for code, name in settings.LANGUAGES if code != obj.language]


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code)).lower()


def _translation_language_check(obj, language: str) -> None:
    if language not in dict(translation_languages(obj)):
        raise ValidationError(
            {"language": [_("Choose a language other than the one the original is written in.")]}
        )


@transaction.atomic
def practice_translation_save(
    *, practice: Practice, by, language: str, fields: dict, lock_version: int, reason: str = ""
) -> PracticeVersion:
    """Add or change one translation of an entry. It is part of the entry's content, so this is an
    edit like any other: in place with a new version for an unpublished entry, a pending revision
    (moderated before it shows) for a published one, with the same permissions and locking."""
    _translation_language_check(practice, language)
    values = {name: (fields.get(name) or "").strip() for name in PracticeTranslation.TRANSLATED_FIELDS}
    if not values["title"]:
        raise ValidationError({"title": [_("A translation needs at least the name of the entry.")]})
    data = dict(practice_current_data(practice))
    data["translations"] = {**data.get("translations", {}), language: values}
    return practice_update(
        practice=practice, by=by, data=data, lock_version=lock_version,
        reason=reason or _("Translation (%(language)s) saved") % {"language": _language_name(language)},
    )


@transaction.atomic
def practice_translation_delete(
    *, practice: Practice, by, language: str, lock_version: int, reason: str = ""
) -> PracticeVersion:
    """Remove one translation of an entry (an edit like practice_translation_save)."""
    data = dict(practice_current_data(practice))
    translations = dict(data.get("translations", {}))
    if translations.pop(language, None) is None:
        raise ValidationError({"language": [_("The entry has no translation in this language.")]})
    data["translations"] = translations
    return practice_update(
        practice=practice, by=by, data=data, lock_version=lock_version,
        reason=reason or _("Translation (%(language)s) removed") % {"language": _language_name(language)},
    )


@transaction.atomic
def practice_transfer_ownership(*, practice: Practice, by, new_owner) -> Practice:
    perms.require_transfer(by)
    if not new_owner.is_active:
        raise ValidationError({"new_owner": [_("The new owner's account is not active.")]})
    old_owner_id = practice.owner_id
    practice.owner = new_owner
    practice.full_clean()
    practice.save(update_fields=["owner", "updated_at"])
    audit_log(actor=by, verb="practice.transfer", target=practice,
              data={"from_user": old_owner_id, "to_user": new_owner.pk})
    return practice


# --- attachments ------------------------------------------------------------------------------


@transaction.atomic
def practice_attachment_add(*, practice: Practice, by, uploaded_file, title: str = "") -> PracticeAttachment:
    from methodbank.contributions.uploads import upload_check

    if not perms.can_edit_practice(by, practice):
        raise PermissionDenied
    content_type = upload_check(uploaded_file)  # raises ValidationError with a clear message
    attachment = PracticeAttachment(
        practice=practice,
        original_name=uploaded_file.name[:255],
        title=title.strip(),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=by,
        public=False,
    )
    attachment.file.save("upload", uploaded_file, save=False)
    attachment.full_clean()
    attachment.save()
    audit_log(actor=by, verb="practice.attachment_add", target=practice, data={"attachment": attachment.pk})
    return attachment


@transaction.atomic
def practice_attachment_delete(*, attachment: PracticeAttachment, by) -> None:
    if not perms.can_edit_practice(by, attachment.practice):
        raise PermissionDenied
    practice = attachment.practice
    if attachment.public and practice.status == PublicationStatus.PUBLISHED and not perms.can_moderate(by):
        raise WorkflowError(_("A published attachment can only be removed by a coordinator."))
    audit_log(actor=by, verb="practice.attachment_delete", target=practice, data={"attachment": attachment.pk})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- keywords ---------------------------------------------------------------------------------


@transaction.atomic
def keyword_approve(*, keyword: Keyword, by) -> Keyword:
    perms.require_moderator(by)
    keyword.approved = True
    keyword.full_clean()
    keyword.save(update_fields=["approved"])
    audit_log(actor=by, verb="keyword.approve", target=keyword)
    return keyword


@transaction.atomic
def keyword_reject(*, keyword: Keyword, by) -> None:
    perms.require_moderator(by)
    if keyword.approved:
        raise WorkflowError(_("Only new, unapproved keywords can be rejected here."))
    audit_log(actor=by, verb="keyword.reject", target=keyword)
    keyword.delete()


# --- projects ---------------------------------------------------------------------------------

PROJECT_FIELDS = ["name", "short_name", "scope", "description", "funding_programme"]


def project_snapshot(project: Project) -> dict:
    data = {name: getattr(project, name) for name in PROJECT_FIELDS}
    data["lead"] = project.lead.name if project.lead_id else ""
    data["ends_on"] = project.ends_on_display
    data["themes"] = sorted(project.themes.values_list("code", flat=True))
    return data


def _project_apply(project: Project, data: dict) -> None:
    for name in PROJECT_FIELDS:
        setattr(project, name, (data.get(name) or "").strip())
    lead = (data.get("lead") or "").strip()
    if lead:
        organisation = Organisation.objects.filter(name__iexact=lead).first()
        if organisation is None:
            organisation = Organisation(name=lead, slug=_unique_slug(Organisation, lead, "organisaatio"))
            organisation.full_clean()
            organisation.save()
        project.lead = organisation
    else:
        project.lead = None
    project.ends_on = data.get("ends_on")
    project.full_clean()
    project.save()
    project.themes.set(data.get("themes") or [])


@transaction.atomic
def project_create(*, by, data: dict) -> Project:
    if not perms.can_contribute(by):
        raise PermissionDenied
    project = Project(owner=by, status=PublicationStatus.DRAFT, slug=_unique_slug(Project, data["name"], "hanke"))
    _project_apply(project, data)
    project.members.add(by)
    audit_log(actor=by, verb="project.create", target=project)
    return project


@transaction.atomic
def project_update(*, project: Project, by, data: dict, lock_version: int) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    if project.status == PublicationStatus.PUBLISHED and not perms.can_moderate(by):
        # Project facts are few and public; a team changes them through a coordinator once published.
        raise WorkflowError(_("A published project is corrected by a coordinator. Contact the coordinators."))
    _lock_take(Project, project, lock_version, project_snapshot)
    _project_apply(project, data)
    audit_log(actor=by, verb="project.update", target=project)
    return project


def _project_edit_check(project: Project, by) -> None:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    if project.status == PublicationStatus.PUBLISHED and not perms.can_moderate(by):
        raise WorkflowError(_("A published project is corrected by a coordinator. Contact the coordinators."))


@transaction.atomic
def project_translation_save(*, project: Project, by, language: str, fields: dict) -> ProjectTranslation:
    """Add or change the project's name and description in another language (who may edit the
    project may edit its translations; a published one through a coordinator, as project_update)."""
    _project_edit_check(project, by)
    _translation_language_check(project, language)
    translation = project.translations.filter(language=language).first() or ProjectTranslation(
        project=project, language=language
    )
    for name in ProjectTranslation.TRANSLATED_FIELDS:
        setattr(translation, name, (fields.get(name) or "").strip())
    if not (translation.name or translation.description):
        raise ValidationError({"description": [_("Write the description (or the name) in this language.")]})
    translation.full_clean()
    translation.save()
    audit_log(actor=by, verb="project.translation_save", target=project, data={"language": language})
    return translation


@transaction.atomic
def project_translation_delete(*, project: Project, by, language: str) -> None:
    _project_edit_check(project, by)
    deleted, _rows = project.translations.filter(language=language).delete()
    if not deleted:
        raise ValidationError({"language": [_("The project has no translation in this language.")]})
    audit_log(actor=by, verb="project.translation_delete", target=project, data={"language": language})


@transaction.atomic
def project_submit(*, project: Project, by) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    check_transition(project, project.status, PublicationStatus.SUBMITTED)
    if not project.description.strip():
        raise ValidationError({"description": [_("Describe the project before submitting it.")]})
    project.status = PublicationStatus.SUBMITTED
    project.submitted_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=by, verb="project.submit", target=project)
    return project


@transaction.atomic
def project_publish(*, project: Project, by, comment: str = "") -> Project:
    perms.require_moderator(by)
    check_transition(project, project.status, PublicationStatus.PUBLISHED)
    project.status = PublicationStatus.PUBLISHED
    project.published_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["status", "published_at", "updated_at"])
    _decision_create(by=by, decision=Decision.PUBLISHED, comment=comment, project=project)
    audit_log(actor=by, verb="project.publish", target=project, message=comment)
    return project


@transaction.atomic
def project_return(*, project: Project, by, comment: str) -> Project:
    perms.require_moderator(by)
    if not comment.strip():
        raise ValidationError({"comment": [_("Tell the team what to change: comments are required.")]})
    check_transition(project, project.status, PublicationStatus.RETURNED)
    project.status = PublicationStatus.RETURNED
    project.full_clean()
    project.save(update_fields=["status", "updated_at"])
    _decision_create(by=by, decision=Decision.RETURNED, comment=comment, project=project)
    audit_log(actor=by, verb="project.return", target=project, message=comment)
    return project


@transaction.atomic
def project_member_add(*, project: Project, by, user) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    project.members.add(user)
    audit_log(actor=by, verb="project.member_add", target=project, data={"user": user.pk})
    return project


@transaction.atomic
def project_member_remove(*, project: Project, by, user) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    if user.pk == project.owner_id:
        raise WorkflowError(_("The owner cannot be removed from the team; transfer the ownership first."))
    project.members.remove(user)
    audit_log(actor=by, verb="project.member_remove", target=project, data={"user": user.pk})
    return project


@transaction.atomic
def project_transfer_ownership(*, project: Project, by, new_owner) -> Project:
    perms.require_transfer(by)
    if not new_owner.is_active:
        raise ValidationError({"new_owner": [_("The new owner's account is not active.")]})
    old_owner_id = project.owner_id
    project.owner = new_owner
    project.full_clean()
    project.save(update_fields=["owner", "updated_at"])
    project.members.add(new_owner)
    audit_log(actor=by, verb="project.transfer", target=project,
              data={"from_user": old_owner_id, "to_user": new_owner.pk})
    return project


@transaction.atomic
def practice_save(
    *, practice: Practice | None, by, data: dict, lock_version: int | None = None, reason: str = "",
    submit: bool = False,
) -> Practice:
    """What the contribution form does: create or update, and submit when asked, in one transaction."""
    if practice is None:
        practice = practice_create(by=by, data=data, reason=reason)
    else:
        practice_update(practice=practice, by=by, data=data, lock_version=lock_version or 0, reason=reason)
    if submit:
        practice_submit(practice=practice, by=by)
    return practice
