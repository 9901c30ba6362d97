"""No address answers 500 to hostile input.

Every URL pattern of the site (resolved from the URLconf, the admin and the API included) is
opened with its path parameters filled from a small catalog (real ids and slugs the user may or may
not see) and with hostile ones, and with every GET parameter the code reads set to hostile values:
huge integers, Unicode digits that ``str.isdigit`` accepts and ``int`` refuses, NUL, 10,000
characters and broken UTF-8 percent-encoding. Anonymous and as each role. Any 500 fails.

The parameters are collected from the code (``request.GET.get/getlist`` calls, the forms views bind
to ``request.GET``, the facets, the API's OpenAPI schema) plus a fixed list of well-known ones, so a
new parameter is tested without being added here.
"""

import datetime
import importlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation

import methodbank
from methodbank.accounts.roles import Role
from methodbank.api.services import api_token_create
from methodbank.catalog.models import Keyword, Practice, PublicationStatus
from methodbank.catalog.tests.factories import (
    ModelPracticeFactory,
    PeriodFactory,
    PlacementFactory,
    ProjectFactory,
    SubthemeFactory,
    ThemeFactory,
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
from methodbank.reports.models import BuildStatus, ReportBuild, ReportDefinition

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
HOSTILE_VALUES = {
    "huge integer": quote(HUGE),
    "superscript digit": quote("²"),
    "NUL": "%00",
    "10,000 characters": "x" * 10_000,
    "broken UTF-8": "%ff%fe%c3",
}
# Django's admin is Django's own code, reached only by staff: fewer values keep the run short.
ADMIN_VALUES = ("huge integer", "NUL", "broken UTF-8")
# Path parameters: what each converter lets through.
HOSTILE_PATH = {
    "int": [HUGE],
    "str": ["%00", "%ff%fe%c3", quote("²"), "x" * 10_000],
    "slug": ["x" * 10_000],
    "path": ["%00", "x" * 10_000],
    "uuid": [],
    "regex": ["%00", "x" * 10_000],
}
# Parameters the code reads without a call the collector can see (the admin's, allauth's, the
# pagination's) and ones attackers try first.
KNOWN_PARAMETERS = {"next", "page", "q", "o", "p", "e", "_changelist_filters", "format", "lang", "language",
                    "limit", "offset", "id", "pk", "key", "token", "t", "version", "earlier", "fmt"}


def collected_parameters() -> set[str]:
    names = set(KNOWN_PARAMETERS)
    root = Path(methodbank.__file__).parent
    get_call = re.compile(r"\bGET\.get(?:list)?\(\s*[\"']([^\"']+)[\"']")
    form_call = re.compile(r"\b([A-Z]\w*Form)\(\s*(?:data=)?request\.GET")
    for source in root.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        text = source.read_text(encoding="utf-8")
        names.update(get_call.findall(text))
        forms = form_call.findall(text)
        if forms:
            module = importlib.import_module(".".join(source.relative_to(root.parent).with_suffix("").parts))
            for form_name in forms:
                names.update(getattr(module, form_name).base_fields)
    from methodbank.api.api import api
    from methodbank.search.facets import facet_params

    names.update(facet_params())
    for operations in api.get_openapi_schema()["paths"].values():
        for operation in operations.values():
            names.update(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
    return names


def url_patterns(patterns=None, prefix="", namespace=""):
    """(name, route regex source, pattern) for every endpoint of the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern.url_patterns, prefix + _route(pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), prefix + _route(pattern)


def _route(pattern) -> str:
    if hasattr(pattern.pattern, "_route"):
        return pattern.pattern._route
    if hasattr(pattern.pattern, "language_prefix"):
        return pattern.pattern.language_prefix
    return "<regex>" + pattern.pattern._regex.lstrip("^").rstrip("$") + "</regex>"


def fill(route: str, value_for) -> list[tuple[str, str]]:
    """The route with real values, then one variant per hostile value of each parameter:
    [(label, path)]."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    regex_params = []
    if "<regex>" in route:
        inner = re.search(r"<regex>(.*)</regex>", route).group(1)
        regex_params = re.findall(r"\(\?P<(\w+)>", inner)
        route = route.replace(f"<regex>{inner}</regex>", re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<regex:\1>", inner))
        params += [("regex", name) for name in regex_params]
    real = {name: value_for(name) for _converter, name in params}

    def render(values):
        path = route
        for converter, name in params:
            path = path.replace(f"<{converter + ':' if converter else ''}{name}>", values[name], 1)
        return "/" + path.replace("\\", "")

    variants = [("real", render(real))]
    for converter, name in params:
        for hostile in HOSTILE_PATH.get(converter or "str", []):
            variants.append((f"{name}={hostile[:20]}", render({**real, name: hostile})))
    return variants


def _user(django_user_model, username, group=None, **extra):
    from django.contrib.auth.models import Group

    person = django_user_model.objects.create_user(username=username, email=f"{username}@example.org",
                                                   password="pw-secret-12345", **extra)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    if group:
        person.groups.add(Group.objects.get_or_create(name=group)[0])
    return person


@pytest.fixture
def site(django_user_model, contributor, coordinator, expert):
    """A small catalog with one of everything an address can name."""
    from django.contrib.auth.models import Group

    for person in (contributor, coordinator, expert):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    coordinator.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR)[0])
    theme = ThemeFactory(code="A", slug="teema-a")
    subtheme = SubthemeFactory(theme=theme, slug="alateema")
    period = PeriodFactory()
    published_project = ProjectFactory(slug="julkinen-hanke")
    model = ModelPracticeFactory(title="Malli", slug="malli", project=published_project)
    PlacementFactory(practice=model, theme=theme, subtheme=subtheme, period=period)
    project = ProjectFactory(slug="oma-hanke", owner=contributor, status=PublicationStatus.DRAFT, published_at=None)
    project.members.add(contributor)
    draft = catalog_services.practice_create(by=contributor, data=complete_data(title="Luonnos", project=project.pk))
    draft.refresh_from_db()
    catalog_services.practice_update(practice=draft, by=contributor, lock_version=draft.lock_version,
                                     data=complete_data(title="Luonnos", project=project.pk, summary="Toinen."))
    submitted = catalog_services.practice_create(
        by=contributor, data=complete_data(title="Lähetetty", project=project.pk, keywords=["uusi sana"]))
    catalog_services.practice_submit(practice=submitted, by=contributor)
    event = EvaluationEventFactory(coordinator=coordinator, models_on_agenda=[model], participants=[contributor],
                                   access_expires_at=timezone.now() + datetime.timedelta(hours=6))
    group = EventGroupFactory(event=event, members=[contributor])
    answer = evaluation_services.peer_assessment_save(event=event, practice=model, rater=contributor,
                                                      scores=scores(active_peer_set(), 3), strengths="Hyvä.",
                                                      development_ideas="")
    definition = ReportDefinition.objects.create(slug="koonti", title="Koonti")
    definition.subthemes.set([subtheme])
    build = ReportBuild.objects.create(definition=definition, format="pdf", status=BuildStatus.FAILED,
                                       error="x", created_by=coordinator)
    token, _raw = api_token_create(user=contributor, name="avain")
    return {
        "users": {"contributor": contributor, "coordinator": coordinator, "expert": expert},
        "theme": theme, "subtheme": subtheme, "period": period, "model": model, "project": project,
        "published_project": published_project, "draft": draft, "submitted": submitted, "event": event,
        "group": group, "answer": answer, "definition": definition, "build": build, "token": token,
        "keyword": Keyword.objects.first(),
    }


def value_for(site, name_of_url):
    """A real value for each path parameter of the named URL."""
    def value(name):
        by_url = {
            ("catalog:theme", "slug"): site["theme"].slug,
            ("catalog:subtheme", "slug"): site["subtheme"].slug,
            ("catalog:project", "slug"): site["published_project"].slug,
            ("catalog:keyword", "slug"): site["keyword"].slug,
            ("catalog:open_data_download", "what"): "entries",
            ("catalog:open_data_download", "fmt"): "csv",
            ("reports:published_download", "fmt"): "pdf",
            ("api-dump", "filename"): "entries.json",
            ("apitokens:revoke", "pk"): str(site["token"].pk),
            ("contributions:moderation_practice", "pk"): str(site["submitted"].pk),
            ("contributions:attachment_delete", "pk"): "1",
            ("contributions:attachment_download", "pk"): "1",
        }
        if (name_of_url, name) in by_url:
            return by_url[(name_of_url, name)]
        app = name_of_url.split(":")[0]
        if name == "pk":
            if app == "evaluation":
                return str(site["event"].pk)
            if app == "reports":
                return str(site["build"].pk)
            if "project" in name_of_url:
                return str(site["project"].pk)
            if app == "admin":
                return "1"
            return str(site["draft"].pk)
        if name == "slug":
            return site["definition"].slug if app == "reports" else site["model"].slug
        if name == "id":
            return str({"api:entry_detail": site["model"].pk, "api:project_detail": site["published_project"].pk,
                        "api:theme_detail": site["theme"].pk, "api:subtheme_detail": site["subtheme"].pk,
                        "api:period_detail": site["period"].pk, "api:own_entry_detail": site["draft"].pk,
                        }.get(name_of_url, 1))
        return {
            "theme": site["theme"].slug, "number": "1", "version": "1", "language": "sv", "key": "practice-new",
            "user_pk": str(site["users"]["contributor"].pk), "group_pk": str(site["group"].pk),
            "practice_pk": str(site["model"].pk), "public_id": str(site["answer"].public_id),
            "token": site["event"].access_token, "uidb36": "2", "object_id": "1", "app_label": "catalog",
            "content_type_id": "1", "url": "x",
        }.get(name, "1")

    return value


def _clients(site):
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, person in site["users"].items():
        client = Client(raise_request_exception=False)
        client.force_login(person)
        clients[role] = client
    return clients


def test_no_address_answers_500_to_hostile_input(site, settings, caplog):
    settings.API_THROTTLE_ANON_RATE = ""
    settings.API_THROTTLE_TOKEN_RATE = ""
    settings.EVALUATION_ANON_RATE = ""
    settings.ACCOUNT_RATE_LIMITS = {}
    parameters = sorted(collected_parameters())
    assert {"subtheme", "age", "project", "a", "b", "limit", "q"} <= set(parameters)
    queries = {label: "&".join(f"{name}={value}" for name in parameters) for label, value in HOSTILE_VALUES.items()}
    clients = _clients(site)
    failures, requests = [], 0

    def get(client, role, url, label):
        nonlocal requests
        requests += 1
        response = client.get(url, follow=False)
        if response.status_code >= 500:
            failures.append(f"{role}: {response.status_code} GET {url[:160]} ({label})")

    with translation.override("fi"):
        routes = [(name, route) for name, route in url_patterns() if name != "api-index"]
        for name, route in routes:
            variants = fill(route, value_for(site, name))
            (_real, real_path), hostile_paths = variants[0], variants[1:]
            is_admin = name.startswith("admin:")
            # The admin answers only staff (everyone else is sent to the log-in): its many pages get
            # the coordinator; every other address every role.
            roles = ["coordinator"] if is_admin else list(clients)
            for role in roles:
                for label, query in queries.items():
                    if not is_admin or label in ADMIN_VALUES:
                        get(clients[role], role, f"{real_path}?{query}", label)
            # A hostile id or slug: the coordinator may open everything, the anonymous visitor nothing.
            for label, path in hostile_paths:
                for role in (["coordinator"] if is_admin else ["anonymous", "coordinator"]):
                    get(clients[role], role, path, label)
    assert requests > 1000
    assert not failures, f"{len(failures)} of {requests} requests answered 5xx:\n" + "\n".join(failures[:60])


def test_an_api_body_over_the_limit_is_a_413_problem(client, site, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default (2.5 MB), stated for clarity
    _token, raw = api_token_create(user=site["users"]["contributor"], name="iso")
    body = '{"kind": "good_practice", "title": "' + "x" * 2_700_000 + '"}'
    response = Client(raise_request_exception=False).post(
        "/api/v1/me/entries", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413
    assert not Practice.objects.filter(title__startswith="xxxx").exists()
    # With an Idempotency-Key too (its fingerprint reads the body before the endpoint does).
    response = Client(raise_request_exception=False).post(
        "/api/v1/me/entries", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_IDEMPOTENCY_KEY="big-1")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
