"""The one context builder: a definition in, the whole report as plain JSON-able data out.

Every renderer (HTML page, PDF, DOCX) reads this structure and nothing else, and a published
report freezes it, so the three formats and every later view of a version always agree.
Every number in it is computed here from the selected entries.

Placement rules (one entry, several places):
- a model is listed once per (theme, subtheme) it is placed in, in the models part;
- a good practice is listed once per (theme, subtheme, period) it is placed in, under its period.
"""

from collections import OrderedDict, defaultdict

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from methodbank.catalog import places
from methodbank.catalog.models import PracticeKind, Project, ProjectScope, Theme
from methodbank.catalog.selectors import adoption_counts_by_region, most_adopted_models
from methodbank.contributions.content import public_contents
from methodbank.evaluation.selectors import EvaluationStatus, latest_model_results
from methodbank.evaluation.templatetags.evaluation import criterion_chart, history_chart

from . import selectors
from .authored import check_report_texts, period_names, render_authored

CONTEXT_VERSION = 1
# The "most adopted models" section lists at most this many models (those with approved adoption records).
MOST_ADOPTED_LIMIT = 10


class EmptySelectionError(ValueError):
    """The definition selects no published entries: there is no report to make."""


def empty_selection_message(definition) -> str:
    return _(
        "The report “%(title)s” selects no published entries. Widen its selection (themes, subthemes, "
        "periods, kinds, keywords, projects or dates) before building it."
    ) % {"title": definition.title}


def entry_url(practice) -> str:
    return settings.SITE_URL.rstrip("/") + practice.get_absolute_url()


def report_for_site(report: dict) -> dict:
    """The report with its absolute links naming the site's address now (SITE_URL).

    A built or published report freezes the address it was built under; when the bank moves (another
    port, a new domain) its pages and files are made again from the same frozen content with every
    ``url`` rebased, so no link points to the old address. Everything else stays as published.
    """
    old = (report.get("site_url") or "").rstrip("/")
    new = settings.SITE_URL.rstrip("/")
    if not old or old == new:
        return report

    def rebase(value):
        if isinstance(value, dict):
            return {
                key: (new + item[len(old):] if key == "url" and isinstance(item, str) and item.startswith(old + "/")
                      else rebase(item))
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [rebase(item) for item in value]
        return value

    rebased = rebase(report)
    rebased["site_url"] = settings.SITE_URL
    return rebased


def _paragraphs(text: str) -> list[str]:
    """Plain catalog text (descriptions) as paragraphs; renderers escape it."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def _period_label(period) -> str:
    if period is None:
        return _("Good practices without a period")
    return _("Good practices collected during %(period)s") % {
        "period": str(period)  # name and dates in the report's language
    }


def _entry_data(practice) -> dict:
    return {
        "id": practice.pk,
        "slug": practice.slug,
        "title": practice.title,
        "kind": practice.kind,
        "summary": practice.summary,
        "project": practice.project.name if practice.project_id else "",
        "url": entry_url(practice),
        # The entry's own language: renderers mark a title in another language than the report's.
        "language": practice.language,
    }


def _place_label(placement) -> str:
    """Where the report lists an entry: theme / subtheme, and the period for a good practice."""
    theme, subtheme = placement.theme, placement.subtheme
    label = f"{theme.code} / {subtheme.local_name if subtheme else ''}"
    if placement.practice.kind == PracticeKind.MODEL:
        return label
    return f"{label} / {placement.period.code if placement.period_id else '-'}"


def report_entries(placements) -> dict:
    """{entry id as a string (a JSON key): the entry, its places in the report and its whole public
    content}: what a published version freezes of its entries, and what comparisons diff."""
    entries = {}
    for placement in placements:
        key = str(placement.practice_id)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = {**_entry_data(placement.practice), "places": []}
        place = _place_label(placement)
        if place not in entry["places"]:  # a model placed in one subtheme under two periods
            entry["places"].append(place)
    contents = public_contents(int(key) for key in entries)
    for key, entry in entries.items():
        entry["content"] = contents[int(key)].to_json()
    return entries


def _annex_projects(*, definition, ids, entry_project_ids, theme_ids):
    """Projects for the annexes.

    When the selection narrows entries by their own properties (projects, kinds, keywords, dates),
    the annexes list the projects of the selected entries. A selection by themes, subthemes or
    periods lists every published project working on the report's themes plus the entries'
    projects; no selection at all lists every published project, as the seed's annexes do.
    """
    narrowed = bool(ids["projects"] or definition.kinds or ids["keywords"] or definition.date_from or definition.date_to)
    placed = bool(ids["themes"] or ids["subthemes"] or ids["periods"])
    qs = Project.objects.select_related("lead").prefetch_related("themes")
    if narrowed:
        qs = qs.filter(pk__in=entry_project_ids)
    elif not placed:
        # The whole catalog: every published project, also those without entries or themes.
        qs = qs.filter(pk__in=entry_project_ids) | qs.published()
    else:
        qs = qs.filter(pk__in=entry_project_ids) | qs.published().filter(themes__in=theme_ids)
    return list(qs.distinct().order_by("name"))


def build_report_context(definition, *, progress=None, now=None) -> dict:
    """Build the report. ``progress(percent)`` is called as the work advances (background builds)."""
    progress = progress or (lambda percent: None)
    now = now or timezone.now()
    with translation.override(definition.language or settings.LANGUAGE_CODE):
        return _build(definition, progress=progress, now=now)


def includes_evaluation_results(definition) -> bool:
    """A definition that selects models by an evaluated status (peer evaluated or an experts'
    outcome) is about evaluation results: its report shows each evaluated model's results."""
    return bool(set(definition.evaluation_statuses or []) - {EvaluationStatus.NOT_EVALUATED})


def _chart_data(chart, key: str) -> dict:
    """A chart (core.charts.BarChart) as plain data for the snapshot; ``key`` names it within its
    entry, and the renderers add the entry's place so that every chart's ids are unique."""
    return {
        "key": key,
        "title": chart.title,
        "labels": [str(label) for label in chart.labels],
        "series": [{"name": str(s.name), "values": list(s.values)} for s in chart.series],
        "max_value": chart.max_value,
        "decimals": chart.decimals,
        "label_heading": str(chart.label_heading),
    }


def _evaluation_data(practice_ids) -> dict:
    """{model id: its latest evaluation's per-criterion results as charts}, for the evaluated ones."""
    data = {}
    for pk, results in latest_model_results(practice_ids=practice_ids).items():
        data[pk] = {
            "date": date_format(results.event.date, "SHORT_DATE_FORMAT"),
            "individual_count": results.individual_count + results.anonymous_count,
            "group_count": results.group_count,
            "charts": [_chart_data(criterion_chart(row), f"c-{row.criterion.code}") for row in results.criteria],
            "history": [_chart_data(history_chart(item), f"h-{item.code}") for item in results.history],
        }
    return data


def _most_adopted(entries: dict, model_ids: set) -> list[dict]:
    """The selected models that organisations have adopted, most adopted first, with where."""
    ranked = most_adopted_models(model_ids=model_ids, limit=MOST_ADOPTED_LIMIT)
    by_region = adoption_counts_by_region([model.pk for model, _count in ranked])
    rows = []
    for model, count in ranked:
        entry = entries[str(model.pk)]  # keyed as in the snapshot (JSON keys)
        regions = by_region.get(model.pk, {})
        rows.append({
            **{k: entry[k] for k in ("id", "title", "project", "url", "language")},
            "organisations": count,
            "region_count": len(regions),
            # Region names in the report's language, most adoptions first.
            "regions": [
                {"code": code, "name": places.region(code).name, "count": n}
                for code, n in sorted(regions.items(), key=lambda item: (-item[1], item[0]))
            ],
        })
    return rows


def _build(definition, *, progress, now) -> dict:
    ids = selectors._selection_ids(definition)
    placements = list(selectors.report_selected_placements(definition=definition, ids=ids))
    if not placements:
        raise EmptySelectionError(empty_selection_message(definition))
    progress(20)
    evaluations = (
        _evaluation_data({p.practice_id for p in placements if p.practice.kind == PracticeKind.MODEL})
        if includes_evaluation_results(definition)
        else {}
    )

    periods = {p.period_id: p.period for p in placements if p.period_id}
    if ids["periods"]:
        candidate_periods = [periods[pid] for pid in ids["periods"] if pid in periods]
    else:
        candidate_periods = list(periods.values())
    # The newest period the report covers. Named by its dates in the report, never "current": the
    # report is read long after the period has ended.
    current_period = max(candidate_periods, key=lambda p: p.starts_on, default=None)
    periods_named = period_names(current_period)

    themes = OrderedDict()  # theme id -> theme section
    entries = report_entries(placements)  # entry id -> entry data with its places (for comparisons)
    theme_entry_sets = defaultdict(lambda: {"models": set(), "good_practices": set(), "new": set(), "all": set()})
    seen_places = set()
    # Themes chosen explicitly stay in the report even without entries (their counts say 0).
    explicit_themes = list(Theme.objects.filter(pk__in=ids["themes"])) if ids["themes"] else []
    for theme in sorted({p.theme for p in placements} | set(explicit_themes), key=lambda t: t.code):
        themes[theme.pk] = {
            "id": theme.pk,
            "code": theme.code,
            "name": theme.local_name,
            "title": str(theme),
            "anchor": f"theme-{theme.code.lower()}",
            "subthemes": OrderedDict(),
        }

    for placement in placements:
        practice = placement.practice
        is_model = practice.kind == PracticeKind.MODEL
        place_key = (placement.theme_id, placement.subtheme_id, None if is_model else placement.period_id)
        entry = entries[str(practice.pk)]
        sets = theme_entry_sets[placement.theme_id]
        sets["all"].add(practice.pk)
        sets["models" if is_model else "good_practices"].add(practice.pk)
        if current_period and placement.period_id == current_period.pk:
            sets["new"].add(practice.pk)
        if (practice.pk, place_key) in seen_places:
            # A model placed in one subtheme under two periods is still listed once there.
            continue
        seen_places.add((practice.pk, place_key))

        theme = themes[placement.theme_id]
        subtheme = placement.subtheme
        sub_key = subtheme.pk if subtheme else 0
        section = theme["subthemes"].get(sub_key)
        if section is None:
            section = theme["subthemes"][sub_key] = {
                "id": sub_key,
                "name": subtheme.local_name if subtheme else "",
                "anchor": f"{theme['anchor']}-{sub_key}",
                # The introduction in the report's language, else the Finnish one marked as Finnish.
                "description": _paragraphs(subtheme.local_intro.text) if subtheme else [],
                "description_language": subtheme.local_intro.language if subtheme else "",
                "models": [],
                "periods": OrderedDict(),
            }
        item = {k: entry[k] for k in ("id", "title", "kind", "summary", "project", "url", "language")}
        if is_model:
            if practice.pk in evaluations:
                item["evaluation"] = evaluations[practice.pk]
            section["models"].append(item)
        else:
            period = placement.period
            period_key = period.pk if period else 0
            group = section["periods"].get(period_key)
            if group is None:
                group = section["periods"][period_key] = {
                    "id": period_key,
                    "label": _period_label(period),
                    "starts_on": period.starts_on.isoformat() if period else "",
                    "entries": [],
                }
            group["entries"].append(item)
    progress(40)

    # Theme-level entries (no subtheme) first, then subthemes in their order; periods newest first.
    theme_counts = {}
    theme_list = []
    for theme in themes.values():
        sets = theme_entry_sets[theme["id"]]
        counts = {
            "models": len(sets["models"]),
            "good_practices": len(sets["good_practices"]),
            "entries": len(sets["all"]),
            "new": len(sets["new"]),
            "earlier": len(sets["all"] - sets["new"]),
        }
        theme_counts[theme["code"]] = counts
        # Entries placed on the theme itself (no subtheme) come before the subthemes.
        subthemes = sorted(theme["subthemes"].values(), key=lambda s: s["id"] != 0)
        for section in subthemes:
            section["periods"] = sorted(section["periods"].values(), key=lambda g: g["starts_on"] or "0", reverse=True)
        theme["subthemes"] = subthemes
        theme["counts"] = counts
        theme_list.append(theme)

    all_ids = {e["id"] for e in entries.values()}
    new_ids = set().union(*(s["new"] for s in theme_entry_sets.values())) if theme_entry_sets else set()
    model_ids = {e["id"] for e in entries.values() if e["kind"] == PracticeKind.MODEL}

    most_adopted = _most_adopted(entries, model_ids)

    # Annexes.
    entry_project_ids = {p.practice.project_id for p in placements if p.practice.project_id}
    project_entry_themes = defaultdict(set)
    for p in placements:
        if p.practice.project_id:
            project_entry_themes[p.practice.project_id].add(p.theme_id)
    projects = _annex_projects(
        definition=definition, ids=ids, entry_project_ids=entry_project_ids, theme_ids=list(themes)
    )
    progress(50)
    today = now.date()
    active_projects = [p for p in projects if p.ends_on is None or (p.ends_on.year, p.ends_on.month) >= (today.year, today.month)]
    counts = {
        "models": len(model_ids),
        "good_practices": len(all_ids - model_ids),
        "entries": len(all_ids),
        "new": len(new_ids),
        "earlier": len(all_ids - new_ids),
        "projects": len(projects),
        "projects_active": len(active_projects),
        "themes": len(theme_list),
    }

    scope_labels = OrderedDict(
        [
            (ProjectScope.NATIONAL, _("National projects")),
            (ProjectScope.REGIONAL, _("Regional projects")),
            (ProjectScope.OTHER_ESF, _("Other ESF projects")),
            ("", _("Projects without a scope")),
        ]
    )

    def project_data(project):
        return {
            "id": project.pk,
            "name": project.name,
            "lead": project.lead.name if project.lead_id else "",
            "description": _paragraphs(project.description),
            "ends_on": project.ends_on_display,
            "scope": project.scope,
        }

    annex_themes = []
    for theme in theme_list:
        groups = []
        for scope, label in scope_labels.items():
            members = [
                project_data(p)
                for p in projects
                if p.scope == scope
                and (theme["id"] in {t.pk for t in p.themes.all()} or theme["id"] in project_entry_themes[p.pk])
            ]
            if members:
                groups.append({"scope": scope, "label": label, "projects": members})
        if groups:
            annex_themes.append(
                {"code": theme["code"], "title": theme["title"], "anchor": f"annex1-{theme['code'].lower()}", "groups": groups}
            )
    annex_list = []
    for scope, label in scope_labels.items():
        members = [project_data(p) for p in projects if p.scope == scope]
        if members:
            annex_list.append({"scope": scope, "label": label, "projects": members})

    # Texts: blocks chosen and placeholders filled from the same counts the headings show; then every
    # text, as printed, is checked against those counts (methodbank/reports/authored.py).
    def render(text, scope_counts):
        return render_authored(text, counts=scope_counts, theme_counts=theme_counts, periods=periods_named)

    texts = []
    intro_by_theme = {ti.theme_id: ti.text for ti in definition.theme_introductions.all()} if definition.pk else {}
    preface_html = render(definition.preface, counts)
    introduction_html = render(definition.introduction, counts)
    texts.append({"where": _("Preface"), "source": definition.preface, "rendered": preface_html, "counts": counts})
    texts.append({"where": _("Introduction"), "source": definition.introduction, "rendered": introduction_html,
                  "counts": counts})
    for theme in theme_list:
        source = intro_by_theme.get(theme["id"], "")
        theme["intro_html"] = render(source, theme["counts"])
        texts.append({"where": _("Introduction of theme %(code)s") % {"code": theme["code"]}, "source": source,
                      "rendered": theme["intro_html"], "counts": theme["counts"]})
        for section in theme["subthemes"]:
            practices = {e["id"] for group in section["periods"] for e in group["entries"]}
            section["counts"] = {
                "models": len(section["models"]),
                "good_practices": len(practices),
                "entries": len(section["models"]) + len(practices),
            }
            if section["description"]:
                # Catalog text, printed as it is: checked for claims, but it cannot hold placeholders.
                texts.append({
                    "where": _("Description of subtheme “%(name)s” (theme %(code)s)")
                    % {"name": section["name"], "code": theme["code"]},
                    "source": "", "rendered": "".join(f"<p>{p}</p>" for p in section["description"]),
                    "counts": section["counts"], "authored": False,
                })
    contradictions = check_report_texts(texts, newest_period=current_period, today=timezone.localdate(now))

    toc = []
    if preface_html:
        toc.append({"level": 1, "title": _("Preface"), "anchor": "preface"})
    if introduction_html:
        toc.append({"level": 1, "title": _("Introduction"), "anchor": "introduction"})
    for theme in theme_list:
        toc.append({"level": 1, "title": theme["title"], "anchor": theme["anchor"]})
        for section in theme["subthemes"]:
            if section["name"]:
                toc.append({"level": 2, "title": section["name"], "anchor": section["anchor"]})
    if most_adopted:
        toc.append({"level": 1, "title": _("Most adopted models"), "anchor": "most-adopted"})
    if annex_themes:
        toc.append({"level": 1, "title": _("Annex 1: Project descriptions by theme"), "anchor": "annex1"})
        for annex in annex_themes:
            toc.append({"level": 2, "title": annex["title"], "anchor": annex["anchor"]})
    if annex_list:
        toc.append({"level": 1, "title": _("Annex 2: List of projects"), "anchor": "annex2"})

    progress(60)
    return {
        "context_version": CONTEXT_VERSION,
        "definition": {
            "slug": definition.slug,
            "title": definition.title,
            "subtitle": definition.subtitle,
            "issued_by": definition.issued_by,
            "language": definition.language,
        },
        "generated_at": now.isoformat(),
        "generated_on": date_format(timezone.localtime(now), "SHORT_DATE_FORMAT"),
        "site_url": settings.SITE_URL,
        "current_period": (
            {"code": current_period.code, "name": current_period.local_name, "label": str(current_period)}
            if current_period
            else None
        ),
        # The same period, named by its dates (headings say "New in 1.5.2019–31.12.2021", not "current").
        "newest_period": (
            {"code": current_period.code, "label": periods_named["newest_period"],
             "dates": periods_named["newest_period_dates"], "ends_on": current_period.ends_on.isoformat()}
            if current_period
            else None
        ),
        # Sentences of the texts that contradict the data: publishing and build_report refuse while any remain.
        "contradictions": contradictions,
        "counts": counts,
        "theme_counts": theme_counts,
        "preface_html": preface_html,
        "introduction_html": introduction_html,
        "toc": toc,
        "themes": theme_list,
        # Selected models with approved adoption records, most adopted first (absent in older snapshots).
        "most_adopted": most_adopted,
        "annex_themes": annex_themes,
        "annex_list": annex_list,
        # Entry id (as a string: JSON keys) -> data, places and whole public content, for comparisons.
        "entries": entries,
    }
