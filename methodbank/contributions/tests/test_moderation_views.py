"""One POST view per decision: each decision has its own URL that the review page's buttons post to,
only coordinators reach it, and only by POST."""

import pytest
from django.urls import reverse

from methodbank.catalog.models import Keyword, PublicationStatus
from methodbank.contributions import services

from .factories import ProjectFactory, complete_data

pytestmark = pytest.mark.django_db


def submitted(owner, draft):
    services.practice_update(practice=draft, by=owner, data=complete_data(project=draft.project_id),
                             lock_version=draft.lock_version)
    services.practice_submit(practice=draft, by=owner)
    return draft


def test_review_page_buttons_post_to_their_decision(client, owner, moderator, draft):
    submitted(owner, draft)
    client.force_login(moderator)
    html = client.get(reverse("contributions:moderation_practice", kwargs={"pk": draft.pk})).content.decode()
    assert f'formaction="{reverse("contributions:moderation_practice_publish", kwargs={"pk": draft.pk})}"' in html
    assert f'formaction="{reverse("contributions:moderation_practice_return", kwargs={"pk": draft.pk})}"' in html


def test_publish_return_and_archive_each_have_a_post_view(client, owner, moderator, draft):
    submitted(owner, draft)
    client.force_login(moderator)
    publish = reverse("contributions:moderation_practice_publish", kwargs={"pk": draft.pk})
    assert client.get(publish).status_code == 405
    assert client.post(publish, {"comment": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    # Returning a published entry without a pending revision is not a decision the workflow allows.
    response = client.post(reverse("contributions:moderation_practice_return", kwargs={"pk": draft.pk}),
                           {"comment": "Korjaa"})
    assert response.status_code == 400 and "no revision waiting" in response.content.decode()
    assert client.post(reverse("contributions:moderation_practice_archive", kwargs={"pk": draft.pk}),
                       {"comment": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.ARCHIVED


def test_a_contributor_cannot_reach_a_decision(client, owner, draft):
    submitted(owner, draft)
    client.force_login(owner)
    response = client.post(reverse("contributions:moderation_practice_publish", kwargs={"pk": draft.pk}))
    assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.SUBMITTED


def test_project_decisions_and_submit_have_their_own_urls(client, owner, moderator):
    project = ProjectFactory(owner=owner, description="Kuvaus", status=PublicationStatus.DRAFT)
    project.members.add(owner)
    client.force_login(owner)
    assert client.post(reverse("contributions:project_submit", kwargs={"pk": project.pk})).status_code == 302
    project.refresh_from_db()
    assert project.status == PublicationStatus.SUBMITTED
    client.force_login(moderator)
    response = client.post(reverse("contributions:moderation_project_return", kwargs={"pk": project.pk}),
                           {"comment": "Tarkenna"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == PublicationStatus.RETURNED


def test_keyword_decisions_name_the_keyword_in_the_url(client, owner, moderator):
    services.practice_create(by=owner, data=complete_data(keywords=["yksi", "kaksi"]))
    client.force_login(moderator)
    one, two = Keyword.objects.get(name="yksi"), Keyword.objects.get(name="kaksi")
    client.post(reverse("contributions:moderation_keyword_approve", kwargs={"pk": one.pk}))
    client.post(reverse("contributions:moderation_keyword_reject", kwargs={"pk": two.pk}))
    one.refresh_from_db()
    assert one.approved and not Keyword.objects.filter(pk=two.pk).exists()
