"""The data the browser tests look at, and the inventory of every HTML page of the site.

``build_site()`` imports the real Zoomi 2020 catalog (real titles, real page lengths) and adds what the
logged-in pages need: a contributor with a project and entries in several states, a coordinator with a
moderation queue, an evaluation event with answers, and a report with two published versions.

``PAGES`` names every page a visitor or a signed-in user can open; ``NOT_PAGES`` names every other
URL with the reason it is not a page (a download, a POST-only action, JSON). A test checks that the
two together cover every URL name, so a new page cannot slip past the accessibility tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from methodbank.accounts.roles import Role

SEED = "data/zoomi-2020/report.txt"
ROLES = ("contributor", "coordinator", "expert")


def build_site() -> dict:
    from importlib import import_module

    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from methodbank.accounts.services import user_add_role
    from methodbank.catalog.models import (
        Keyword,
        Practice,
        PracticeKind,
        Project,
        PublicationStatus,
        Subtheme,
        Theme,
    )
    from methodbank.contributions import services as catalog_services
    from methodbank.contributions.tests.factories import complete_data
    from methodbank.evaluation import services as evaluation_services
    from methodbank.evaluation.tests.factories import (
        EvaluationEventFactory,
        EventGroupFactory,
        active_peer_set,
        scores,
    )
    from methodbank.reports import services as report_services
    from methodbank.reports.models import BuildStatus, ReportBuild, ReportDefinition

    call_command("import_report", SEED, verbosity=0)
    User = get_user_model()

    def user(username, full_name, group=None, **extra):
        person = User.objects.create_user(
            username=username, email=f"{username}@example.org", password="Vahva-salasana-42",
            full_name=full_name, **extra,
        )
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        if group:
            user_add_role(user=person, role=group)
        return person

    contributor = user("contributor", "Maija Meikäläinen", organisation="Omnia")
    coordinator = user("coordinator", "Kaisa Koordinaattori", group=Role.COORDINATOR, is_staff=True)
    expert = user("expert", "Eero Asiantuntija", group=Role.EXPERT)

    # The contributor's own work: a draft project, a draft entry with two versions, a submitted
    # entry (in the coordinator's queue) with a keyword nobody has approved yet.
    project = _project_for(contributor)
    draft = catalog_services.practice_create(
        by=contributor, data=complete_data(title="Mentorointi ensimmäisenä vuonna", project=project.pk)
    )
    draft.refresh_from_db()
    catalog_services.practice_update(
        practice=draft, by=contributor, lock_version=draft.lock_version,
        data=complete_data(title="Mentorointi ensimmäisenä vuonna", project=project.pk,
                           summary="Vanhemmat opiskelijat tukevat ensimmäisen vuoden opiskelijoita."),
    )
    submitted = catalog_services.practice_create(
        by=contributor,
        data=complete_data(title="Kesäkoulu hakijoille", project=project.pk, keywords=["kesäkoulu", "uusi sana"]),
    )
    catalog_services.practice_submit(practice=submitted, by=contributor)
    Project.objects.filter(pk=project.pk).update(status=PublicationStatus.SUBMITTED)
    # Translations: the draft in Swedish (edited on the own page), the project's Swedish description.
    draft.refresh_from_db()
    catalog_services.practice_translation_save(
        practice=draft, by=contributor, language="sv", lock_version=draft.lock_version,
        fields={"title": "Mentorskap under det första året", "summary": "Äldre studerande stöder de nya."},
    )
    draft.refresh_from_db()
    project.refresh_from_db()
    catalog_services.project_translation_save(
        project=project, by=contributor, language="sv", fields={"description": "Projektets beskrivning."}
    )

    # Evaluation: a workshop on a model of the seed, the contributor takes part and has answered.
    model = (Practice.objects.filter(kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED)
             .exclude(project__members=contributor).order_by("title").first())
    event = EvaluationEventFactory(title="Vertaisarvioinnin työpaja", coordinator=coordinator,
                                   models_on_agenda=[model], participants=[contributor])
    group = EventGroupFactory(event=event, name="Ryhmä 1", members=[contributor])
    answer = evaluation_services.peer_assessment_save(
        event=event, practice=model, rater=contributor, scores=scores(active_peer_set(), 3),
        strengths="Selkeä työnjako.", development_ideas="Lisää materiaalia.",
    )
    # A phone that joined through the link with a nickname, in a group of its own, with an answer.
    guest_session = import_module(settings.SESSION_ENGINE).SessionStore()
    guest_session["evaluation_anonymous_id"] = "site-data-guest"
    guest_session.create()
    guest = evaluation_services.guest_join(event=event, anonymous_id="site-data-guest", nickname="Kettu")
    guest_group = EventGroupFactory(event=event, name="Ryhmä 2")
    guest_group.guests.add(guest)
    evaluation_services.peer_assessment_save(
        event=event, practice=model, guest=guest, scores=scores(active_peer_set(), 2), strengths="Hyvä malli."
    )

    # Reports: a definition over one subtheme, published twice (so the comparison page has two
    # versions), and a failed build on the coordinator's status page.
    subtheme = Subtheme.objects.order_by("theme__code", "position").first()
    definition = ReportDefinition.objects.create(slug="zoomi-koonti", title="Zoomi-koonti", subtitle="Testiraportti")
    definition.subthemes.set([subtheme])
    report_services.report_publish(definition=definition, by=coordinator)
    report_services.report_publish(definition=definition, by=coordinator)
    build = ReportBuild.objects.create(definition=definition, format="pdf", status=BuildStatus.FAILED,
                                       error="Esimerkkivirhe", created_by=coordinator)

    # Keys for the e-mail confirmation and password reset pages of an unverified newcomer.
    newcomer = User.objects.create_user(username="newcomer", email="newcomer@example.org", password="x")
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False, primary=True)

    # Logged searches for the coordinator's report of queries (one that found nothing, one unopened).
    from methodbank.search.services import search_log_record

    search_log_record(query="kymppiluokka", language="fi", results=0)
    search_log_record(query="studiehandledare", language="sv", results=4)

    # A request to join a seed project's team, waiting in the coordinator's queue.
    seed_project = Project.objects.filter(status=PublicationStatus.PUBLISHED).order_by("name").first()
    catalog_services.project_claim_create(project=seed_project, user=expert, reason="Olin hankkeen projektipäällikkö.")

    # Adoption records of the evaluated model: two approved (its page draws the map), one waiting in
    # the coordinator's queue and on the contributor's list.
    for organisation, municipality, by in (("Omnia", "049", expert), ("Osao", "564", expert),
                                           ("Sedu", "743", contributor)):
        adoption = catalog_services.adoption_create(
            model=model, by=by, organisation=organisation, municipality=municipality, year=2024,
            experience="Otimme mallin käyttöön syksyllä.",
        )
        if by == expert:
            catalog_services.adoption_approve(adoption=adoption, by=coordinator)

    # The import suggested browse values; a coordinator has confirmed one value's (enough entries for
    # a second page), and the others wait on the confirm screen.
    from methodbank.search import services as search_services
    from methodbank.search.models import Concept, FacetAssignment

    facet_value = Concept.objects.get(identifier="ammatillinen-koulutus")
    search_services.facet_assignments_decide(
        concept=facet_value, confirm=True, by=coordinator,
        practice_ids=FacetAssignment.objects.filter(concept=facet_value).values_list("practice_id", flat=True),
    )

    published = Practice.objects.filter(status=PublicationStatus.PUBLISHED)
    entry = published.filter(kind=PracticeKind.GOOD_PRACTICE, applies_model__isnull=True).order_by("title").first()
    _usage_figures([draft, entry, model])

    # A follow of the contributor's, on the own page and behind the unsubscribe link's confirm page.
    from methodbank.follows.models import Follow
    from methodbank.follows.services import unsubscribe_token

    theme = Theme.objects.order_by("code").first()
    follow = Follow.objects.create(user=contributor, kind="theme", key=theme.slug)
    Follow.objects.create(user=contributor, kind="search", key="q=ohjaus")
    return {
        "users": {"contributor": contributor, "coordinator": coordinator, "expert": expert},
        "unsubscribe_token": unsubscribe_token(user_id=contributor.pk, follow_id=follow.pk),
        # Browsers without an account, by role: the session key of their session.
        "anonymous_sessions": {"participant": guest_session.session_key},
        "guest_group": guest_group,
        "theme": theme,
        "subtheme": subtheme,
        "entry": entry,
        "model": model,
        "seed_project": seed_project,
        "facet_value": facet_value,
        "keyword": Keyword.objects.filter(approved=True, practices__status=PublicationStatus.PUBLISHED)
        .order_by("name").first(),
        "project": project,
        "draft": draft,
        "submitted": submitted,
        "event": event,
        "group": group,
        "answer": answer,
        "definition": definition,
        "build": build,
        "confirm_key": EmailConfirmationHMAC(address).key,
        "reset_uidb36": user_pk_to_url_str(newcomer),
        "reset_key": default_token_generator.make_token(newcomer),
    }


def _usage_figures(practices):
    """A few months of figures, so the charts and top lists show bars and rows."""
    from methodbank.usage.models import MonthlyUsage, UsageKind
    from methodbank.usage.selectors import months_back

    MonthlyUsage.objects.bulk_create(
        MonthlyUsage(practice=practice, month=month, kind=kind, count=(n + 1) * (i + 3) * (k + 1))
        for n, practice in enumerate(practices)
        for i, month in enumerate(months_back(6))
        for k, kind in enumerate(UsageKind.values)
    )


def _project_for(owner):
    from methodbank.catalog.models import Organisation, Project, ProjectScope, PublicationStatus

    project = Project.objects.create(
        name="Sujuvat polut", slug="sujuvat-polut", short_name="SUPO", description="Hankkeen kuvaus.",
        scope=ProjectScope.REGIONAL, lead=Organisation.objects.order_by("name").first(), owner=owner,
        status=PublicationStatus.DRAFT,
    )
    project.members.add(owner)
    return project


@dataclass(frozen=True)
class Page:
    name: str  # URL name
    role: str | None = None  # None: an anonymous visitor
    kwargs: Callable[[dict], dict] = field(default=lambda d: {})
    query: str = ""
    i18n: bool = True  # False: the address has no language prefix
    status: int = 200
    label: str = ""  # tells apart two visits of the same URL name
    redirects: bool = False  # the address forwards to another page (allowed only where marked)
    # axe rules a third-party component is known to break, each listed in the accessibility statement.
    known_violations: tuple = ()

    @property
    def app(self):
        """The Django app that provides the page (to skip only pages of apps that are not installed)."""
        prefix = self.name.split(":")[0] if ":" in self.name else ""
        return {
            "core": "methodbank.core", "catalog": "methodbank.catalog", "search": "methodbank.search",
            "reports": "methodbank.reports", "accounts": "methodbank.accounts",
            "contributions": "methodbank.contributions", "evaluation": "methodbank.evaluation",
            "apitokens": "methodbank.api", "api": "methodbank.api", "follows": "methodbank.follows", "usage": "methodbank.usage",
        }.get(prefix, "allauth.account")

    @property
    def id(self):
        extra = f"[{self.label}]" if self.label else (f"?{self.query}" if self.query else "")
        return f"{self.name}{extra}@{self.role or 'visitor'}"


def _pk(key):
    return lambda d: {"pk": d[key].pk}


def event_and_model(d):
    return {"pk": d["event"].pk, "practice_pk": d["model"].pk}


PAGES = [
    # Public catalog
    Page("core:home"),
    Page("core:accessibility"),
    Page("core:privacy"),
    Page("catalog:theme", kwargs=lambda d: {"slug": d["theme"].slug}),
    Page("catalog:subtheme", kwargs=lambda d: {"theme": d["subtheme"].theme.slug, "slug": d["subtheme"].slug}),
    Page("catalog:practice", kwargs=lambda d: {"slug": d["entry"].slug}),
    Page("catalog:practice", kwargs=lambda d: {"slug": d["model"].slug}, label="model"),
    Page("catalog:project_list"),
    # A later page of a paginated list (the seed has 95 projects, 221 entries with one keyword).
    Page("catalog:project_list", query="page=2"),
    Page("catalog:project", kwargs=lambda d: {"slug": d["seed_project"].slug}),
    Page("catalog:keyword", kwargs=lambda d: {"slug": d["keyword"].slug}),
    Page("catalog:keyword", kwargs=lambda d: {"slug": d["keyword"].slug}, query="page=2"),
    Page("catalog:open_data"),
    Page("search:search"),
    Page("search:search", query="q=ohjaus"),
    Page("search:search", query="q=zzzxqy"),
    Page("search:query_log", role="coordinator"),
    Page("search:browse"),
    Page("search:browse_facet", kwargs=lambda d: {"identifier": d["facet_value"].identifier}),
    Page("search:browse_facet", kwargs=lambda d: {"identifier": d["facet_value"].identifier}, query="page=2"),
    Page("search:browse_facet", kwargs=lambda d: {"identifier": "maahanmuuttaja"}, label="no-confirmed-values"),
    Page("search:facet_review_index", role="coordinator"),
    Page("search:facet_review", role="coordinator", kwargs=lambda d: {"identifier": "maahanmuuttaja"}),
    Page("search:query_log_add", role="coordinator", query="q=opo&lang=fi"),
    Page("reports:published_list"),
    Page("reports:published_detail", kwargs=lambda d: {"slug": d["definition"].slug, "version": 2}),
    Page("reports:published_compare", kwargs=lambda d: {"slug": d["definition"].slug, "version": 2},
         query="earlier=1"),
    Page("reports:published_changes", kwargs=lambda d: {"slug": d["definition"].slug, "version": 1}),
    Page("evaluation:anon_event", kwargs=lambda d: {"token": d["event"].access_token}),
    # A visitor who has not joined is asked for a nickname first.
    Page("evaluation:anon_assessment", redirects=True,
         kwargs=lambda d: {"token": d["event"].access_token, "practice_pk": d["model"].pk}),
    # The phone of a participant who joined through the link with a nickname.
    Page("evaluation:anon_event", role="participant", kwargs=lambda d: {"token": d["event"].access_token}),
    Page("evaluation:anon_assessment", role="participant",
         kwargs=lambda d: {"token": d["event"].access_token, "practice_pk": d["model"].pk}),
    Page("evaluation:anon_group_assessment", role="participant",
         kwargs=lambda d: {"token": d["event"].access_token, "group_pk": d["guest_group"].pk,
                           "practice_pk": d["model"].pk}),
    # Swagger UI without deep links (methodbank/api/api.py): no link nested in a button.
    Page("api:openapi-view", i18n=False),
    # Accounts (django-allauth)
    Page("account_login"),
    Page("account_signup"),
    Page("account_reset_password"),
    Page("account_reset_password_done"),
    Page("account_email_verification_sent"),
    Page("account_inactive"),
    Page("account_confirm_email", kwargs=lambda d: {"key": d["confirm_key"]}),
    # allauth moves the key from the address into the session and forwards to the form.
    Page("account_reset_password_from_key", kwargs=lambda d: {"uidb36": d["reset_uidb36"], "key": d["reset_key"]},
         redirects=True),
    Page("account_reset_password_from_key_done"),
    Page("account_logout", role="contributor"),
    Page("account_email", role="contributor"),
    Page("account_change_password", role="contributor"),
    Page("account_reauthenticate", role="contributor"),
    Page("accounts:profile", role="contributor"),
    Page("accounts:delete", role="contributor"),
    Page("apitokens:list", role="contributor"),
    # Contributions: own page and forms (contributor), moderation (coordinator)
    Page("contributions:own_page", role="contributor"),
    Page("contributions:practice_create", role="contributor"),
    Page("contributions:practice_detail", role="contributor", kwargs=_pk("draft")),
    Page("contributions:practice_edit", role="contributor", kwargs=_pk("draft")),
    Page("contributions:practice_versions", role="contributor", kwargs=_pk("draft")),
    Page("contributions:project_create", role="contributor"),
    Page("contributions:project_edit", role="contributor", kwargs=_pk("project")),
    Page("contributions:practice_translation_edit", role="contributor",
         kwargs=lambda d: {"pk": d["draft"].pk, "language": "sv"}),
    Page("contributions:practice_translation_edit", role="contributor", label="new",
         kwargs=lambda d: {"pk": d["draft"].pk, "language": "en"}),
    Page("contributions:project_translation_edit", role="contributor",
         kwargs=lambda d: {"pk": d["project"].pk, "language": "sv"}),
    Page("contributions:own_page", role="coordinator"),
    Page("contributions:practice_transfer", role="coordinator", kwargs=_pk("draft")),
    Page("contributions:project_transfer", role="coordinator", kwargs=_pk("project")),
    Page("contributions:moderation_queue", role="coordinator"),
    Page("contributions:moderation_practice", role="coordinator", kwargs=_pk("submitted")),
    Page("contributions:moderation_project", role="coordinator", kwargs=_pk("project")),
    Page("contributions:moderation_keywords", role="coordinator"),
    Page("contributions:moderation_claims", role="coordinator"),
    Page("contributions:moderation_quality", role="coordinator"),
    Page("contributions:project_claim", role="contributor", kwargs=_pk("seed_project")),
    # Usage figures: an entry's for its team, the top lists for coordinators
    Page("usage:practice", role="contributor", kwargs=_pk("draft")),
    Page("usage:top_lists", role="coordinator"),
    # Follows: the confirm page of a digest's unsubscribe link (no sign-in), and the own page lists follows
    Page("follows:unsubscribe", kwargs=lambda d: {"token": d["unsubscribe_token"]}),
    Page("catalog:theme", role="contributor", label="followed", kwargs=lambda d: {"slug": d["theme"].slug}),
    Page("catalog:subtheme", role="contributor", label="follow-form",
         kwargs=lambda d: {"theme": d["subtheme"].theme.slug, "slug": d["subtheme"].slug}),
    Page("contributions:own_adoptions", role="contributor"),
    Page("contributions:adoption_create", role="contributor", kwargs=lambda d: {"model_pk": d["model"].pk}),
    Page("contributions:moderation_adoptions", role="coordinator"),
    # Evaluation
    Page("evaluation:event_list", role="coordinator"),
    Page("evaluation:event_create", role="coordinator"),
    Page("evaluation:event", role="coordinator", kwargs=_pk("event")),
    Page("evaluation:event_edit", role="coordinator", kwargs=_pk("event")),
    Page("evaluation:event_groups", role="coordinator", kwargs=_pk("event")),
    Page("evaluation:event_group_edit", role="coordinator",
         kwargs=lambda d: {"pk": d["event"].pk, "group_pk": d["group"].pk}),
    Page("evaluation:event_group_delete", role="coordinator",
         kwargs=lambda d: {"pk": d["event"].pk, "group_pk": d["guest_group"].pk}),
    Page("evaluation:event_answers", role="coordinator", kwargs=_pk("event")),
    Page("evaluation:assessment_discard", role="coordinator",
         kwargs=lambda d: {"pk": d["event"].pk, "kind": "yksilo", "public_id": d["answer"].public_id}),
    Page("evaluation:event_access", role="coordinator", kwargs=_pk("event")),
    Page("evaluation:event_progress", role="coordinator", kwargs=_pk("event")),
    Page("evaluation:results", role="coordinator", kwargs=event_and_model),
    Page("evaluation:feedback", role="coordinator", kwargs=event_and_model),
    Page("evaluation:event_list", role="contributor"),
    Page("evaluation:event", role="contributor", kwargs=_pk("event")),
    Page("evaluation:peer_assessment", role="contributor", kwargs=event_and_model),
    Page("evaluation:group_assessment", role="contributor",
         kwargs=lambda d: {"pk": d["event"].pk, "group_pk": d["group"].pk, "practice_pk": d["model"].pk}),
    Page("evaluation:answer", role="contributor", kwargs=lambda d: {"public_id": d["answer"].public_id}),
    Page("evaluation:expert_queue", role="expert"),
    Page("evaluation:expert_review", role="expert", kwargs=event_and_model),
    # Reports (coordinator)
    Page("reports:definition_list", role="coordinator"),
    Page("reports:definition_create", role="coordinator"),
    Page("reports:definition_detail", role="coordinator", kwargs=lambda d: {"slug": d["definition"].slug}),
    Page("reports:definition_edit", role="coordinator", kwargs=lambda d: {"slug": d["definition"].slug}),
    Page("reports:definition_preview", role="coordinator", kwargs=lambda d: {"slug": d["definition"].slug}),
]

# Every other URL name, and why it is not a page of its own.
NOT_PAGES = {
    "set_language": "POST-only language switch",
    "search:result_click": "forwards to a search result (catalog:practice, visited), logging its rank",
    "api-index": "JSON",
    "api-v1-root": "JSON (the links of API version 1)",
    "api-dump": "file download",
    "api:openapi-json": "JSON schema",
    "catalog:open_data_download": "file download",
    "catalog:practice_pdf": "PDF download (an entry as a tagged PDF)",
    "reports:build_download": "file download",
    "reports:published_download": "file download",
    "reports:build_status": "HTMX fragment (a row on the definition page); a plain request forwards there",
    "contributions:project_pick": "forwards a coordinator to the chosen project's form (contributions:project_edit, visited)",
    "reports:build_request": "POST-only action",
    "reports:build_retry": "POST-only action",
    "reports:publish": "POST-only action",
    "contributions:practice_submit": "POST-only action",
    "contributions:version_restore": "POST-only action",
    "contributions:practice_translation_delete": "POST-only action (its form is on the translation form)",
    "contributions:project_translation_delete": "POST-only action (its form is on the translation form)",
    "contributions:attachment_upload": "POST-only action (its form is on the entry page)",
    "contributions:attachment_delete": "POST-only action",
    "contributions:attachment_download": "file download",
    "contributions:moderation_attachment": "file preview for coordinators (PDF or image inline, else a download)",
    "contributions:autosave": "POST-only background save (JSON)",
    "contributions:autosave_discard": "POST-only action",
    "contributions:project_member_add": "POST-only action (its form is on the project form)",
    "contributions:project_member_remove": "POST-only action",
    "contributions:project_submit": "POST-only action (its form is on the project form)",
    "contributions:moderation_practice_publish": "POST-only decision (its button is on the entry's review page)",
    "contributions:moderation_practice_return": "POST-only decision (its button is on the entry's review page)",
    "contributions:moderation_practice_archive": "POST-only decision (its button is on the entry's review page)",
    "contributions:moderation_project_publish": "POST-only decision (its button is on the project's review page)",
    "contributions:moderation_project_return": "POST-only decision (its button is on the project's review page)",
    "contributions:moderation_keyword_approve": "POST-only decision (its button is on the keyword list)",
    "contributions:moderation_keyword_reject": "POST-only decision (its button is on the keyword list)",
    "contributions:practice_similar": "HTMX fragment (the similar entries under the entry form's summary, visited "
    "there); without JavaScript the form shows them when it is opened and on submit",
    "contributions:moderation_quality_fix": "POST-only action (its button is on the data-quality list)",
    "contributions:moderation_quality_dismiss": "POST-only action (its button is on the data-quality list)",
    "contributions:moderation_claim_approve": "POST-only decision (its button is on the list of requests)",
    "contributions:moderation_adoption_approve": "POST-only decision (its button is on the list of adoption records)",
    "contributions:moderation_adoption_reject": "POST-only decision (its button is on the list of adoption records)",
    "contributions:adoption_withdraw": "POST-only action (its button is on the user's list of adoption records)",
    "contributions:moderation_claim_decline": "POST-only decision (its button is on the list of requests)",
    "evaluation:event_qr": "SVG image",
    "evaluation:people_search": "HTMX fragment (the participant picker on the event form, visited there); "
    "without JavaScript the form's Search button does the same",
    "evaluation:feedback_pdf": "PDF download",
    "apitokens:revoke": "POST-only action",
    "follows:feed_all": "Atom feed (XML)",
    "follows:feed_search": "Atom feed (XML)",
    "follows:feed": "Atom feed (XML)",
    "follows:follow_create": "POST-only action (its button is on the theme, subtheme, project and search pages)",
    "follows:follow_update": "POST-only action (its form is on the own page)",
    "follows:follow_delete": "POST-only action (its button is on the followed page and the own page)",
    "account_set_password": "only for accounts without a password (social log-in is not enabled); redirects",
    "account_request_reauthentication_code": "log-in by e-mail code is not enabled",
    "account_confirm_reauthentication_code": "log-in by e-mail code is not enabled",
    "account_confirm_login_code": "log-in by e-mail code is not enabled",
}
# URL namespaces the tests do not visit: Django's admin is Django's own, tested by Django; the API
# endpoints answer JSON.
NOT_PAGE_NAMESPACES = {"admin": "Django's admin (Django's own templates)", "api": "JSON API endpoints"}


def build_small_site() -> dict:
    """A few published entries to search for and a contributor who adds one (the keyboard tests)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from methodbank.catalog.tests.factories import (
        ModelPracticeFactory,
        PeriodFactory,
        PlacementFactory,
        PracticeFactory,
        ProjectFactory,
        SubthemeFactory,
        ThemeFactory,
    )

    theme = ThemeFactory(code="A", name="Siirtymät perusopetuksesta toiselle asteelle")
    subtheme = SubthemeFactory(theme=theme, name="Ohjaus ja hakeutuminen")
    period = PeriodFactory()
    project = ProjectFactory(name="Ohjauksen kehittämishanke", themes=[theme])
    entries = [
        ModelPracticeFactory(title="Ohjauksen nivelvaiheen malli", project=project,
                             summary="Ohjaus jatkuu peruskoulusta toiselle asteelle."),
        PracticeFactory(title="Henkilökohtainen ohjaus hakuvaiheessa", project=project,
                        summary="Opinto-ohjaaja tukee hakijaa."),
        PracticeFactory(title="Kesäkoulu", project=project, summary="Tutustumisjaksot ennen opintoja."),
    ]
    for entry in entries:
        PlacementFactory(practice=entry, theme=theme, subtheme=subtheme, period=period)
    contributor = get_user_model().objects.create_user(
        username="contributor", email="contributor@example.org", password="Vahva-salasana-42",
        full_name="Maija Meikäläinen",
    )
    EmailAddress.objects.create(user=contributor, email=contributor.email, verified=True, primary=True)
    return {"users": {"contributor": contributor}, "theme": theme, "subtheme": subtheme, "entries": entries}
