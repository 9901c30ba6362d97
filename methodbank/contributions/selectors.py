"""Reads of the contribution side: own page, moderation queue, versions and their diffs."""

import datetime
import time
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.accounts.roles import team_practices_q
from methodbank.catalog import extensions
from methodbank.catalog.limits import SECTION_MAX_CHARS
from methodbank.catalog.models import (
    Adoption,
    AdoptionStatus,
    Keyword,
    Practice,
    PracticeKind,
    PracticeTranslation,
    Project,
    PublicationStatus,
)

from . import permissions as perms
from .models import (
    PENDING_VERSION_STATUSES,
    ClaimStatus,
    ModerationDecision,
    PracticeVersion,
    ProjectClaim,
    QualityIssue,
    QualityIssueStatus,
    VersionStatus,
)


def own_practices(*, user):
    """Entries the user owns or may edit as a team member, with what the own page shows."""
    pending = PracticeVersion.objects.filter(practice=OuterRef("pk"), status__in=PENDING_VERSION_STATUSES)
    return (
        Practice.objects.filter(perms.editable_practices_q(user))
        .distinct()
        .select_related("project", "applies_model")
        .prefetch_related(
            "links",
            Prefetch(
                "versions",
                queryset=PracticeVersion.objects.filter(status__in=PENDING_VERSION_STATUSES).order_by("-number"),
                to_attr="pending_revisions",
            ),
            Prefetch("decisions", queryset=ModerationDecision.objects.order_by("-created_at"), to_attr="decision_list"),
        )
        .annotate(has_pending_revision=Exists(pending))
        .order_by("-updated_at", "-id")
    )


def own_projects(*, user):
    return (
        Project.objects.filter(perms.editable_projects_q(user))
        .distinct()
        .select_related("lead")
        .prefetch_related(
            Prefetch("decisions", queryset=ModerationDecision.objects.order_by("-created_at"), to_attr="decision_list")
        )
        .order_by("name")
    )


def practice_models_for_choice():
    """Models a good practice can apply: published ones."""
    return Practice.objects.published().filter(kind="model").order_by("title")


def projects_for_choice(*, user):
    """Projects an entry can belong to: the user's teams, and every published project for coordinators."""
    if perms.can_moderate(user):
        return Project.objects.order_by("name")
    return Project.objects.filter(perms.editable_projects_q(user)).distinct().order_by("name")


def keyword_names():
    return list(Keyword.objects.filter(approved=True).order_by("name").values_list("name", flat=True))


def practice_versions(*, practice):
    return practice.versions.select_related("author").order_by("-number")


@dataclass
class PublicationPreview:
    """What publishing an entry makes visible besides its own text: the coordinator sees it before deciding."""

    project: Project | None = None  # the entry's project, when it is not published yet
    keywords: list[str] = field(default_factory=list)  # new keywords that publishing accepts
    translations: list[str] = field(default_factory=list)  # names of languages new or changed
    attachments: list = field(default_factory=list)  # attachments that become public

    def __bool__(self):
        return bool(self.project or self.keywords or self.translations or self.attachments)


def publication_preview(*, practice, content) -> PublicationPreview:
    """``content``: the PracticeContent that publishing would make public (the pending revision's or
    the entry's own)."""
    languages = dict(settings.LANGUAGES)
    project = Project.objects.select_related("lead").filter(pk=content.project).first() if content.project else None
    public_translations = (
        {t.language: {name: getattr(t, name) for name in PracticeTranslation.TRANSLATED_FIELDS}
         for t in practice.translations.all()}
        if practice.status == PublicationStatus.PUBLISHED else {}
    )
    return PublicationPreview(
        project=project if project is not None and project.status != PublicationStatus.PUBLISHED else None,
        keywords=sorted(Keyword.objects.filter(name__in=content.keywords, approved=False)
                        .values_list("name", flat=True)),
        translations=[
            str(languages.get(code, code)) for code, fields in sorted((content.translations or {}).items())
            if public_translations.get(code) != {name: fields.get(name, "") for name in
                                                 PracticeTranslation.TRANSLATED_FIELDS}
        ],
        attachments=list(practice.attachments.filter(public=False)),
    )


def practice_attachments(*, practice):
    """Every attachment of an entry, public or not, for the review page."""
    return list(practice.attachments.order_by("created_at", "id"))


def practice_decisions(*, practice):
    return practice.decisions.select_related("decided_by", "version").order_by("-created_at", "-id")


# --- moderation queue -------------------------------------------------------------------------


@dataclass
class QueueItem:
    kind: str  # "practice", "revision" or "project"
    obj: object
    submitted_at: datetime.datetime | None
    title: str
    practice_kind: str = ""
    project_name: str = ""
    duplicates: list = field(default_factory=list)

    @property
    def age_days(self) -> int:
        if self.submitted_at is None:
            return 0
        return (timezone.now() - self.submitted_at).days


def moderation_queue(*, kind: str = "", theme: str = "", project: str = "", min_age_days: int | None = None):
    """Everything waiting for a coordinator, oldest first: entries, revisions of published entries,
    and projects. Filters: kind (model / good_practice / project), theme code, project id, age."""
    items: list[QueueItem] = []
    practices = Practice.objects.filter(status=PublicationStatus.SUBMITTED).select_related("project")
    revisions = PracticeVersion.objects.filter(
        status=VersionStatus.SUBMITTED, practice__status=PublicationStatus.PUBLISHED
    ).select_related("practice__project", "author")
    if kind in ("model", "good_practice"):
        practices = practices.filter(kind=kind)
        revisions = revisions.filter(practice__kind=kind)
    if theme:
        practices = practices.filter(placements__theme__code=theme).distinct()
        revisions = revisions.filter(practice__placements__theme__code=theme).distinct()
    if project:
        practices = practices.filter(project_id=project)
        revisions = revisions.filter(practice__project_id=project)
    if kind in ("", "model", "good_practice"):
        for p in practices:
            items.append(QueueItem("practice", p, p.submitted_at, p.title, p.kind,
                                   p.project.name if p.project_id else ""))
        for v in revisions:
            items.append(QueueItem("revision", v, v.created_at, v.data.get("title", v.practice.title),
                                   v.practice.kind, v.practice.project.name if v.practice.project_id else ""))
    if kind in ("", "project") and not project:
        projects = Project.objects.filter(status=PublicationStatus.SUBMITTED).select_related("lead")
        if theme:
            projects = projects.filter(themes__code=theme).distinct()
        for pr in projects:
            items.append(QueueItem("project", pr, pr.submitted_at, pr.name, "project"))
    if min_age_days:
        cutoff = timezone.now() - datetime.timedelta(days=min_age_days)
        items = [i for i in items if i.submitted_at and i.submitted_at <= cutoff]
    items.sort(key=lambda i: (i.submitted_at or timezone.now(), i.title))
    for item in items:
        if item.kind == "practice":
            item.duplicates = similar_entries(title=item.obj.title, summary=item.obj.summary, text="",
                                              exclude_pk=item.obj.pk)
        elif item.kind == "revision":
            item.duplicates = similar_entries(title=item.title, summary=item.obj.data.get("summary", ""), text="",
                                              exclude_pk=item.obj.practice_id)
    return items


def unapproved_keywords():
    return Keyword.objects.filter(approved=False).prefetch_related("practices").order_by("name")


def similar_entries(*, title: str, summary: str, text: str = "", exclude_pk=None) -> list:
    """Possible duplicates from whatever app registered a finder in catalog.extensions (search);
    else none. The seam is deliberately narrow: search owns similarity; here it is only displayed.
    Results may be entries or (entry, score) pairs.
    """
    results = []
    for result in extensions.find_duplicates(title=title, summary=summary, text=text, exclude_pk=exclude_pk):
        if isinstance(result, tuple | list):
            entry, score = result[0], result[1] if len(result) > 1 else None
        else:
            entry, score = getattr(result, "practice", result), getattr(result, "score", None)
        results.append({"entry": entry, "score": score})
    return results


SIMILAR_SHOWN = 5


def similar_for_contributor(*, title: str, summary: str, exclude_pk=None, applies_model=None) -> list:
    """The most similar existing entries a contributor is shown while writing and when submitting:
    the entry itself and the model it says it applies are not duplicates of it."""
    if not (title or "").strip() and not (summary or "").strip():
        return []
    found = similar_entries(title=title or "", summary=summary or "", exclude_pk=exclude_pk)
    return [item for item in found if item["entry"].pk != applies_model][:SIMILAR_SHOWN]


# --- diffs ------------------------------------------------------------------------------------


def snapshot_value_text(value) -> str:
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                lines.append(item.get("label") or " – ".join(str(v) for k, v in item.items() if k in ("title", "url", "name") and v))
            else:
                lines.append(str(item))
        return "\n".join(lines)
    if value is None:
        return ""
    return str(value)


def diff_fields():
    """(snapshot key, readable label) in the order of the form."""
    labels = [
        ("kind", _("Kind")),
        ("title", _("Name")),
        ("summary", _("Summary")),
    ]
    labels += [(name, str(heading)) for name, heading in Practice.TEMPLATE_FIELDS]
    labels += [
        ("project_name", _("Project")),
        ("applies_model_title", _("Model it applies")),
        ("model_criteria", _("Model criteria met")),
        ("placements", _("Placements")),
        ("keywords", _("Keywords")),
        ("links", _("Links")),
        ("attachments", _("Attachments")),
    ]
    return labels


def _translation_fields(old: dict, new: dict):
    """(key, label, old text, new text) for every field of every translation in either snapshot,
    e.g. ("translations.sv.summary", "Summary (Swedish translation)", ...)."""
    languages = dict(settings.LANGUAGES)
    labels = {"title": _("Name"), "summary": _("Summary"), **{n: str(h) for n, h in Practice.TEMPLATE_FIELDS}}
    old_translations, new_translations = old.get("translations") or {}, new.get("translations") or {}
    for code in sorted(set(old_translations) | set(new_translations)):
        for name in PracticeTranslation.TRANSLATED_FIELDS:
            label = _("%(field)s (%(language)s translation)") % {
                "field": labels[name], "language": languages.get(code, code)
            }
            yield (
                f"translations.{code}.{name}",
                label,
                (old_translations.get(code) or {}).get(name, ""),
                (new_translations.get(code) or {}).get(name, ""),
            )


# A field longer than this on either side (in characters or lines) is not compared inline: the page
# says it is too large and gives the sizes. The character cap is the limit the forms, the API and
# the importer enforce (methodbank/catalog/limits.py), so older or oversized data cannot stall the
# page; 500 lines is far more than a section of prose holds, and keeps a whole revision's diff
# (30 fields with translations) within bench/diff_bench.py's goal.
INLINE_DIFF_MAX_CHARS = SECTION_MAX_CHARS
INLINE_DIFF_MAX_LINES = 500
# Time the line diff of a whole revision may take. diff-match-patch's Myers diff stops refining
# at the deadline and returns a correct, coarser diff (whole blocks removed and added).
DIFF_TIME_BUDGET_SECONDS = 0.03


def _line_diff(a: str, b: str, deadline: float) -> list[tuple[str, str]]:
    """Line-level diff in linear time: each distinct line becomes one character (diff-match-patch's
    line mode, done here with a dict instead of its slower per-line search), so the Myers diff runs
    over lines, and stops refining at the deadline."""
    index: dict[str, int] = {}
    codes_a = "".join(chr(index.setdefault(line, len(index))) for line in a.splitlines())
    codes_b = "".join(chr(index.setdefault(line, len(index))) for line in b.splitlines())
    lines = list(index)
    dmp = diff_match_patch()
    names = {dmp.DIFF_EQUAL: "equal", dmp.DIFF_DELETE: "removed", dmp.DIFF_INSERT: "added"}
    result = []
    for op, chunk in dmp.diff_main(codes_a, codes_b, False, deadline):
        name = names[op]
        result.extend([(name, lines[ord(code)]) for code in chunk])
    return result


def _too_large(text: str) -> bool:
    return len(text) > INLINE_DIFF_MAX_CHARS or text.count("\n") >= INLINE_DIFF_MAX_LINES


def version_diff(old: dict, new: dict) -> list[dict]:
    """Changed fields with line-level changes: [{label, lines: [(op, text)]}] where op is
    "equal", "removed" or "added". Templates escape the text (never marked safe). Translations are
    compared field by field. A field too large to compare inline has ``too_large`` set and the sizes
    of both sides instead of lines."""
    changes = []
    fields = [(key, label, old.get(key), new.get(key)) for key, label in diff_fields()]
    fields += list(_translation_fields(old, new))
    deadline = time.time() + DIFF_TIME_BUDGET_SECONDS  # diff-match-patch's clock
    for key, label, old_value, new_value in fields:
        a, b = snapshot_value_text(old_value), snapshot_value_text(new_value)
        if a == b:
            continue
        if _too_large(a) or _too_large(b):
            changes.append({"key": key, "label": label, "lines": [], "too_large": True,
                            "old_chars": len(a), "new_chars": len(b)})
            continue
        changes.append({"key": key, "label": label, "lines": _line_diff(a, b, deadline)})
    return changes


def version_get(*, practice, number: int) -> PracticeVersion:
    return get_object_or_404(PracticeVersion.objects.select_related("author"), practice=practice, number=number)



def translation_languages(obj) -> list[tuple[str, str]]:
    """(code, name) of the languages an entry or project can be translated into: not its own."""
    return [(code, name) for code, name in settings.LANGUAGES if code != obj.language]


def pending_claims():
    """Requests to join a team that wait for a coordinator, oldest first."""
    return ProjectClaim.objects.filter(status=ClaimStatus.PENDING).select_related("project", "practice", "user")


def own_claims(*, user) -> list:
    """The user's requests to join a team, newest first (the own page shows their state)."""
    return list(ProjectClaim.objects.filter(user=user).select_related("project").order_by("-created_at", "-id"))


def claim_pending_for(*, user, project) -> bool:
    return ProjectClaim.objects.filter(user=user, project=project, status=ClaimStatus.PENDING).exists()


def pending_claim_of(*, user, project) -> ProjectClaim | None:
    """The user's request to join the project's team that still waits for a coordinator."""
    return ProjectClaim.objects.filter(user=user, project=project, status=ClaimStatus.PENDING).first()


def open_quality_issues(*, kind: str = ""):
    """Open items of the data-quality queue, with their entry and project, by kind and age."""
    issues = QualityIssue.objects.filter(status=QualityIssueStatus.OPEN).select_related(
        "practice__project", "project"
    ).prefetch_related("practice__links")
    return issues.filter(kind=kind) if kind else issues


def open_quality_issue_counts() -> dict[str, int]:
    rows = QualityIssue.objects.filter(status=QualityIssueStatus.OPEN).values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def pending_adoptions():
    """Adoption records that wait for a coordinator, oldest first."""
    return (
        Adoption.objects.filter(status=AdoptionStatus.PENDING)
        .select_related("model", "practice", "created_by")
        .order_by("created_at", "id")
    )


def own_adoptions(*, user) -> list:
    """The adoption records the user made or may withdraw (those of their team's good practices), newest first."""
    return list(
        Adoption.objects.filter(Q(created_by=user) | Q(practice__in=Practice.objects.filter(team_practices_q(user))))
        .select_related("model", "practice")
        .distinct()
        .order_by("-created_at", "-id")
    )


def team_practices_applying(*, user, model):
    """The user's team's good practices that apply ``model``: they may record its adoption for them."""
    return (
        Practice.objects.filter(team_practices_q(user), kind=PracticeKind.GOOD_PRACTICE, applies_model=model)
        .distinct()
        .order_by("title")
    )
