"""Write a parsed report into the catalog, in one transaction.

Rows are matched by natural keys, so a second run changes nothing:
theme by code, period by code, subtheme by (theme, name), organisation by name, keyword by name,
project by name or any of its aliases, practice by (title, project) among the imported entries of any
report (never by the file's path: the same report imported from another folder finds its entries),
placement by
(practice, theme, subtheme, period). Rows that already exist are never overwritten: a correction a
coordinator made in the admin survives a re-import. Only what is missing is added (a new row, a
missing placement, keyword, project theme or alias, or a field that is still empty — e.g. the
descriptions of the themes A–D, which a data migration creates without one).
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from methodbank.catalog.limits import SECTION_MAX_CHARS
from methodbank.catalog.models import (
    Keyword,
    Organisation,
    Period,
    Placement,
    Practice,
    Project,
    PublicationStatus,
    Subtheme,
    Theme,
)
from methodbank.catalog.names import seed_names
from methodbank.catalog.signals import (
    bulk_load_finished,
    bulk_load_started,
    import_findings,
    near_duplicates_wanted,
    practices_changed_in_bulk,
    practices_imported,
)

from .findings import Finding, report_findings
from .parser import ParsedEntry, ParsedReport, ParseError

# Keys already used for a report's entries (Practice.source "key:line N") in existing databases and
# the open data: the report with this title keeps its key.
KNOWN_SOURCE_KEYS = {"malleja-ja-hyvia-kaytantoja-siirtymien-sujuvoittamiseen-syksy-2020": "zoomi-2020"}
SOURCE_KEY_MAX = 100

# The seed's Swedish and English introductions are the data of the migration that fills them into an
# existing catalog (a data migration carries its own data); a catalog imported later gets the same.
seed_intros = import_module("methodbank.catalog.migrations.0008_seed_intros_sv_en").seed_intros

IMPORT_KEYWORD = "sujuvat siirtymät"

COUNTED = [
    "themes",
    "subthemes",
    "periods",
    "models",
    "good practices",
    "placements",
    "projects",
    "organisations",
    "keywords",
]


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    new_practices: list[Practice] = field(default_factory=list)
    # Projects named by an entry but described in neither annex, created bare: (line, project).
    bare_projects: list[tuple[int, Project]] = field(default_factory=list)
    near_duplicates: list[tuple[Practice, Practice, float]] = field(default_factory=list)
    # The practice of each entry (by the line of its heading) and each project (by its report name).
    practices_by_line: dict[int, Practice] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    queued: int = 0  # findings the receivers took as new (the data-quality queue's new items)


class _DryRunRollback(Exception):
    pass


def _unique_slug(base: str, used: set[str], max_length: int, fallback: str) -> str:
    """slugify(title), then -2, -3 ... in report order: stable because existing rows are found by
    their natural key before a slug is ever chosen."""
    base = (slugify(base) or fallback)[:max_length].strip("-") or fallback
    slug, number = base, 2
    while slug in used:
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    used.add(slug)
    return slug


def _fill_blanks(obj, values: dict) -> bool:
    """Set the fields of ``obj`` that are still empty; never overwrite a value. True if saved."""
    changed = [
        name for name, value in values.items() if value not in ("", None) and getattr(obj, name) in ("", None)
    ]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        if hasattr(obj, "updated_at"):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return bool(changed)


def _count_existing(result: LoadResult, what: str, updated: bool) -> None:
    (result.updated if updated else result.unchanged)[what] += 1


def practice_create_imported(
    *, entry: ParsedEntry, project: Project, slug: str, source: str, now
) -> Practice:
    """Create one imported practice. Every new practice of an import goes through here, so a
    duplicate check (or any other hook for new entries) belongs in this one function."""
    practice = Practice(
        kind=entry.kind,
        title=entry.title,
        slug=slug,
        project=project,
        summary=entry.summary,
        source=source,
        status=PublicationStatus.PUBLISHED,
        published_at=now,
    )
    # Slugs are made unique by the caller in one pass and the project was just fetched or created:
    # skipping those checks saves two queries per entry.
    practice.full_clean(exclude=["project"], validate_unique=False)
    practice.save()
    return practice


def report_source_key(report: ParsedReport) -> str:
    """The report's key in Practice.source, from its own title (not from where the file lies)."""
    slug = slugify(report.title)
    return KNOWN_SOURCE_KEYS.get(slug) or slug[:SOURCE_KEY_MAX].rstrip("-") or "report"


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def report_check_limits(report: ParsedReport) -> None:
    """Every text fits the field it goes to; else ParseError at the line it comes from.

    Checked before anything is written, so that a too long heading is "line N: reason" with nothing
    imported (SQLite would store it whole, PostgreSQL fail half-way without a line number).
    """
    checks = [(t.line, "theme name", t.name, _limit(Theme, "name")) for t in report.themes]
    checks += [(t.line, "theme introduction", t.description, SECTION_MAX_CHARS) for t in report.themes]
    for sub in report.subthemes:
        checks += [
            (sub.line, "subtheme heading", sub.name, _limit(Subtheme, "name")),
            (sub.line, "subtheme introduction", sub.description, SECTION_MAX_CHARS),
        ]
    checks += [(p.line, "period name", p.name, _limit(Period, "name")) for p in report.periods]
    for entry in report.entries:
        checks += [
            (entry.line, "entry name", entry.title, _limit(Practice, "title")),
            (entry.line, "project name", entry.project_name, _limit(Project, "name")),
            (entry.line, "entry description", entry.summary, SECTION_MAX_CHARS),
        ]
    for project in report.projects:
        checks += [
            (project.line, "project name", name, _limit(Project, "name")) for name in [project.name, *project.aliases]
        ]
        checks += [
            (project.line, "lead organisation", project.lead, _limit(Organisation, "name")),
            (project.line, "project description", project.description, SECTION_MAX_CHARS),
        ]
    for line, what, text, limit in sorted(checks, key=lambda check: check[0]):
        if len(text) > limit:
            raise ParseError(line, f"{what} is {len(text):,} characters long, at most {limit:,} fit: '{text[:60]}…'")


@contextmanager
def _bulk_load():
    """The search app indexes an entry on every save; told of a bulk load (a signal: catalog does not
    import search), it indexes each touched entry once at the end, after its keywords (bulk-created,
    so without m2m signals) are in place."""
    bulk_load_started.send(sender=load_report)
    completed = False
    try:
        yield
        completed = True
    finally:
        bulk_load_finished.send(sender=load_report, completed=completed)


def load_report(report: ParsedReport, *, source_key: str = "", dry_run: bool = False) -> LoadResult:
    """Import ``report``; with ``dry_run`` everything is done and then rolled back (exact counts).

    Raises ParseError when a text is longer than its field allows (nothing is written).
    """
    report_check_limits(report)
    source_key = source_key or report_source_key(report)
    if len(source_key) > SOURCE_KEY_MAX:
        raise ValueError(f"source key longer than {SOURCE_KEY_MAX} characters")
    result = LoadResult()
    try:
        with transaction.atomic():
            with _bulk_load():
                _load(report, source_key, result)
            practices_imported.send(sender=load_report, practices=list(result.practices_by_line.values()))
            # Once indexed: new entries that read almost like another entry (in the bank or in
            # this same report) are shown to the importer as possible duplicates (search answers).
            result.near_duplicates = [
                pair
                for _receiver, pairs in near_duplicates_wanted.send(sender=load_report, practices=result.new_practices)
                for pair in pairs or []
            ]
            result.findings = report_findings(
                report, practices_by_line=result.practices_by_line, projects=result.projects,
                near_duplicates=result.near_duplicates,
            )
            result.queued = sum(
                n or 0 for _receiver, n in
                import_findings.send(sender=load_report, source_key=source_key, findings=result.findings)
            )
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


def _count(result: LoadResult, what: str, created: bool) -> None:
    (result.created if created else result.unchanged)[what] += 1


def _load(report: ParsedReport, source_key: str, result: LoadResult) -> None:
    now = timezone.now()
    keyword, created = Keyword.objects.get_or_create(
        name=IMPORT_KEYWORD, defaults={"slug": slugify(IMPORT_KEYWORD), "approved": True}
    )
    _count(result, "keywords", created)

    themes = {}
    for parsed in report.themes:
        theme, created = Theme.objects.get_or_create(
            code=parsed.code,
            defaults={
                "name": parsed.name,
                "slug": slugify(f"{parsed.code} {parsed.name}")[:100],
                "description": parsed.description,
            },
        )
        themes[parsed.code] = theme
        names = {**seed_names(theme, "theme"), **seed_intros(theme.code)}
        if created:
            _fill_blanks(theme, names)
            _count(result, "themes", True)
        else:
            _count_existing(result, "themes", _fill_blanks(theme, {"description": parsed.description, **names}))

    periods = {}
    for parsed in report.periods:
        period, created = Period.objects.get_or_create(
            code=parsed.code,
            defaults={"name": parsed.name, "starts_on": parsed.starts_on, "ends_on": parsed.ends_on},
        )
        periods[parsed.code] = period
        filled = _fill_blanks(period, seed_names(period, "period"))
        if created:
            _count(result, "periods", True)
        else:
            _count_existing(result, "periods", filled)

    subthemes = {}
    existing_subthemes = {(s.theme_id, s.name): s for s in Subtheme.objects.filter(theme__in=themes.values())}
    used_subtheme_slugs = {(s.theme_id, s.slug) for s in existing_subthemes.values()}
    for parsed in report.subthemes:
        theme = themes[parsed.theme_code]
        subtheme = existing_subthemes.get((theme.id, parsed.name))
        if subtheme is not None:
            values = {
                "description": parsed.description,
                **seed_names(subtheme, "subtheme"),
                **seed_intros(parsed.theme_code, parsed.name),
            }
            _count_existing(result, "subthemes", _fill_blanks(subtheme, values))
        else:
            _count(result, "subthemes", True)
            used = {slug for theme_id, slug in used_subtheme_slugs if theme_id == theme.id}
            slug = _unique_slug(parsed.name, used, 200, "osateema")
            used_subtheme_slugs.add((theme.id, slug))
            subtheme = Subtheme.objects.create(
                theme=theme,
                name=parsed.name,
                slug=slug,
                description=parsed.description,
                position=parsed.position,
            )
            _fill_blanks(subtheme, {**seed_names(subtheme, "subtheme"), **seed_intros(parsed.theme_code, parsed.name)})
        subthemes[(parsed.theme_code, parsed.position)] = subtheme

    projects = _load_projects(report, themes, result, now)
    result.projects = projects
    _load_practices(report, source_key, themes, subthemes, periods, projects, keyword, result, now)


def _load_projects(report, themes, result, now) -> dict[str, Project]:
    leads = sorted({p.lead for p in report.projects if p.lead})
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=leads)}
    used_org_slugs = set(Organisation.objects.values_list("slug", flat=True))
    new_orgs = []
    for name in leads:
        if name in organisations:
            _count(result, "organisations", False)
            continue
        organisation = Organisation(name=name, slug=_unique_slug(name, used_org_slugs, 300, "organisaatio"))
        new_orgs.append(organisation)
        organisations[name] = organisation
        _count(result, "organisations", True)
    Organisation.objects.bulk_create(new_orgs)
    if new_orgs and new_orgs[0].pk is None:  # databases that return no ids from bulk inserts
        organisations.update({o.name: o for o in Organisation.objects.filter(name__in=leads)})

    # A project is found by its name or by any alias (coordinators may have renamed it).
    by_name: dict[str, Project] = {}
    for project in Project.objects.all():
        for name in [project.name, *project.aliases]:
            by_name.setdefault(name, project)
    used_slugs = set(Project.objects.values_list("slug", flat=True))
    resolved: dict[str, Project] = {}
    theme_links = set(Project.themes.through.objects.values_list("project_id", "theme_id"))
    new_links = []
    for parsed in report.projects:
        project = next((by_name[n] for n in [parsed.name, *parsed.aliases] if n in by_name), None)
        if project is None:
            project = Project(
                name=parsed.name,
                slug=_unique_slug(parsed.name, used_slugs, 300, "hanke"),
                short_name=parsed.short_name[:100],
                aliases=list(parsed.aliases),
                lead=organisations.get(parsed.lead),
                ends_on=parsed.ends_on,
                scope=parsed.scope,
                description=parsed.description,
                status=PublicationStatus.PUBLISHED,
                published_at=now,
            )
            project.full_clean(exclude=["lead"], validate_unique=False)
            project.save()
            _count(result, "projects", True)
            if any(parsed is bare for bare in report.created_projects):
                result.bare_projects.append((parsed.line, project))
        else:
            missing = [
                a for a in [parsed.name, *parsed.aliases] if a != project.name and a not in project.aliases
            ]
            if missing:
                project.aliases = [*project.aliases, *missing]
                project.save(update_fields=["aliases", "updated_at"])
            filled = _fill_blanks(
                project,
                {
                    "lead_id": getattr(organisations.get(parsed.lead), "id", None),
                    "ends_on": parsed.ends_on,
                    "scope": parsed.scope,
                    "description": parsed.description,
                    "short_name": parsed.short_name[:100],
                },
            )
            _count_existing(result, "projects", bool(missing) or filled)
        for name in [parsed.name, *parsed.aliases]:
            by_name.setdefault(name, project)
        resolved[parsed.name] = project
        for code in parsed.themes:
            link = (project.id, themes[code].id)
            if link not in theme_links:
                theme_links.add(link)
                new_links.append(Project.themes.through(project_id=link[0], theme_id=link[1]))
    Project.themes.through.objects.bulk_create(new_links)
    return resolved


def _load_practices(report, source_key, themes, subthemes, periods, projects, keyword, result, now) -> None:
    prefix = f"{source_key}:line "
    # Any imported entry (whatever report key or folder it came with) is found again by its title
    # and project; the oldest wins where earlier imports from other folders made duplicates.
    imported = Practice.objects.filter(source__contains=":line ")
    existing = {}
    for p in imported.order_by("pk").only("id", "title", "project_id"):
        existing.setdefault((p.title, p.project_id), p)
    used_slugs = set(Practice.objects.values_list("slug", flat=True))
    placements = set(
        Placement.objects.filter(practice__in=imported).values_list(
            "practice_id", "theme_id", "subtheme_id", "period_id"
        )
    )
    tagged = set(
        Practice.keywords.through.objects.filter(keyword=keyword).values_list("practice_id", flat=True)
    )
    new_placements, new_tags = [], []
    for entry in report.entries:
        project = projects[entry.project_key]
        kind_label = "models" if entry.kind == "model" else "good practices"
        practice = existing.get((entry.title, project.id))
        if practice is None:
            slug = _unique_slug(entry.title, used_slugs, 300, "kaytanto")
            practice = practice_create_imported(
                entry=entry, project=project, slug=slug, source=f"{prefix}{entry.line}", now=now
            )
            existing[(entry.title, project.id)] = practice
            result.new_practices.append(practice)
            _count(result, kind_label, True)
        else:
            _count(result, kind_label, False)
        result.practices_by_line[entry.line] = practice
        if practice.id not in tagged:
            tagged.add(practice.id)
            new_tags.append(Practice.keywords.through(practice_id=practice.id, keyword_id=keyword.id))
        for place in entry.placements:
            subtheme = subthemes.get((place.theme_code, place.subtheme_position))
            period = periods.get(place.period_code)
            key = (
                practice.id,
                themes[place.theme_code].id,
                subtheme.id if subtheme else None,
                period.id if period else None,
            )
            if key in placements:
                _count(result, "placements", False)
                continue
            placements.add(key)
            new_placements.append(
                Placement(
                    practice=practice,
                    theme=themes[place.theme_code],
                    subtheme=subtheme,
                    period=period,
                    position=place.position,
                )
            )
            _count(result, "placements", True)
    Placement.objects.bulk_create(new_placements)
    Practice.keywords.through.objects.bulk_create(new_tags)
    # bulk_create sends no m2m signal: say which entries got new keywords.
    practices_changed_in_bulk.send(sender=load_report, practice_ids={tag.practice_id for tag in new_tags})
