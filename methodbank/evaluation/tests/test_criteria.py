import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.evaluation import services
from methodbank.evaluation.models import CriteriaSet, Phase

from .factories import CoordinatorFactory, EvaluationEventFactory, active_peer_set, scores

pytestmark = pytest.mark.django_db


def test_default_sets_follow_the_model_definition_and_registry_criteria():
    peer = active_peer_set()
    codes = [c.code for c in peer.criteria.all()]
    assert codes[:6] == [
        "goal_target_group",
        "piloted",
        "documented",
        "results_indicators",
        "resources",
        "local_practices",
    ]
    assert {"transferability", "sustainability", "equity", "participation"} <= set(codes)
    for criterion in peer.criteria.all():
        assert all(text.strip() for _n, text in criterion.levels()), criterion.code
        assert criterion.source_note
    expert = CriteriaSet.objects.get(phase=Phase.EXPERT, is_active=True)
    assert expert.criteria.filter(code="national_scalability").exists()


def test_a_used_set_is_frozen_and_a_finished_evaluation_keeps_its_wording():
    model = ModelPracticeFactory()
    v1 = active_peer_set()
    event = EvaluationEventFactory(models_on_agenda=[model])
    answer = services.peer_assessment_save(event=event, practice=model, anonymous_id="b1", scores=scores(v1))
    v1.refresh_from_db()
    assert v1.is_frozen
    with pytest.raises(ValidationError, match="Make a new version"):
        services.criteria_set_check_editable(criteria_set=v1)

    coordinator = CoordinatorFactory()
    v2 = services.criteria_set_new_version(criteria_set=v1, by=coordinator)
    assert (v2.version, v2.previous, v2.is_frozen, v2.is_active) == (2, v1, False, False)
    v2.criteria.filter(code="piloted").update(title="Pilotoitu vähintään kahdessa oppilaitoksessa")
    services.criteria_set_activate(criteria_set=v2, by=coordinator)
    v1.refresh_from_db()
    assert not v1.is_active and active_peer_set() == v2

    # The earlier answer still shows the wording it was given with.
    answer.refresh_from_db()
    assert answer.criteria_set == v1
    assert "Malli on pilotoitu, ja siitä on käyttökokemuksia" in [c.title for c, _s in answer.score_list()]
    # Saving the same answer again keeps its version, even though v2 is now active.
    again = services.peer_assessment_save(
        event=event, practice=model, anonymous_id="b1", scores=scores(v1, 2)
    )
    assert again.pk == answer.pk and again.criteria_set == v1


def test_criteria_cannot_change_after_the_first_answers():
    model = ModelPracticeFactory()
    event = EvaluationEventFactory(models_on_agenda=[model])
    services.peer_assessment_save(
        event=event, practice=model, anonymous_id="b1", scores=scores(event.criteria_set)
    )
    v2 = services.criteria_set_new_version(criteria_set=event.criteria_set, by=event.coordinator)
    with pytest.raises(ValidationError, match="cannot change after the first answers"):
        services.event_update(
            event=event, by=event.coordinator, models=[model], participants=[], criteria_set=v2
        )


def test_scores_must_cover_every_criterion_on_the_scale():
    model = ModelPracticeFactory()
    event = EvaluationEventFactory(models_on_agenda=[model])
    bad = scores(event.criteria_set, piloted=7)
    del bad["equity"]
    with pytest.raises(ValidationError) as error:
        services.peer_assessment_save(event=event, practice=model, anonymous_id="b1", scores=bad)
    assert set(error.value.message_dict) == {"piloted", "equity"}


def test_admin_shows_a_used_set_read_only_and_makes_a_new_version(coordinator):
    v1 = active_peer_set()
    model = ModelPracticeFactory()
    event = EvaluationEventFactory(models_on_agenda=[model])
    services.peer_assessment_save(event=event, practice=model, anonymous_id="b1", scores=scores(v1))
    client = Client()
    client.force_login(coordinator)
    change_url = reverse("admin:evaluation_criteriaset_change", args=[v1.pk])
    page = client.get(change_url).content.decode()
    assert 'name="_save"' not in page  # view only
    assert client.post(change_url, {"name": "Muutettu"}).status_code == 403
    response = client.post(
        reverse("admin:evaluation_criteriaset_changelist"),
        {"action": "make_new_version", "_selected_action": [v1.pk]},
    )
    assert response.status_code == 302
    v2 = CriteriaSet.objects.get(family=v1.family, version=2)
    assert v2.criteria.count() == v1.criteria.count()
    assert (
        'name="_save"'
        in client.get(reverse("admin:evaluation_criteriaset_change", args=[v2.pk])).content.decode()
    )
