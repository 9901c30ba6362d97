"""Shapes of the API's requests and responses. Every field has a description: the OpenAPI schema at
/api/schema is generated from these."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from methodbank.catalog.limits import SECTION_MAX_CHARS
from methodbank.catalog.models import Practice

from .pagination import MAX_ID, MAX_OFFSET, offset_too_deep

SAFE_TEXT = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL; reject it as a bad parameter, not a 500.
SLUG = r"^[-a-zA-Z0-9_]+$"

KindLiteral = Literal["model", "good_practice"]
LanguageLiteral = Literal["fi", "sv", "en"]
ScopeLiteral = Literal["national", "regional", "other_esf"]


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class ProblemParameter(Schema):
    name: str = Field(description="The parameter that is not valid, e.g. 'limit' or 'title'.")
    location: str = Field(description="Where the parameter was: query, path, header or body.")
    detail: str = Field(description="What is wrong with it.")


class Problem(Schema):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(description="URI that identifies the kind of problem (a tag: URI, not an address).")
    title: str = Field(
        description="Short summary of the kind of problem; the same for every problem of a type."
    )
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in words a developer can act on.")
    instance: str = Field(description="The request path (with query) that caused the problem.")
    errors: list[ProblemParameter] | None = Field(
        None, description="For invalid parameters (400): one item per bad parameter."
    )


# --------------------------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------------------------


class Names(Schema):
    """A name in each interface language; the Finnish name where there is none in that language."""

    fi: str = Field(description="In Finnish.")
    sv: str = Field(description="In Swedish.")
    en: str = Field(description="In English.")


_NAMES = "The name in Finnish, Swedish and English (Finnish where it has not been translated)."


class ThemeRef(Schema):
    code: str = Field(description="Theme code, A–D.")
    name: str = Field(description="Theme name (Finnish).")
    names: Names = Field(description=_NAMES)


class SubthemeRef(Schema):
    id: int = Field(description="Subtheme id.")
    slug: str = Field(description="Subtheme slug (unique within its theme).")
    name: str = Field(description="Subtheme heading (Finnish).")
    names: Names = Field(description=_NAMES)


class PeriodRef(Schema):
    code: str = Field(description="Period code, e.g. '2019-2021'.")
    name: str = Field(description="Name of the coordination period (Finnish).")
    names: Names = Field(description=_NAMES)


class ThemeOut(Schema):
    id: int = Field(description="Theme id.")
    code: str = Field(description="Theme code, A–D; use it in the `theme` filter.")
    slug: str = Field(description="Theme slug (used in the site's addresses).")
    name: str = Field(description="Theme name (Finnish).")
    names: Names = Field(description=_NAMES)
    description: str = Field(description="The theme's introduction (may be empty).")
    model_count: int = Field(description="Published models placed in the theme.")
    good_practice_count: int = Field(description="Published good practices placed in the theme.")
    url: str = Field(description="The theme's page on the site.")


class SubthemeOut(Schema):
    id: int = Field(description="Subtheme id.")
    theme: ThemeRef = Field(description="The theme the subtheme belongs to.")
    slug: str = Field(
        description="Subtheme slug; use it in the `subtheme` filter (with `theme` if ambiguous)."
    )
    name: str = Field(description="Subtheme heading (Finnish).")
    names: Names = Field(description=_NAMES)
    description: str = Field(description="The subtheme's introduction (may be empty).")
    position: int = Field(description="Order of the subtheme within its theme, as in the report.")
    url: str = Field(description="The subtheme's page on the site.")


class PeriodOut(Schema):
    id: int = Field(description="Period id.")
    code: str = Field(description="Period code; use it in the `period` filter.")
    name: str = Field(description="Name of the coordination period (Finnish).")
    names: Names = Field(description=_NAMES)
    starts_on: datetime.date = Field(description="First day of the period.")
    ends_on: datetime.date = Field(description="Last day of the period.")


class KeywordRef(Schema):
    slug: str = Field(description="Keyword slug; use it in the `keyword` filter.")
    name: str = Field(description="The keyword (Finnish).")


class KeywordOut(Schema):
    id: int = Field(description="Keyword id.")
    slug: str = Field(description="Keyword slug; use it in the `keyword` filter.")
    name: str = Field(description="The keyword (Finnish).")
    entry_count: int = Field(description="Published entries that carry the keyword.")
    url: str = Field(description="The keyword's page on the site.")


class FacetValueRef(Schema):
    identifier: str = Field(description="The value's identifier in the vocabulary; use it in the `target`, "
                            "`level` or `stage` filter (see /api/v1/facet-values).")
    names: Names = Field(description="The value's preferred label in Finnish, Swedish and English.")


class FacetValueOut(FacetValueRef):
    facet: Literal["target", "level", "stage"] = Field(
        description="The facet: target (target group), level (education level and institution) or stage "
        "(transition stage); also the name of its filter parameter in /api/v1/entries."
    )
    entry_count: int = Field(description="Published entries with this value confirmed.")
    url: str = Field(description="The value's browse page on the site.")


class OrganisationRef(Schema):
    id: int = Field(description="Organisation id.")
    slug: str = Field(description="Organisation slug.")
    name: str = Field(description="Organisation name.")


class OrganisationOut(OrganisationRef):
    project_count: int = Field(description="Published projects the organisation leads.")
    updated_at: datetime.datetime = Field(description="When the record last changed.")


# --------------------------------------------------------------------------------------------
# Projects
# --------------------------------------------------------------------------------------------


class ProjectRef(Schema):
    id: int = Field(description="Project id.")
    slug: str = Field(description="Project slug; use it in the `project` filter.")
    name: str = Field(description="Project name.")
    short_name: str = Field(description="Short name or acronym (may be empty).")


class ProjectTranslationOut(Schema):
    language: LanguageLiteral = Field(description="Language of the translation.")
    name: str = Field(description="The project's name in this language (empty: it has none).")
    description: str = Field(description="The description in this language (may be empty).")


class ProjectOut(ProjectRef):
    aliases: list[str] = Field(description="Other spellings of the name used in reports.")
    lead: OrganisationRef | None = Field(description="Lead implementer (päätoteuttaja), if known.")
    ends_on: str | None = Field(
        description="End month of the project as YYYY-MM (the source gives month precision), or null."
    )
    scope: ScopeLiteral | Literal[""] = Field(
        description="national, regional or other_esf (another ESF project); empty if unknown."
    )
    themes: list[ThemeRef] = Field(description="Themes the project worked on.")
    description: str = Field(description="Description of the project (may be empty).")
    funding_programme: str = Field(description="Funding programme (may be empty).")
    entry_count: int = Field(description="Published models and good practices of the project.")
    translations: list[ProjectTranslationOut] = Field(
        description="The project's name and description in other languages than its own."
    )
    url: str = Field(description="The project's page on the site.")
    published_at: datetime.datetime | None = Field(description="When the project was published.")
    updated_at: datetime.datetime = Field(description="When the record last changed.")


# --------------------------------------------------------------------------------------------
# Entries (models and good practices)
# --------------------------------------------------------------------------------------------


def _template_field_description(name):
    field = Practice._meta.get_field(name)
    return f"Template section '{field.verbose_name}' (plain text, may be empty)."


class TemplateOut(Schema):
    """The bank's description template. Imported entries fill only what the source report gives;
    empty sections are listed in ``missing_sections``."""

    goal_and_target_group: str = Field(description=_template_field_description("goal_and_target_group"))
    content_and_actions: str = Field(description=_template_field_description("content_and_actions"))
    deployment_staff: str = Field(description=_template_field_description("deployment_staff"))
    deployment_marketing: str = Field(description=_template_field_description("deployment_marketing"))
    deployment_materials: str = Field(description=_template_field_description("deployment_materials"))
    resources: str = Field(description=_template_field_description("resources"))
    results_and_indicators: str = Field(description=_template_field_description("results_and_indicators"))
    contacts: str = Field(
        description="Template section 'contacts': contact details the project team chose to publish."
    )


class EntryTranslationOut(Schema):
    language: LanguageLiteral = Field(description="Language of the translation (never the entry's own).")
    title: str = Field(description="Name in this language.")
    summary: str = Field(description="Summary in this language (may be empty).")
    template: TemplateOut = Field(
        description="The template sections in this language; an empty one shows the original's text."
    )


class PlacementOut(Schema):
    theme: ThemeRef = Field(description="Theme the entry is listed under.")
    subtheme: SubthemeRef | None = Field(description="Subtheme, if the entry is listed under one.")
    period: PeriodRef | None = Field(description="Coordination period the entry was collected in, if known.")


class LinkOut(Schema):
    url: str = Field(description="Address of a link or attachment.")
    title: str = Field(description="Title of the link (may be empty).")


class SourceReportOut(Schema):
    key: str = Field(description="The report's identifier, the prefix of `source` (e.g. 'zoomi-2020').")
    name: str = Field(description="The report's name, in the language of the request.")
    published: str = Field(description="When the report was published: a year (ISO 8601), as the report names a season.")
    original_site: str = Field(description="The site that held the entries' full descriptions.")
    original_site_closed: datetime.date = Field(description="The day that site closed.")


class EntryRef(Schema):
    id: int = Field(description="Entry id.")
    slug: str = Field(description="Entry slug.")
    title: str = Field(description="Entry name.")
    kind: KindLiteral = Field(description="model (malli) or good_practice (hyvä käytäntö).")


EvaluationStatusLiteral = Literal[
    "not_evaluated", "peer_evaluated", "recommended", "further_development", "local"
]


class EvaluationOut(Schema):
    status: str = Field(
        description="not_evaluated, peer_evaluated, or the expert outcome: recommended (for national "
        "dissemination), further_development (disseminable after further development) or local (a local "
        "good practice)."
    )
    label: str = Field(description="The status in words, in the request's language.")
    date: datetime.date | None = Field(
        description="Date of the expert recommendation or of the peer workshop."
    )
    evaluated_version: int | None = Field(
        description="Version of the description that the experts evaluated."
    )
    rationale: str = Field(description="The experts' written rationale for their outcome (empty before it).")
    concerns_earlier_version: bool = Field(
        description="True when the description has been edited since the evaluation."
    )


class AdoptionRegionOut(Schema):
    code: str = Field(description="Statistics Finland's region (maakunta) code, e.g. '01' for Uusimaa.")
    name: str = Field(description="The region's name in the request's language.")
    names: dict[str, str] = Field(description="The region's name in Finnish, Swedish and English.")
    count: int = Field(description="Organisations in the region that adopted the model.")


class AdoptionsOut(Schema):
    organisations: int = Field(
        description="Organisations that adopted the model (approved adoption records; an organisation counts once)."
    )
    regions: list[AdoptionRegionOut] = Field(description="The same count by region, regions without adoptions left out.")


class EntryOut(EntryRef):
    summary: str = Field(description="Short summary.")
    project: ProjectRef | None = Field(description="The project that developed the entry (if published).")
    placements: list[PlacementOut] = Field(
        description="Where the entry is listed; an entry can appear in several themes, subthemes and periods."
    )
    template: TemplateOut = Field(description="The template sections.")
    missing_sections: list[str] = Field(description="Names of the template sections that are still empty.")
    keywords: list[KeywordRef] = Field(description="The entry's keywords (see /api/v1/keywords).")
    target_groups: list[FacetValueRef] = Field(
        description="Whom the entry is for: its target groups confirmed by a coordinator or chosen by its team."
    )
    education_levels: list[FacetValueRef] = Field(
        description="The education levels and institutions of the entry (confirmed values only)."
    )
    transition_stages: list[FacetValueRef] = Field(
        description="The transition stages the entry makes smoother (confirmed values only)."
    )
    links: list[LinkOut] = Field(description="Links and attachments.")
    applies_model: EntryRef | None = Field(
        description="For a good practice: the published model it applies locally (paikallinen sovellus)."
    )
    applications: list[EntryRef] = Field(
        description="For a model: the published good practices that apply it."
    )
    language: str = Field(description="Language of the description (fi, sv or en).")
    translations: list[EntryTranslationOut] = Field(
        description="The entry in other languages than its own (see `language`)."
    )
    source: str = Field(
        description="Where an imported entry came from, e.g. 'zoomi-2020:line 150'; empty otherwise."
    )
    source_report: SourceReportOut | None = Field(
        None,
        description="For an imported entry: the report it came from, with the report's own date; null for an "
        "entry written in the bank.",
    )
    url: str = Field(description="The entry's page on the site.")
    published_at: datetime.datetime | None = Field(
        description="When the entry was published in this bank. For an imported entry this is the day of the "
        "import: the original date is `source_report.published`."
    )
    updated_at: datetime.datetime = Field(description="When the entry last changed.")
    evaluation: EvaluationOut | None = Field(
        None, description="For a model: its two-phase evaluation status and outcome; null for good practices."
    )
    adoptions: AdoptionsOut | None = Field(
        None, description="For a model: the organisations that recorded adopting it, by region; null for good practices."
    )


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------

_COUNT = "Number of results matching the filters (all pages)."
_NEXT = "Address of the next page, or null on the last page."
_PREVIOUS = "Address of the previous page, or null on the first page."


class EntrySummaryOut(EntryRef):
    """An entry as a list shows it (``view=summary``): what a portal lists, with the address of the
    whole entry."""

    summary: str = Field(description="Short summary.")
    project: ProjectRef | None = Field(description="The project that developed the entry (if published).")
    themes: list[str] = Field(description="Codes of the themes the entry is listed under (see `placements` in "
                              "the whole entry).")
    language: str = Field(description="Language of the description (fi, sv or en).")
    url: str = Field(description="The entry's page on the site.")
    detail: str = Field(description="The whole entry in the API (/api/v1/entries/{id}).")
    published_at: datetime.datetime | None = Field(description="When the entry was published in this bank.")
    updated_at: datetime.datetime = Field(description="When the entry last changed.")


class EntryPage(Schema):
    count: int = Field(description=_COUNT)
    next: str | None = Field(description=_NEXT)
    previous: str | None = Field(description=_PREVIOUS)
    # Tried in order: a whole entry validates as EntryOut; a summary (view=summary) lacks its members.
    results: list[EntryOut] | list[EntrySummaryOut] = Field(
        description="Entries on this page: whole entries, or with `view=summary` their summaries.",
        union_mode="left_to_right",
    )
    did_you_mean: str | None = Field(
        None,
        description="With `q`: the query with the words the search read as others (typos, missing ä/ö) "
        'corrected, as the search page\'s "Did you mean"; null if every word was found as typed.',
    )
    other_searches: list[str] = Field(
        default_factory=list,
        description="With `q` and no or few results: other searches to offer (the words that match "
        "something, or the closest terms of the catalog).",
    )


class ProjectPage(Schema):
    count: int = Field(description=_COUNT)
    next: str | None = Field(description=_NEXT)
    previous: str | None = Field(description=_PREVIOUS)
    results: list[ProjectOut] = Field(description="Projects on this page.")


class OrganisationPage(Schema):
    count: int = Field(description=_COUNT)
    next: str | None = Field(description=_NEXT)
    previous: str | None = Field(description=_PREVIOUS)
    results: list[OrganisationOut] = Field(description="Organisations on this page.")


class KeywordPage(Schema):
    count: int = Field(description=_COUNT)
    next: str | None = Field(description=_NEXT)
    previous: str | None = Field(description=_PREVIOUS)
    results: list[KeywordOut] = Field(description="Keywords on this page.")


class SubthemePage(Schema):
    count: int = Field(description=_COUNT)
    next: str | None = Field(description=_NEXT)
    previous: str | None = Field(description=_PREVIOUS)
    results: list[SubthemeOut] = Field(description="Subthemes on this page.")


# --------------------------------------------------------------------------------------------
# Query parameters
# --------------------------------------------------------------------------------------------

MAX_LIMIT = 100


class OffsetPageParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Page size, 1–{MAX_LIMIT}.")
    offset: int = Field(
        0,
        ge=0,
        description=f"How many results to skip, at most {MAX_OFFSET} (further on, lists in id order page "
        "with `after`). Not together with `after` or `before`.",
        json_schema_extra={"maximum": MAX_OFFSET},
    )

    @field_validator("offset")
    @classmethod
    def _offset_not_too_deep(cls, value):
        # A deep OFFSET reads every row before it; the message names the cursor that does not.
        if value > MAX_OFFSET:
            raise ValueError(offset_too_deep(value))
        return value


class PageParams(OffsetPageParams):
    """Paging of a list ordered by id: by cursor (``after`` / ``before``) or, for compatibility and
    small jumps, by ``offset``."""

    after: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        description="Cursor: the results with an id larger than this one (the `next` link carries it; to "
        "resume a sync, send the largest id you have). Every page costs the same, the last included, and "
        "a walk with `next` sees each result once even while the list changes.",
    )
    before: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Cursor: the results with an id smaller than this one, the nearest last (the "
        "`previous` link carries it).",
    )


class EntryFilters(PageParams):
    kind: KindLiteral | None = Field(None, description="Only models or only good practices.")
    theme: str | None = Field(
        None, min_length=1, max_length=10, pattern=SAFE_TEXT, description="Theme code (A–D)."
    )
    subtheme: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        pattern=SLUG,
        description="Subtheme slug. Combined with `theme` and `period`, all must hold for the same placement.",
    )
    period: str | None = Field(None, min_length=1, max_length=50, pattern=SLUG, description="Period code.")
    project: str | None = Field(None, min_length=1, max_length=300, pattern=SLUG, description="Project slug.")
    keyword: str | None = Field(None, min_length=1, max_length=120, pattern=SLUG, description="Keyword slug.")
    evaluation: EvaluationStatusLiteral | None = Field(
        None, description="Only models with this evaluation status (see `evaluation.status`)."
    )
    target: str | None = Field(
        None, min_length=1, max_length=120, pattern=SLUG,
        description="Target group: a value identifier from /api/v1/facet-values?facet=target.",
    )
    level: str | None = Field(
        None, min_length=1, max_length=120, pattern=SLUG,
        description="Education level or institution: a value identifier from /api/v1/facet-values?facet=level.",
    )
    stage: str | None = Field(
        None, min_length=1, max_length=120, pattern=SLUG,
        description="Transition stage: a value identifier from /api/v1/facet-values?facet=stage.",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        pattern=SAFE_TEXT,
        description="Full-text search with the site's Finnish-aware search (inflected forms and compound "
        "words match). Results are ordered by relevance, then by id.",
    )
    view: Literal["full", "summary"] = Field(
        "full",
        description="full: each entry whole, as /api/v1/entries/{id} gives it (about 2.5 KB each; a page of "
        "100 is about 250 KB). summary: its id, title, kind, summary, project, theme codes, dates and the "
        "addresses of the whole entry (about 0.5 KB each), read with fewer queries: for lists that show "
        "entries rather than copy them.",
    )
    lang: LanguageLiteral = Field(
        "fi",
        description="Language of `q`. The query is always analysed as Finnish; with sv or en also as "
        "Swedish or English, so it finds entries and translations written in that language (as the "
        "site's search does for a Swedish or English visitor).",
    )


class FacetValueFilters(Schema):
    facet: Literal["target", "level", "stage"] | None = Field(None, description="Only the values of one facet.")


class ProjectFilters(PageParams):
    scope: ScopeLiteral | None = Field(None, description="Only national, regional or other ESF projects.")
    theme: str | None = Field(
        None, min_length=1, max_length=10, pattern=SAFE_TEXT, description="Theme code (A–D)."
    )


class SubthemeFilters(PageParams):
    theme: str | None = Field(
        None, min_length=1, max_length=10, pattern=SAFE_TEXT, description="Theme code (A–D)."
    )


# --------------------------------------------------------------------------------------------
# Write API
# --------------------------------------------------------------------------------------------


class TokenUserOut(Schema):
    id: int = Field(description="Your user id.")
    name: str = Field(description="Your name as the bank shows it.")
    roles: list[str] = Field(description="Your roles (groups), e.g. coordinator.")


ModelCriterion = Literal["piloted", "adoptable", "national"]


class PlacementIn(Schema):
    theme: str = Field(min_length=1, max_length=10, pattern=SAFE_TEXT, description="Theme code (A–D).")
    subtheme: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="Subtheme id (see /api/v1/subthemes); it must belong to the theme.",
    )
    period: str | None = Field(
        None, min_length=1, max_length=50, pattern=SLUG, description="Period code (see /api/v1/periods)."
    )


class LinkIn(Schema):
    url: str = Field(min_length=1, max_length=500, pattern=SAFE_TEXT, description="Address (http or https).")
    title: str = Field("", max_length=300, pattern=SAFE_TEXT, description="Link text.")


def _text(description, max_length=SECTION_MAX_CHARS):
    return Field("", max_length=max_length, pattern=SAFE_TEXT, description=description)


class EntryTranslationIn(Schema):
    language: LanguageLiteral = Field(description="Language of the translation: not the entry's own.")
    title: str = Field(min_length=1, max_length=300, pattern=SAFE_TEXT, description="Name in this language.")
    summary: str = _text("Summary in this language.")
    goal_and_target_group: str = _text("Goal and target group.")
    content_and_actions: str = _text("Content and actions.")
    deployment_staff: str = _text("Deployment: staff motivation and onboarding.")
    deployment_marketing: str = _text("Deployment: marketing.")
    deployment_materials: str = _text("Deployment: onboarding materials.")
    resources: str = _text("Resources.")
    results_and_indicators: str = _text("Results and indicators.")
    contacts: str = _text("Contacts.")


class EntryContent(Schema):
    """The content of an entry as the contributor writes it: the same fields as the site's form."""

    kind: KindLiteral = Field(description="model or good_practice. A model must meet every model criterion.")
    title: str = Field(
        min_length=1,
        max_length=300,
        pattern=SAFE_TEXT,
        description="Name: descriptive, concise and interesting (the seed report's advice).",
    )
    summary: str = _text("Two or three sentences: what it is, for whom and what it achieves.")
    goal_and_target_group: str = _text("Goal and target group.")
    content_and_actions: str = _text("Content and actions: what is done, by whom, when and with what.")
    deployment_staff: str = _text("Deployment: staff motivation and onboarding.")
    deployment_marketing: str = _text("Deployment: marketing.")
    deployment_materials: str = _text("Deployment: onboarding materials.")
    resources: str = _text("Resources: people, working time, money, premises, tools.")
    results_and_indicators: str = _text("Results and indicators.")
    contacts: str = _text("Contacts; shown publicly once the entry is published.")
    model_criteria: list[ModelCriterion] = Field(
        default_factory=list,
        description="For a model: the criteria it meets (piloted, adoptable, national); all three are needed "
        "to submit a model. Ignored for good practices.",
    )
    applies_model: int | None = Field(
        None, ge=1, le=2**63 - 1, description="For a good practice: id of the published model it applies."
    )
    project: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="Id of the project that made it. Contributors may choose projects whose team they belong "
        "to; coordinators any project.",
    )
    placements: list[PlacementIn] = Field(
        default_factory=list, max_length=20, description="Where the entry belongs (at least one to submit)."
    )
    keywords: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Keywords by name; a new keyword shows publicly after a coordinator accepts it.",
    )
    links: list[LinkIn] = Field(default_factory=list, max_length=30, description="Links to material.")
    translations: list[EntryTranslationIn] | None = Field(
        None,
        max_length=3,
        description="The entry in other languages than its own (Finnish for entries made through the API). "
        "When given, these become the entry's translations (an empty list removes them all); when left "
        "out, the translations stay as they are.",
    )


class EntryCreate(EntryContent):
    reason: str = Field(
        "", max_length=1000, pattern=SAFE_TEXT, description="Note saved with the first version."
    )


class EntryUpdate(EntryContent):
    lock_version: int = Field(
        ge=0,
        le=2**31 - 1,
        description="The lock_version you last read. If someone saved the entry since, the answer is 409 and "
        "nothing is overwritten.",
    )
    reason: str = Field("", max_length=1000, pattern=SAFE_TEXT, description="What you changed and why.")


class PlacementContent(Schema):
    theme: str = Field(description="Theme code.")
    subtheme: int | None = Field(description="Subtheme id.")
    period: str | None = Field(description="Period code.")


class SubmissionGap(Schema):
    name: str = Field(description="Field that must be filled in before submitting.")
    detail: str = Field(description="What is needed.")


class OwnEntryContent(Schema):
    kind: KindLiteral = Field(description="model or good_practice.")
    title: str = Field(description="Name.")
    summary: str = Field(description="Summary.")
    goal_and_target_group: str = Field(description="Goal and target group.")
    content_and_actions: str = Field(description="Content and actions.")
    deployment_staff: str = Field(description="Deployment: staff motivation and onboarding.")
    deployment_marketing: str = Field(description="Deployment: marketing.")
    deployment_materials: str = Field(description="Deployment: onboarding materials.")
    resources: str = Field(description="Resources.")
    results_and_indicators: str = Field(description="Results and indicators.")
    contacts: str = Field(description="Contacts.")
    model_criteria: list[str] = Field(description="Model criteria the team has confirmed.")
    applies_model: int | None = Field(description="Id of the model a good practice applies.")
    project: int | None = Field(description="Project id.")
    placements: list[PlacementContent] = Field(description="Placements.")
    keywords: list[str] = Field(description="Keyword names.")
    links: list[LinkOut] = Field(description="Links.")
    translations: list[EntryTranslationIn] = Field(description="Translations into other languages.")


class OwnEntryOut(Schema):
    id: int = Field(description="Entry id.")
    slug: str = Field(description="Entry slug.")
    status: Literal["draft", "submitted", "returned", "published", "archived"] = Field(
        description="Status of the entry itself. A published entry stays published while a revision is moderated."
    )
    workflow_status: str = Field(
        description="Where the work in progress is: the entry's status, or for a published entry with a "
        "pending revision that revision's status (draft, saved, submitted, returned...)."
    )
    lock_version: int = Field(description="Send this back with your next update (optimistic locking).")
    content: OwnEntryContent = Field(
        description="What the team is working on: the pending revision of a published entry, else the entry."
    )
    missing_for_submission: list[SubmissionGap] = Field(
        description="What must be filled in before the entry can be submitted (empty when ready)."
    )
    url: str | None = Field(description="The public page, when the entry is published.")
    updated_at: datetime.datetime = Field(description="When the entry last changed.")
    similar_entries: list[EntryRef] | None = Field(
        None,
        description="Published entries most like this one by its title and summary (the site shows the same "
        "while writing): check them before submitting, and if yours applies one of the models locally, set "
        "`applies_model`. Given by the single-entry operations; null in the list.",
    )


class OwnEntryPage(Schema):
    count: int = Field(description=_COUNT)
    next: str | None = Field(description=_NEXT)
    previous: str | None = Field(description=_PREVIOUS)
    results: list[OwnEntryOut] = Field(description="Your entries on this page, most recently changed first.")


# --------------------------------------------------------------------------------------------
# What's new since a published report
# --------------------------------------------------------------------------------------------


class ReportVersionOut(Schema):
    slug: str = Field(description="The report's slug.")
    version: int = Field(description="The published version compared with the catalog now.")
    title: str = Field(description="The report's title.")
    language: LanguageLiteral = Field(description="The report's language (its places are named in it).")
    published_at: datetime.datetime = Field(description="When this version was published.")
    url: str = Field(description="Address of the published version's page.")


class ChangedFieldOut(Schema):
    key: str = Field(
        description="The field: kind, title, summary, a template section (goal_and_target_group, "
        "content_and_actions, deployment_staff, deployment_marketing, deployment_materials, resources, "
        "results_and_indicators, contacts), project_name, applies_model_title, model_criteria, placements, "
        "keywords, links, attachments, or translations.<language>.<field> for a translation's field."
    )
    label: str = Field(description="The field's name in the request's language.")


class ReportEntryRef(Schema):
    id: int = Field(description="Entry id (see /api/v1/entries/{id}; a removed entry may no longer be published).")
    title: str = Field(description="Entry name: now for added and changed entries, as published for removed ones.")
    kind: KindLiteral = Field(description="model (malli) or good_practice (hyvä käytäntö).")
    language: LanguageLiteral = Field(description="The language the entry is written in.")
    project: str = Field(description="The project's name (empty: none).")
    url: str = Field(description="Address of the entry's page.")


class ReportChangedEntryOut(ReportEntryRef):
    fields: list[ChangedFieldOut] = Field(description="The fields that changed, in the order of the entry form.")


class ReportChangeCounts(Schema):
    added: int = Field(description="Entries the report selects now but did not list then.")
    changed: int = Field(description="Entries listed then and now whose public content changed.")
    removed: int = Field(description="Entries listed then that the report no longer selects (or that are no longer published).")


class ReportChangesOut(Schema):
    report: ReportVersionOut = Field(description="The published version the catalog is compared with.")
    counts: ReportChangeCounts = Field(description="How many entries were added, changed and removed.")
    added: list[ReportEntryRef] = Field(description="Added entries, by name.")
    changed: list[ReportChangedEntryOut] = Field(description="Changed entries, by name, with what changed.")
    removed: list[ReportEntryRef] = Field(description="Removed entries, by name.")
