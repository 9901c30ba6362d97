import re

import pytest
from django.test import Client
from django.urls import reverse

from methodbank.catalog.tests.factories import ModelPracticeFactory, ProjectFactory
from methodbank.evaluation import services
from methodbank.evaluation.selectors import event_progress

from .factories import EvaluationEventFactory, EventGroupFactory, UserFactory, scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    team = UserFactory(username="tiina", full_name="Tiina Tiimi")
    project = ProjectFactory()
    project.members.add(team)
    model_a = ModelPracticeFactory(title="Malli A", project=project)
    model_b = ModelPracticeFactory(title="Malli B")
    alice = UserFactory(username="alice", full_name="Alice Arvioija")
    bob = UserFactory(username="bob", full_name="Bob Bongari")
    event = EvaluationEventFactory(models_on_agenda=[model_a, model_b], participants=[alice, bob, team])
    g1 = EventGroupFactory(event=event, name="Ryhmä 1", members=[alice])
    EventGroupFactory(event=event, name="Ryhmä 2", members=[bob])
    s = scores(event.criteria_set)
    services.peer_assessment_save(event=event, practice=model_a, rater=alice, scores=s)
    services.peer_assessment_save(event=event, practice=model_a, anonymous_id="browser-1", scores=s)
    services.peer_assessment_save(event=event, practice=model_a, anonymous_id="browser-2", scores=s)
    services.group_assessment_save(group=g1, practice=model_a, by=alice, scores=s)
    return event, model_a, model_b


def test_progress_counts_answers_and_names_who_is_missing(workshop):
    event, model_a, model_b = workshop
    rows = {row.practice.title: row for row in event_progress(event=event)}
    a, b = rows["Malli A"], rows["Malli B"]
    assert (a.individual, a.anonymous) == (1, 2)
    assert [g.name for g in a.groups_done] == ["Ryhmä 1"] and [g.name for g in a.groups_missing] == [
        "Ryhmä 2"
    ]
    assert [str(p) for p in a.answered] == ["Alice Arvioija"]
    # Tiina is on model A's team: she is not expected to evaluate it, so she is not "missing" there.
    assert [str(p) for p in a.missing] == ["Bob Bongari"]
    assert [str(p) for p in b.missing] == ["Alice Arvioija", "Bob Bongari", "Tiina Tiimi"]
    assert b.groups_done == []


def test_progress_page_for_the_coordinator_refreshes_with_htmx_and_without(
    workshop, coordinator, django_assert_max_num_queries
):
    event, _a, _b = workshop
    client = Client()
    client.force_login(coordinator)
    url = reverse("evaluation:event_progress", args=[event.pk])

    page = client.get(url).content.decode()
    assert "<html" in page
    # Without JavaScript the coordinator reloads the page with the link; with HTMX the table polls.
    assert f'href="{url}"' in page
    assert 'hx-trigger="every 5s"' in page

    with django_assert_max_num_queries(15):
        partial = client.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="progress"')
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "Anonymous answers 2" in text
    assert "Groups done 1 / 2: Ryhmä 1" in text
    assert "Not answered yet Bob Bongari" in text
