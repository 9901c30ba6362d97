"""The data-quality queue: every finding of the importer (on the real seed) becomes an item linked to
its entry or project; a coordinator fixes or dismisses it; a re-import does not re-open a dismissed
item; closing items never changes a count of the catalog."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from methodbank.catalog import selectors as catalog_selectors
from methodbank.catalog.importers.findings import Finding, report_findings
from methodbank.catalog.importers.parser import parse_report
from methodbank.catalog.models import Practice, Project
from methodbank.contributions import services
from methodbank.contributions.models import QualityIssue, QualityIssueKind, QualityIssueStatus
from methodbank.core.models import AuditEvent

SEED = "data/zoomi-2020/report.txt"

pytestmark = pytest.mark.django_db


def kinds():
    return {kind: QualityIssue.objects.filter(kind=kind).count() for kind in QualityIssueKind.values}


def figures():
    return {
        "totals": catalog_selectors.catalog_totals(),
        "themes": [(t.pk, getattr(t, "practice_count", None), getattr(t, "model_count", None))
                   for t in catalog_selectors.theme_list_with_counts()],
        "published": Practice.objects.published().count(),
        "projects": Project.objects.published().count(),
    }


def test_every_importer_finding_is_a_queue_item_linked_to_its_entry_or_project(seeded_db):
    report = parse_report(open(SEED, encoding="utf-8").read())
    issues = QualityIssue.objects.select_related("practice", "project")
    # Garbled characters: the entry whose summary has "Vetovoimਾਲassa" (line 204 of the report).
    [garbled] = issues.filter(kind=QualityIssueKind.GARBLED)
    assert "Vetovoimਾਲassa" in garbled.practice.summary and "U+0A3E" in garbled.detail
    # Every loose project-name match, each linked to the project it was read as.
    loose = issues.filter(kind=QualityIssueKind.LOOSE_MATCH)
    assert loose.count() == len(report.loose_matches) > 0
    assert all(issue.project is not None for issue in loose)
    for match in report.loose_matches:
        assert any(f"'{match.spelling}'" in i.detail and i.project.name == match.project for i in loose), match
    # The repeated paragraph (line 187 repeats the entry's description on line 185): that entry.
    repeated = issues.filter(kind=QualityIssueKind.REPEATED_PARAGRAPH)
    assert repeated.exists() and all(issue.practice is not None for issue in repeated)
    assert any("line 187" in issue.detail for issue in repeated)
    # Missing sections: one item per imported entry that lacks any (all of them: summaries only).
    imported = Practice.objects.filter(source__startswith="zoomi-2020:")
    assert issues.filter(kind=QualityIssueKind.MISSING_SECTIONS).count() == imported.count() == 221
    # Possible duplicates the search found among the new entries, each on its entry.
    duplicates = issues.filter(kind=QualityIssueKind.POSSIBLE_DUPLICATE)
    assert duplicates.exists() and all(i.practice is not None and "similarity" in i.detail for i in duplicates)
    assert all(issue.status == QualityIssueStatus.OPEN for issue in issues)


def test_possible_duplicates_become_items(seeded_db):
    first, second = Practice.objects.order_by("pk")[:2]
    findings = report_findings(parse_report(open(SEED, encoding="utf-8").read()), practices_by_line={},
                               projects={}, near_duplicates=[(second, first, 0.93)])
    findings = [f for f in findings if f.kind == "possible_duplicate"]
    assert len(findings) == 1
    assert services.quality_issues_record(findings=findings, source="zoomi-2020") == 1
    issue = QualityIssue.objects.get(kind=QualityIssueKind.POSSIBLE_DUPLICATE, practice=second, detail__contains=first.title)
    assert issue.practice == second and first.title in issue.detail and issue.status == QualityIssueStatus.OPEN
    # Recorded once: the same finding again adds nothing.
    assert services.quality_issues_record(findings=findings, source="zoomi-2020") == 0


def test_queue_page_lists_items_with_links_to_edit(client, seeded_db, coordinator, contributor):
    client.force_login(contributor)
    assert client.get(reverse("contributions:moderation_quality")).status_code == 403
    client.force_login(coordinator)
    html = client.get(reverse("contributions:moderation_quality") + "?kind=garbled").content.decode()
    garbled = QualityIssue.objects.get(kind=QualityIssueKind.GARBLED)
    assert reverse("contributions:practice_edit", kwargs={"pk": garbled.practice_id}) in html
    assert garbled.practice.get_absolute_url() in html and "U+0A3E" in html
    assert QualityIssue.objects.filter(kind=QualityIssueKind.MISSING_SECTIONS).first().practice.title not in html
    queue = client.get(reverse("contributions:moderation_queue")).content.decode()
    assert f"{QualityIssue.objects.count()} data" in queue


def test_dismissed_item_stays_dismissed_after_a_reimport_and_counts_never_change(client, seeded_db, coordinator):
    before = figures()
    client.force_login(coordinator)
    loose = QualityIssue.objects.filter(kind=QualityIssueKind.LOOSE_MATCH).first()
    dismiss = reverse("contributions:moderation_quality_dismiss", kwargs={"pk": loose.pk})
    client.post(dismiss, {"reason": ""})  # a reason is required
    loose.refresh_from_db()
    assert loose.status == QualityIssueStatus.OPEN
    client.post(dismiss, {"reason": "The spelling is the project's own abbreviation."})
    loose.refresh_from_db()
    assert loose.status == QualityIssueStatus.DISMISSED and loose.decided_by == coordinator
    assert AuditEvent.objects.filter(verb="quality_issue.dismiss", actor=coordinator).exists()
    # Dismiss every missing-sections item too: the front page and the reports count the same.
    for issue in QualityIssue.objects.filter(kind=QualityIssueKind.MISSING_SECTIONS)[:20]:
        services.quality_issue_dismiss(issue=issue, by=coordinator, reason="Waiting for the team.")
    assert figures() == before

    # The coordinator fixes the garbled summary through the normal edit, then marks the item fixed.
    garbled = QualityIssue.objects.get(kind=QualityIssueKind.GARBLED)
    practice = garbled.practice
    practice.summary = practice.summary.replace("Vetovoimਾਲassa", "Vetovoimalassa")
    practice.save()
    client.post(reverse("contributions:moderation_quality_fix", kwargs={"pk": garbled.pk}))
    garbled.refresh_from_db()
    assert garbled.status == QualityIssueStatus.FIXED
    assert AuditEvent.objects.filter(verb="quality_issue.fix", actor=coordinator).exists()

    counts = kinds()
    call_command("import_report", SEED, verbosity=0)
    loose.refresh_from_db()
    assert loose.status == QualityIssueStatus.DISMISSED
    assert kinds() == counts  # nothing re-opened or added: the fixed text is not found again
    assert QualityIssue.objects.filter(kind=QualityIssueKind.GARBLED, status=QualityIssueStatus.OPEN).count() == 0
    assert figures() == before


def test_a_finding_without_entry_or_project_is_not_queued(db):
    assert services.quality_issues_record(findings=[Finding("garbled", "x", "detail")]) == 0


def test_the_import_command_says_how_many_findings_are_new_in_the_queue(seeded_db):
    out = io.StringIO()
    call_command("import_report", SEED, stdout=out)
    # A re-import has no new entries, so no new possible duplicates: every other finding again, none new.
    total = QualityIssue.objects.exclude(kind=QualityIssueKind.POSSIBLE_DUPLICATE).count()
    assert f"Findings: {total}, of which 0 new in the data-quality queue" in out.getvalue()


def test_a_published_edit_closes_the_items_whose_finding_no_longer_holds(owner, moderator):
    from methodbank.catalog.models import TEMPLATE_FIELDS, PublicationStatus
    from methodbank.catalog.tests.factories import PlacementFactory
    from methodbank.contributions.content import LinkRef, PracticeContent

    from .factories import PracticeFactory, ProjectFactory

    project = ProjectFactory(owner=owner)
    practice = PracticeFactory(owner=owner, project=project, status=PublicationStatus.PUBLISHED,
                               title="Vetovoimਾਲassa", summary="Tiivistelmä raportista.")
    PlacementFactory(practice=practice)
    services.quality_issues_record(findings=[
        Finding(QualityIssueKind.MISSING_SECTIONS, "sections", "9 missing", practice=practice),
        Finding(QualityIssueKind.GARBLED, "ਾਲ", "garbled", practice=practice),
        Finding(QualityIssueKind.LOOSE_MATCH, "Vamos", "loose", practice=practice),
    ])
    # The team fills in every section but leaves the garbled title; the coordinator publishes it.
    content = PracticeContent.from_practice(practice).model_copy(
        update={name: f"Kuvaus: {heading}" for name, heading in TEMPLATE_FIELDS}
    )
    content = content.model_copy(update={"links": [LinkRef(url="https://example.org/opas", title="Opas")]})
    services.practice_update(practice=practice, by=owner, data=content, lock_version=practice.lock_version)
    services.practice_submit(practice=practice, by=owner)
    services.practice_publish(practice=practice, by=moderator)
    status = dict(QualityIssue.objects.filter(practice=practice).values_list("kind", "status"))
    assert status == {QualityIssueKind.MISSING_SECTIONS: QualityIssueStatus.FIXED,
                      QualityIssueKind.GARBLED: QualityIssueStatus.OPEN,
                      QualityIssueKind.LOOSE_MATCH: QualityIssueStatus.OPEN}
    assert AuditEvent.objects.filter(verb="quality_issue.fix", actor=moderator, data__automatic=True).count() == 1

    # A second revision mends the title: that item closes too; the loose match waits for a person.
    practice.refresh_from_db()
    content = PracticeContent.from_practice(practice).model_copy(update={"title": "Vetovoimaa ammatillisessa"})
    services.practice_update(practice=practice, by=owner, data=content, lock_version=practice.lock_version)
    services.practice_submit(practice=practice, by=owner)
    services.practice_publish(practice=practice, by=moderator)
    still_open = QualityIssue.objects.filter(practice=practice, status=QualityIssueStatus.OPEN)
    assert set(still_open.values_list("kind", flat=True)) == {
        QualityIssueKind.LOOSE_MATCH
    }
