"""The contribution pages as a user meets them: forms that keep what was typed, clear errors,
conflicts with both texts, autosaved drafts, the queue, diffs and decisions by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from methodbank.catalog.models import Keyword, Practice, PracticeKind, PublicationStatus
from methodbank.contributions import services
from methodbank.contributions.models import FormDraft

from .factories import PeriodFactory, PracticeFactory, SubthemeFactory, ThemeFactory, complete_data

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    theme = ThemeFactory()
    data = {
        "kind": "good_practice",
        "title": "Kesäkoulu",
        "summary": "Summer school for applicants.",
        "goal_and_target_group": "Applicants to vocational education.",
        "content_and_actions": "A week of taster courses.",
        "deployment_staff": "", "deployment_marketing": "", "deployment_materials": "", "resources": "",
        "results_and_indicators": "", "contacts": "",
        "project": "", "applies_model": "", "keywords": "kesäkoulu, siirtymät", "reason": "",
        "lock_version": "",
        "placements-TOTAL_FORMS": "1", "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0", "placements-MAX_NUM_FORMS": "20",
        "placements-0-theme": str(theme.pk), "placements-0-subtheme": "", "placements-0-period": "",
        "links-TOTAL_FORMS": "2", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "30",
        "links-0-url": "https://example.org/kesakoulu", "links-0-title": "Esite",
        "links-1-url": "", "links-1-title": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_new_good_practice_saved_with_placements_keywords_links(client, owner):
    client.force_login(owner)
    response = client.post(reverse("contributions:practice_create"), form_data())
    practice = Practice.objects.get(title="Kesäkoulu")
    assert response.status_code == 302
    assert response["Location"] == reverse("contributions:practice_detail", kwargs={"pk": practice.pk})
    assert practice.owner == owner and practice.status == PublicationStatus.DRAFT
    assert practice.placements.get().theme.code == "A"
    assert sorted(practice.keywords.values_list("name", flat=True)) == ["kesäkoulu", "siirtymät"]
    assert not Keyword.objects.get(name="kesäkoulu").approved
    assert practice.links.get().title == "Esite"


def test_submit_with_missing_sections_keeps_everything_typed(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("contributions:practice_create"),
        form_data(goal_and_target_group="", content_and_actions="Typed text that must survive.", action="submit"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Typed text that must survive." in html
    assert 'id="id_goal_and_target_group_errors"' in html
    assert 'aria-describedby="id_goal_and_target_group_helptext id_goal_and_target_group_errors"' in html
    assert not Practice.objects.filter(title="Kesäkoulu").exists()


def test_model_explains_and_requires_what_a_model_needs(client, owner):
    client.force_login(owner)
    page = client.get(reverse("contributions:practice_create") + "?kind=model").content.decode()
    assert "piloted" in page and "nationally" in page
    response = client.post(reverse("contributions:practice_create"), form_data(kind="model", action="submit"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "A model must meet every criterion" in html
    assert 'id="id_results_and_indicators_errors"' in html


def test_good_practice_linked_to_a_model(client, owner):
    model = PracticeFactory(kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED, title="Ohjausmalli")
    client.force_login(owner)
    client.post(reverse("contributions:practice_create"), form_data(applies_model=str(model.pk)))
    assert Practice.objects.get(title="Kesäkoulu").applies_model == model


def test_subtheme_must_belong_to_the_theme(client, owner):
    subtheme = SubthemeFactory(theme=ThemeFactory(code="B"))
    client.force_login(owner)
    response = client.post(reverse("contributions:practice_create"),
                           form_data(**{"placements-0-subtheme": str(subtheme.pk),
                                        "placements-0-period": str(PeriodFactory().pk)}))
    assert response.status_code == 400
    assert "This subtheme belongs to another theme." in response.content.decode()


def test_concurrent_edit_shows_both_texts_and_overwrites_only_on_purpose(client, owner, teammate, draft):
    client.force_login(owner)
    url = reverse("contributions:practice_edit", kwargs={"pk": draft.pk})
    opened = str(draft.lock_version)
    # The teammate saves first.
    services.practice_update(practice=draft, by=teammate, data=complete_data(summary="Teammate wrote this."),
                             lock_version=draft.lock_version)
    response = client.post(url, form_data(summary="Owner wrote this.", lock_version=opened))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this entry" in html
    assert "Teammate wrote this." in html and "Owner wrote this." in html
    draft.refresh_from_db()
    assert draft.summary == "Teammate wrote this."
    # Saving again from the conflict page is a deliberate overwrite with the new lock version.
    response = client.post(url, form_data(summary="Owner wrote this.", lock_version=str(draft.lock_version)))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Owner wrote this."


def test_autosave_draft_restored_after_new_login_and_discarded_after_save(client, owner, draft):
    client.force_login(owner)
    key = f"practice-{draft.pk}"
    response = client.post(reverse("contributions:autosave", kwargs={"key": key}),
                           form_data(summary="Half-written thought"))
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    client.logout()
    client.force_login(owner)
    page = client.get(reverse("contributions:practice_edit", kwargs={"pk": draft.pk})).content.decode()
    assert "Half-written thought" in page
    assert "We restored what you typed" in page
    client.post(reverse("contributions:practice_edit", kwargs={"pk": draft.pk}),
                form_data(summary="Half-written thought", lock_version=str(draft.lock_version)))
    assert not FormDraft.objects.filter(user=owner, key=key).exists()


def test_autosave_without_session_answers_401_not_a_login_page(client):
    response = client.post(reverse("contributions:autosave", kwargs={"key": "practice-new"}), {"title": "x"})
    assert response.status_code == 401


def test_own_page_lists_status_missing_sections_and_comments(client, owner, moderator, draft):
    services.practice_update(practice=draft, by=owner, data=complete_data(project=draft.project_id),
                             lock_version=draft.lock_version)
    services.practice_submit(practice=draft, by=owner)
    services.practice_return(practice=draft, by=moderator, comment="Lisää tulokset, kiitos.")
    client.force_login(owner)
    html = client.get(reverse("contributions:own_page")).content.decode()
    assert draft.title in html or "Mentoring" in html
    assert "returned for changes" in html
    assert "Lisää tulokset, kiitos." in html
    assert "Results and indicators" in html  # listed as missing


def test_queue_filters_and_decisions_send_email(client, owner, moderator, draft, django_capture_on_commit_callbacks):
    services.practice_update(practice=draft, by=owner, data=complete_data(project=draft.project_id),
                             lock_version=draft.lock_version)
    services.practice_submit(practice=draft, by=owner)
    client.force_login(moderator)
    queue = reverse("contributions:moderation_queue")
    assert "Mentoring for first-year students" in client.get(queue).content.decode()
    assert "Mentoring for first-year students" not in client.get(queue + "?kind=model").content.decode()
    assert "Mentoring for first-year students" in client.get(queue + "?theme=A").content.decode()
    assert "Mentoring for first-year students" not in client.get(queue + "?age=3").content.decode()

    review = reverse("contributions:moderation_practice_return", kwargs={"pk": draft.pk})
    response = client.post(review, {"comment": ""})
    assert response.status_code == 400
    assert "comments are required" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review, {"comment": "Tarkenna kohderyhmä."})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "Tarkenna kohderyhmä." in mail.outbox[-1].body


def test_queue_shows_duplicate_warning(client, owner, moderator, draft, monkeypatch):
    from methodbank.search import services as search_services

    twin = PracticeFactory(title="Mentorointi", status=PublicationStatus.PUBLISHED)
    monkeypatch.setattr(search_services, "find_duplicates", lambda **kwargs: [(twin, 0.93)])
    draft.status = PublicationStatus.SUBMITTED
    draft.save()
    client.force_login(moderator)
    html = client.get(reverse("contributions:moderation_queue")).content.decode()
    assert "Similar entries" in html and "Mentorointi" in html


def test_published_entry_revision_is_reviewed_with_diff_and_stays_public(client, owner, moderator, draft):
    services.practice_update(practice=draft, by=owner, data=complete_data(project=draft.project_id),
                             lock_version=draft.lock_version)
    services.practice_submit(practice=draft, by=owner)
    services.practice_publish(practice=draft, by=moderator)
    draft.refresh_from_db()
    client.force_login(owner)
    client.post(reverse("contributions:practice_edit", kwargs={"pk": draft.pk}),
                form_data(title="Mentoring for first-year students", summary="<script>alert(1)</script>",
                          lock_version=str(draft.lock_version), action="submit"))
    draft.refresh_from_db()
    assert draft.summary == "Older students mentor first-year students."  # the published text stays
    client.force_login(moderator)
    html = client.get(reverse("contributions:moderation_practice", kwargs={"pk": draft.pk})).content.decode()
    assert "Changes compared with the published version" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    client.post(reverse("contributions:moderation_practice_publish", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.summary == "<script>alert(1)</script>"


def test_versions_page_diff_and_restore(client, owner, moderator, draft):
    services.practice_update(practice=draft, by=owner, data=complete_data(summary="First"),
                             lock_version=draft.lock_version)
    draft.refresh_from_db()
    services.practice_update(practice=draft, by=owner, data=complete_data(summary="Second"),
                             lock_version=draft.lock_version)
    client.force_login(owner)
    url = reverse("contributions:practice_versions", kwargs={"pk": draft.pk})
    html = client.get(url + "?a=1&b=2").content.decode()
    assert "<del>" in html and "First" in html and "<ins>" in html
    assert "Restore version" not in html  # only coordinators restore
    client.force_login(moderator)
    client.post(reverse("contributions:version_restore", kwargs={"pk": draft.pk, "number": 1}))
    draft.refresh_from_db()
    assert draft.summary == "First" and draft.versions.count() == 3


def test_keyword_moderation(client, moderator, owner):
    services.practice_create(by=owner, data=complete_data(keywords=["uusi sana"]))
    client.force_login(moderator)
    keyword = Keyword.objects.get(name="uusi sana")
    assert "uusi sana" in client.get(reverse("contributions:moderation_keywords")).content.decode()
    client.post(reverse("contributions:moderation_keyword_approve", kwargs={"pk": keyword.pk}))
    keyword.refresh_from_db()
    assert keyword.approved


def test_project_team_member_added_and_can_edit(client, owner, other, team_project, draft):
    client.force_login(owner)
    client.post(reverse("contributions:project_member_add", kwargs={"pk": team_project.pk}),
                {"email": "other@example.org"})
    client.force_login(other)
    assert client.get(reverse("contributions:practice_edit", kwargs={"pk": draft.pk})).status_code == 200


def test_coordinator_transfers_ownership(client, moderator, other, draft):
    client.force_login(moderator)
    response = client.post(reverse("contributions:practice_transfer", kwargs={"pk": draft.pk}),
                           {"email": "other@example.org"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.owner == other


def test_project_form_restores_autosaved_draft(client, owner):
    client.force_login(owner)
    client.post(reverse("contributions:autosave", kwargs={"key": "project-new"}),
                {"name": "Puolivalmis hanke", "description": "Kesken"})
    html = client.get(reverse("contributions:project_create")).content.decode()
    assert "Puolivalmis hanke" in html and "We restored what you typed" in html
    response = client.post(reverse("contributions:project_create"),
                           {"name": "Puolivalmis hanke", "description": "Valmis", "ends_on": "12/2021"})
    assert response.status_code == 302
    assert not FormDraft.objects.filter(user=owner).exists()
    html = client.get(response["Location"]).content.decode()
    assert 'data-clear-draft="project-new"' in html


def test_project_end_date_must_be_month_and_year(client, owner):
    client.force_login(owner)
    response = client.post(reverse("contributions:project_create"), {"name": "Hanke", "ends_on": "joulukuu"})
    assert response.status_code == 400
    assert 'id="id_ends_on_errors"' in response.content.decode()
    assert "Hanke" in response.content.decode()


def test_own_page_queries_do_not_grow_with_entries(client, owner, team_project, django_assert_max_num_queries):
    for n in range(12):
        services.practice_create(by=owner, data=complete_data(title=f"Entry {n}", project=team_project.pk))
    client.force_login(owner)
    # The own page's own, and 2 for usage's block (the team's entries, their monthly figures).
    with django_assert_max_num_queries(12 + 2):
        response = client.get(reverse("contributions:own_page"))
    assert response.content.decode().count("<h3>") >= 12


def test_coordinator_adds_a_member_to_an_imported_project(client, moderator, other):
    from .factories import ProjectFactory

    imported = ProjectFactory(owner=None)
    client.force_login(moderator)
    response = client.get(reverse("contributions:project_pick") + f"?project={imported.pk}")
    assert response["Location"] == reverse("contributions:project_edit", kwargs={"pk": imported.pk})
    client.post(reverse("contributions:project_member_add", kwargs={"pk": imported.pk}),
                {"email": "other@example.org"})
    assert other in imported.members.all()
    client.force_login(other)
    page = client.get(reverse("contributions:practice_create")).content.decode()
    assert f'<option value="{imported.pk}">{imported.name}</option>' in page
