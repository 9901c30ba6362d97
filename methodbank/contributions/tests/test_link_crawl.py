"""There is never a published link to a 404 (issue 16, item 2).

A small catalog is built and moved through the workflow by the services a coordinator uses, with the
traps the issue found: an entry submitted in a never-submitted project, a model archived after a good
practice applied it, a suggested keyword, an attachment not yet public, a project waiting for review.
Then a visitor crawls the Finnish site from the front page and the project index, following every
internal link, and no link may answer 404 (or 500). The draft project's text must appear nowhere.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from methodbank.catalog.models import PracticeKind, PublicationStatus
from methodbank.catalog.tests.factories import catalog_clear
from methodbank.contributions import services

from .factories import PeriodFactory, ProjectFactory, SubthemeFactory, ThemeFactory, complete_data
from .test_uploads import PDF_BYTES

pytestmark = pytest.mark.django_db

# Pages a visitor crawls: the Finnish site. Links to other languages, the API and files are checked
# (their status) but not parsed for further links.
CRAWL_PREFIX = "/fi/"
SKIP = re.compile(r"^/(static|media)/|/admin/|/tili/|/i18n/|/kirjaudu|/logout")
MAX_PAGES = 400  # the catalog below has a few dozen pages; a runaway (facet combinations) stops here


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            if tag == "link" and attrs.get("rel") not in ("alternate", "canonical", "next", "prev"):
                return
            self.links.append(attrs["href"])


def internal(base: str, href: str) -> str | None:
    url = urldefrag(urljoin(base, href))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(parts.path) else path


@pytest.fixture
def site(owner, moderator):
    catalog_clear()  # before the first project: a seed imported by another test module is not crawled
    team_project = ProjectFactory(owner=owner, name="Tiimin hanke", slug="tiimin-hanke")
    team_project.members.add(owner)
    theme = ThemeFactory(code="A", name="Ohjaus", slug="ohjaus")
    subtheme = SubthemeFactory(theme=theme, name="Alkuvaihe", slug="alkuvaihe")
    period = PeriodFactory()
    placement = [{"theme": theme.pk, "subtheme": subtheme.pk, "period": period.pk, "label": "A"}]

    def entry(title, project, *, kind=PracticeKind.GOOD_PRACTICE, publish=True, publish_project=False, **extra):
        data = complete_data(title=title, kind=kind, project=project.pk, placements=placement, **extra)
        if kind == PracticeKind.MODEL:
            data["model_criteria"] = ["piloted", "adoptable", "national"]
            data.update(dict.fromkeys(("deployment_materials", "results_and_indicators", "contacts",
                                       "deployment_staff", "deployment_marketing", "resources"), "Kuvattu."))
        practice = services.practice_create(by=owner, data=data)
        services.practice_submit(practice=practice, by=owner)
        if publish:
            services.practice_publish(practice=practice, by=moderator, publish_project=publish_project)
        practice.refresh_from_db()
        return practice

    model = entry("Mentorointimalli", team_project, kind=PracticeKind.MODEL)
    entry("Paikallinen mentorointi", team_project, applies_model=model.pk)
    archived = entry("Vanha malli", team_project, kind=PracticeKind.MODEL)
    entry("Vanhan mallin sovellus", team_project, applies_model=archived.pk)
    services.practice_archive(practice=archived, by=moderator)

    # A project nobody submitted: its entry is published together with it (the coordinator's choice).
    fresh = ProjectFactory(owner=owner, name="Uusi hanke", slug="uusi-hanke", status=PublicationStatus.DRAFT, published_at=None)
    fresh.members.add(owner)
    entry("Uuden hankkeen käytäntö", fresh, publish_project=True)

    # A draft project with a submitted entry that waits: nothing of it may show.
    hidden = ProjectFactory(owner=owner, name="Piilohanke UNMODERATED", slug="piilohanke", status=PublicationStatus.DRAFT,
                            published_at=None)
    hidden.members.add(owner)
    entry("Odottava käytäntö", hidden, publish=False)

    # A published entry with a pending revision that suggests a keyword and adds an attachment.
    revised = entry("Tarkistettava käytäntö", team_project)
    services.practice_attachment_add(practice=revised, by=owner,
                                     uploaded_file=SimpleUploadedFile("luonnos.pdf", PDF_BYTES))
    services.practice_update(practice=revised, by=owner, lock_version=revised.lock_version,
                             data=complete_data(title="Tarkistettava käytäntö", project=team_project.pk,
                                                placements=placement, keywords=["ehdotettu-sana"]))
    services.practice_translation_save(practice=revised, by=owner, language="sv",
                                       fields={"title": "Svensk titel UNMODERATED"},
                                       lock_version=revised.lock_version)
    return {"hidden": hidden, "fresh": fresh}


def crawl(client, starts):
    seen, queue, broken, pages = set(starts), deque(starts), [], {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            target = internal(url, response["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code >= 400:
            broken.append((url, response.status_code))
            continue
        if not url.startswith(CRAWL_PREFIX) or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        parser = LinkParser()
        parser.feed(html)
        for href in parser.links:
            target = internal(url, href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages, broken, seen


def test_no_published_link_is_a_404(site):
    with translation.override("fi"):
        starts = [reverse("core:home"), reverse("catalog:project_list")]
    pages, broken, seen = crawl(Client(), starts)
    assert not broken, broken
    assert 15 < len(pages) < MAX_PAGES, f"the crawl did not finish or found little: {len(pages)} pages"
    # The crawl reached what it should: entries, the project that was published with its entry.
    assert any("/menetelmat/mentorointimalli/" in url for url in pages)
    assert any(site["fresh"].slug in url for url in pages)
    # ...and nothing of the unpublished project or of the unmoderated revision.
    assert not [url for url in seen if site["hidden"].slug in url]
    leaked = [url for url, html in pages.items() if "UNMODERATED" in html or "ehdotettu-sana" in html]
    assert not leaked, leaked


def test_the_api_gives_every_published_entry_its_project(site):
    client = Client()
    response = client.get("/api/v1/entries", {"limit": 100})
    assert response.status_code == 200
    items = response.json()["results"]
    assert items and all(item["project"] is not None for item in items), [(i["slug"], i["project"]) for i in items]
    assert "UNMODERATED" not in response.content.decode()
    names = {item["name"] for item in client.get("/api/v1/projects").json()["results"]}
    assert "Uusi hanke" in names and "Piilohanke UNMODERATED" not in names
