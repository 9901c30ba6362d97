import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from methodbank.accounts.roles import Role, is_coordinator
from methodbank.catalog.models import PracticeKind
from methodbank.reports import services
from methodbank.reports.models import BuildStatus, ReportBuild, ReportDefinition

from .factories import ReportDefinitionFactory, small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition():
    return small_report_definition(small_catalog())


def test_coordinator_group_members_manage_reports_and_staff_status_alone_does_not(
    client, contributor, coordinator, django_user_model
):
    # The one rule (accounts.roles): the coordinator group's permission, not is_staff.
    assert is_coordinator(coordinator)
    assert not is_coordinator(contributor)
    member = django_user_model.objects.create_user(username="member", email="m@example.org", password="pw-member-123")
    member.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR)[0])
    assert is_coordinator(member)
    staff = django_user_model.objects.create_user(
        username="staff", email="s@example.org", password="pw-staff-123", is_staff=True
    )
    client.force_login(staff)
    assert client.get(reverse("reports:definition_list")).status_code == 403


@pytest.mark.parametrize(
    "name,kwargs,method",
    [
        ("reports:definition_list", {}, "get"),
        ("reports:definition_create", {}, "get"),
        ("reports:definition_detail", {"slug": "x"}, "get"),
        ("reports:definition_preview", {"slug": "x"}, "get"),
        ("reports:build_request", {"slug": "x"}, "post"),
        ("reports:publish", {"slug": "x"}, "post"),
        ("reports:build_download", {"pk": 1}, "get"),
    ],
)
def test_coordinator_pages_refuse_others(client, contributor, definition, name, kwargs, method):
    if "slug" in kwargs:
        kwargs = {"slug": definition.slug}
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "login" in response["Location"] or response.status_code == 403
    client.force_login(contributor)
    assert getattr(client, method)(url).status_code == 403


def test_coordinator_creates_a_definition_with_sanitised_text(client, coordinator):
    catalog = small_catalog()
    client.force_login(coordinator)
    response = client.get(reverse("reports:definition_create"))
    assert response.status_code == 200
    assert 'for="id_intro_A"' in response.content.decode()
    data = {
        "slug": "kevat-2031",
        "title": "Kevät 2031",
        "language": "fi",
        "preface": '<p>Kuvauksia {entries}.</p><script>alert(1)</script>',
        "introduction": "",
        "subthemes": [s.pk for s in catalog["subthemes"]],
        "kinds": [PracticeKind.MODEL, PracticeKind.GOOD_PRACTICE],
        "intro_A": "<p>Teemassa {entries}.</p>",
    }
    response = client.post(reverse("reports:definition_create"), data)
    assert response.status_code == 302
    created = ReportDefinition.objects.get(slug="kevat-2031")
    assert "script" not in created.preface and created.subthemes.count() == 3
    assert created.theme_introductions.get(theme__code="A").text == "<p>Teemassa {entries}.</p>"
    detail = client.get(created.get_absolute_url()).content.decode()
    assert "3 published entries" in detail


def test_unknown_placeholder_shows_an_error_tied_to_the_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("reports:definition_create"),
        {"slug": "x", "title": "X", "language": "fi", "preface": "<p>{entires}</p>", "intro_B": "{A.models}"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_preface_errors"' in html and "{entires}" in html
    assert 'aria-describedby="id_preface_helptext id_preface_errors"' in html
    assert 'id="id_intro_B_errors"' in html


def test_build_request_with_empty_selection_shows_a_form_error(client, coordinator):
    empty = ReportDefinitionFactory(kinds=[PracticeKind.MODEL], date_to="1990-01-01")
    client.force_login(coordinator)
    response = client.post(reverse("reports:build_request", kwargs={"slug": empty.slug}), {"format": "pdf"})
    assert response.status_code == 400
    assert "selects no published entries" in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_build_progress_and_download(client, coordinator, definition, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:build_request", kwargs={"slug": definition.slug}), {"format": "docx"})
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.DONE
    page = client.get(definition.get_absolute_url()).content.decode()
    assert reverse("reports:build_download", kwargs={"pk": build.pk}) in page
    download = client.get(reverse("reports:build_download", kwargs={"pk": build.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Disposition"].endswith('.docx"')
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_running_build_polls_with_htmx_and_offers_a_refresh_link(client, coordinator, definition):
    build = ReportBuild.objects.create(definition=definition, format="pdf", status=BuildStatus.RUNNING, progress=40)
    client.force_login(coordinator)
    page = client.get(definition.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="40"' in page
    assert f'href="{definition.get_absolute_url()}"' in page  # works without JavaScript
    partial = client.get(reverse("reports:build_status", kwargs={"pk": build.pk}), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.FAILED, error="Boom")
    partial = client.get(reverse("reports:build_status", kwargs={"pk": build.pk}), HTTP_HX_REQUEST="true").content.decode()
    assert "Boom" in partial and "hx-trigger" not in partial
    assert reverse("reports:build_retry", kwargs={"pk": build.pk}) in partial


def test_preview_shows_the_report_on_the_site(client, coordinator, definition):
    client.force_login(coordinator)
    html = client.get(reverse("reports:definition_preview", kwargs={"slug": definition.slug})).content.decode()
    assert html.count("<h1") == 1
    assert "Tutustujan perehdytys" in html and "(Testi SOPU)" in html


def test_published_reports_are_public_with_downloads_and_comparison(client, coordinator, definition):
    first = services.report_publish(definition=definition, by=coordinator)
    services.report_publish(definition=definition, by=coordinator)
    listing = client.get(reverse("reports:published_list")).content.decode()
    assert first.get_absolute_url() in listing
    detail = client.get(reverse("reports:published_detail", kwargs={"slug": definition.slug, "version": 2}))
    assert detail.status_code == 200 and "Tutustujan perehdytys" in detail.content.decode()
    for fmt in ("pdf", "docx", "html"):
        response = client.get(
            reverse("reports:published_download", kwargs={"slug": definition.slug, "version": 1, "fmt": fmt})
        )
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert (
        client.get(
            reverse("reports:published_download", kwargs={"slug": definition.slug, "version": 1, "fmt": "exe"})
        ).status_code
        == 404
    )
    compare = client.get(
        reverse("reports:published_compare", kwargs={"slug": definition.slug, "version": 2}), {"earlier": 1}
    )
    assert compare.status_code == 200
    assert "The versions list the same entries in the same places." in compare.content.decode()
