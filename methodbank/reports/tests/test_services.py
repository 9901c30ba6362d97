import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from pypdf import PdfReader

from methodbank.catalog.models import PracticeKind
from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory
from methodbank.reports import services
from methodbank.reports.compare import report_compare
from methodbank.reports.models import BuildStatus, PublishedReport, ReportBuild
from methodbank.reports.tasks import run_report_build

from .factories import ReportDefinitionFactory, small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


def test_background_build_goes_from_queued_to_done(coordinator, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    definition = small_report_definition(small_catalog())
    with django_capture_on_commit_callbacks(execute=True):
        build = services.report_build_request(definition=definition, fmt="pdf", by=coordinator)
    build.refresh_from_db()
    assert build.status == BuildStatus.QUEUED and build.progress == 0 and build.task_id
    # The worker runs the task.
    assert run_report_build.call(build.pk) == BuildStatus.DONE
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE and build.progress == 100
    assert build.file_size == build.file.size > 1000
    assert build.entry_count == 3 and build.created_by == coordinator
    with build.file.open("rb") as handle:
        assert len(PdfReader(handle).pages) >= 5


def test_build_runs_in_the_database_backend_worker(
    coordinator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # On SQLite the worker opens its own "BEGIN EXCLUSIVE", which cannot nest inside the test's
    # transaction; let it use a plain atomic block (a savepoint) here, as it does on PostgreSQL.
    monkeypatch.setattr("django_tasks_db.utils.connection_requires_manual_exclusive_transaction", lambda c: False)
    # Between tasks the worker closes connections it sees outside autocommit: that would be the
    # test's own connection here.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    definition = small_report_definition(small_catalog())
    with django_capture_on_commit_callbacks(execute=True):
        build = services.report_build_request(definition=definition, fmt="html", by=coordinator)
    build.refresh_from_db()
    assert build.status == BuildStatus.QUEUED
    call_command("db_worker", batch=True, verbosity=0)
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    assert b"Tutustujan perehdytys" in build.file.read()


def test_a_crash_halfway_marks_the_build_failed_and_retry_works(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    definition = small_report_definition(small_catalog())

    def broken(report, fmt, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(services, "render_report", broken)
    with django_capture_on_commit_callbacks(execute=True):
        build = services.report_build_request(definition=definition, fmt="docx", by=coordinator)
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    assert "renderer crashed" in build.error and not build.file
    assert build.progress < 100

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_build_retry(build=build, by=coordinator)
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE and build.error == "" and build.attempts == 2
    with pytest.raises(ValidationError, match="Only a failed build"):
        services.report_build_retry(build=build, by=coordinator)


def test_empty_selection_is_refused_before_queueing(coordinator):
    definition = ReportDefinitionFactory(kinds=[PracticeKind.MODEL], date_to="1990-01-01")
    with pytest.raises(ValidationError, match="selects no published entries"):
        services.report_build_request(definition=definition, fmt="pdf", by=coordinator)
    assert not ReportBuild.objects.exists()


def test_publish_freezes_an_immutable_snapshot(coordinator):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    published = services.report_publish(definition=definition, by=coordinator)
    assert published.version == 1 and published.published_by == coordinator
    assert published.pdf_file.read().startswith(b"%PDF")
    html_before = published.html_file.open("rb").read()

    model = catalog["model"]
    model.title = "Uusi nimi"
    model.save()
    published = PublishedReport.objects.get(pk=published.pk)
    titles = {e["title"] for e in published.context["entries"].values()}
    assert "Tutustujan perehdytys" in titles and "Uusi nimi" not in titles
    assert published.html_file.open("rb").read() == html_before
    with pytest.raises(ValidationError):
        published.save()

    second = services.report_publish(definition=definition, by=coordinator)
    assert second.version == 2
    assert "Uusi nimi" in {e["title"] for e in second.context["entries"].values()}


def test_comparison_shows_new_changed_and_removed_entries(coordinator):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    first = services.report_publish(definition=definition, by=coordinator)

    catalog["model"].summary = "Päivitetty kuvaus."
    catalog["model"].save()
    catalog["twice"].placements.filter(subtheme=catalog["subthemes"][1]).delete()  # placements changed
    catalog["newer"].status = "archived"
    catalog["newer"].save()
    added = PracticeFactory(title="Uusi käytäntö", project=catalog["projects"][0])
    PlacementFactory(practice=added, theme=catalog["themes"][1], subtheme=catalog["subthemes"][2],
                     period=catalog["periods"][0])
    second = services.report_publish(definition=definition, by=coordinator)

    comparison = report_compare(new_context=second.context, old_context=first.context)
    assert [c.entry["title"] for c in comparison.new] == ["Uusi käytäntö"]
    assert [c.entry["title"] for c in comparison.removed] == ["Vertaisryhmät"]
    changed = {c.entry["title"]: c.field_keys for c in comparison.changed}
    assert changed == {"Tutustujan perehdytys": ["summary"], "Koulutuskokeilu": ["placements"]}


def test_definition_save_sanitises_and_stores_selection_and_theme_intros(coordinator):
    catalog = small_catalog()
    definition = ReportDefinitionFactory.build(slug="uusi", title="Uusi", preface="<p>Hei<script>x</script></p>")
    theme_a = catalog["themes"][0]
    saved = services.report_definition_save(
        definition=definition,
        selection={"subthemes": list(catalog["subthemes"])},
        theme_intros={theme_a: '<p onclick="x">Teemassa {entries}.</p>'},
        by=coordinator,
    )
    assert saved.preface == "<p>Hei</p>"
    assert saved.theme_introductions.get().text == "<p>Teemassa {entries}.</p>"
    assert saved.subthemes.count() == 3 and saved.created_by == coordinator
