import pytest
from django.test import Client
from django.urls import reverse

from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.evaluation import services

from .factories import EvaluationEventFactory, EventGroupFactory, UserFactory, active_peer_set, scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    alice = UserFactory(username="alice")
    models = [ModelPracticeFactory(title=f"Malli {n}") for n in range(3)]
    event = EvaluationEventFactory(models_on_agenda=models, participants=[alice])
    EventGroupFactory(event=event, name="Ryhmä 1", members=[alice])
    for n, model in enumerate(models):
        for rater in range(4):
            services.peer_assessment_save(
                event=event,
                practice=model,
                anonymous_id=f"b{rater}",
                scores=scores(event.criteria_set, 1 + (n + rater) % 4),
                strengths=f"Vahvuus {n}.{rater}",
            )
    return event


def test_every_coordinator_page_renders_with_one_h1(event, coordinator, expert):
    group = event.groups.get()
    model = event.models_on_agenda.first()
    client = Client()
    client.force_login(coordinator)
    urls = [
        reverse("evaluation:event_list"),
        reverse("evaluation:event_create"),
        reverse("evaluation:event", args=[event.pk]),
        reverse("evaluation:event_edit", args=[event.pk]),
        reverse("evaluation:event_groups", args=[event.pk]),
        reverse("evaluation:event_group_edit", args=[event.pk, group.pk]),
        reverse("evaluation:event_access", args=[event.pk]),
        reverse("evaluation:event_progress", args=[event.pk]),
        reverse("evaluation:results", args=[event.pk, model.pk]),
        reverse("evaluation:feedback", args=[event.pk, model.pk]),
        reverse("evaluation:expert_queue"),
        reverse("evaluation:expert_review", args=[event.pk, model.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_results_page_shows_means_distribution_and_agreement(
    event, coordinator, django_assert_max_num_queries
):
    model = event.models_on_agenda.get(title="Malli 0")
    client = Client()
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("evaluation:results", args=[event.pk, model.pk])).content.decode()
    # Model 0 got 1, 2, 3 and 4 from its four raters on every criterion: mean 2.5, one answer per level.
    assert "<td>2.5 (4)</td>" in html
    assert "<td>1 / 1 / 1 / 1 / 0</td>" in html
    # Each rater gave one value to every criterion, and every criterion got {1, 2, 3, 4}: the raters
    # disagree completely and consistently. With 10 criteria as units: o_ck = 10/3, n_c = 10, n = 40,
    # so alpha = 1 - 39 * (10/3) / 100 = -0.30 for any metric.
    assert "-0.30 (n = 4 raters)" in html
    assert "(n = 4 raters)" in html
    assert "Vahvuus 0.3" in html and "Vahvuus 1.0" not in html


def test_event_form_refuses_an_event_without_place_or_link(coordinator):
    model = ModelPracticeFactory()
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("evaluation:event_create"),
        {
            "title": "Työpaja",
            "date": "2026-12-01",
            "place": "",
            "online_url": "",
            "models_on_agenda": [model.pk],
            "access_expires_at": "2099-01-01T12:00",
            "criteria_set": active_peer_set().pk,
        },
    )
    assert response.status_code == 400  # as every other form of the app with errors
    assert "Give a place or an online link." in response.content.decode()


def test_experts_see_how_far_the_model_has_spread(event, expert):
    from methodbank.catalog.models import AdoptionStatus
    from methodbank.catalog.tests.factories import AdoptionFactory

    model = event.models_on_agenda.get(title="Malli 1")
    AdoptionFactory(model=model, organisation="Omnia", municipality="049")  # Espoo, Uusimaa
    AdoptionFactory(model=model, organisation="Osao", municipality="564")  # Oulu, Pohjois-Pohjanmaa
    AdoptionFactory(model=model, organisation="Sedu", municipality="743", status=AdoptionStatus.PENDING)
    client = Client()
    client.force_login(expert)
    page = client.get(reverse("evaluation:expert_review", args=[event.pk, model.pk])).content.decode()
    assert 'data-adoption-count="2"' in page
    assert "North Ostrobothnia" in page and "South Ostrobothnia" not in page  # the pending record does not count
    queue = client.get(reverse("evaluation:expert_queue")).content.decode()
    assert queue.count('data-adoption-count="2"') == 1 and queue.count('data-adoption-count="0"') == 2
