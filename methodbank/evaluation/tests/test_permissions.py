import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from methodbank.catalog.tests.factories import ModelPracticeFactory, ProjectFactory
from methodbank.evaluation import services
from methodbank.evaluation.models import PeerAssessment

from .factories import EvaluationEventFactory, EventGroupFactory, UserFactory, answers, join, scores

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def event():
    model = ModelPracticeFactory(title="Nivelvaiheen malli")
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    return EvaluationEventFactory(models_on_agenda=[model], participants=[alice, bob])


def people(event):
    return event.participants.get(username="alice"), event.participants.get(username="bob")


def test_a_participant_cannot_see_another_participants_form(event):
    alice, bob = people(event)
    model = event.models_on_agenda.get()
    mine = services.peer_assessment_save(
        event=event,
        practice=model,
        rater=alice,
        scores=scores(event.criteria_set),
        strengths="Alicen salaisuus",
    )
    answer_url = reverse("evaluation:answer", args=[mine.public_id])
    assert "Alicen salaisuus" in login(alice).get(answer_url).content.decode()

    as_bob = login(bob).get(answer_url)
    assert as_bob.status_code == 403
    assert "Alicen salaisuus" not in as_bob.content.decode()
    # Bob's own form for the same model starts empty.
    form = login(bob).get(reverse("evaluation:peer_assessment", args=[event.pk, model.pk])).content.decode()
    assert "Alicen salaisuus" not in form
    # An anonymous browser is not shown the answer either.
    assert "Alicen salaisuus" not in Client().get(answer_url).content.decode()
    # Nor are the results, which are for coordinators and experts.
    assert login(bob).get(reverse("evaluation:results", args=[event.pk, model.pk])).status_code == 403


def test_an_anonymous_answer_is_visible_only_in_the_browser_that_gave_it(event):
    model = event.models_on_agenda.get()
    giver, stranger = join(Client(), event, "Kettu"), Client()
    response = giver.post(
        reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]),
        {**answers(event.criteria_set), "strengths": "Nimetön vahvuus"},
    )
    assert "Nimetön vahvuus" in giver.get(response["Location"]).content.decode()
    join(stranger, event, "Ilves")  # has an anonymous id of its own
    assert "Nimetön vahvuus" not in stranger.get(response["Location"]).content.decode()


def test_someone_outside_the_event_cannot_open_it(event):
    outsider = login(UserFactory(username="olli"))
    response = outsider.get(event.get_absolute_url())
    assert response.status_code == 403
    assert "You are not a participant of this evaluation event." in response.content.decode()
    model = event.models_on_agenda.get()
    assert outsider.get(reverse("evaluation:peer_assessment", args=[event.pk, model.pk])).status_code == 403


def test_a_guest_without_the_link_is_sent_to_log_in(event):
    response = Client().get(event.get_absolute_url())
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_the_anonymous_link_works_only_for_its_own_event(event):
    other_model = ModelPracticeFactory(title="Toisen tapahtuman malli")
    other_event = EvaluationEventFactory(models_on_agenda=[other_model])
    client = join(Client(), event, "Kettu")
    assert client.get(event.get_anonymous_url()).status_code == 200
    # This event's token cannot reach a model of another event ...
    response = client.post(
        reverse("evaluation:anon_assessment", args=[event.access_token, other_model.pk]),
        answers(event.criteria_set),
    )
    assert response.status_code == 403
    assert "not on the agenda" in response.content.decode()
    # ... nor does a made-up token open anything.
    assert client.get(reverse("evaluation:anon_event", args=["not-a-real-token"])).status_code == 403
    assert not PeerAssessment.objects.filter(practice=other_model).exists()
    assert client.get(other_event.get_anonymous_url()).status_code == 200


def test_the_anonymous_link_stops_working_when_it_expires(event):
    model = event.models_on_agenda.get()
    client = join(Client(), event, "Kettu")
    assert client.get(event.get_anonymous_url()).status_code == 200
    event.access_expires_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    page = client.get(event.get_anonymous_url())
    assert page.status_code == 403
    assert "This evaluation link expired on" in page.content.decode()
    late = client.post(
        reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]),
        answers(event.criteria_set),
    )
    assert late.status_code == 403
    assert not PeerAssessment.objects.exists()


def test_a_new_link_replaces_the_old_one(event, coordinator):
    old_url = event.get_anonymous_url()
    response = login(coordinator).post(
        reverse("evaluation:event_access", args=[event.pk]), {"access_expires_at": "2099-01-01T12:00"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert Client().get(old_url).status_code == 403
    assert Client().get(event.get_anonymous_url()).status_code == 200


def test_a_project_cannot_evaluate_its_own_model(coordinator, expert):
    member = UserFactory(username="tiina")
    project = ProjectFactory(name="Oma hanke")
    project.members.add(member, expert)
    own = ModelPracticeFactory(title="Oma malli", project=project)
    event = EvaluationEventFactory(models_on_agenda=[own], participants=[member])
    group = EventGroupFactory(event=event, members=[member])
    services.peer_assessment_save(
        event=event, practice=own, anonymous_id="x", scores=scores(event.criteria_set)
    )
    message = "A project team cannot evaluate its own model."

    as_member = login(member)
    for url in [
        reverse("evaluation:peer_assessment", args=[event.pk, own.pk]),
        reverse("evaluation:group_assessment", args=[event.pk, group.pk, own.pk]),
        # Even through the anonymous link, when the browser is logged in as a team member.
        reverse("evaluation:anon_assessment", args=[event.access_token, own.pk]),
    ]:
        response = as_member.post(url, answers(event.criteria_set))
        assert response.status_code == 403, url
        assert message in response.content.decode()
    # An expert who belongs to the team is refused in the expert phase too.
    response = login(expert).get(reverse("evaluation:expert_review", args=[event.pk, own.pk]))
    assert response.status_code == 403 and message in response.content.decode()
    assert not PeerAssessment.objects.filter(rater=member).exists()
    # The team may read its feedback report.
    assert as_member.get(reverse("evaluation:feedback", args=[event.pk, own.pk])).status_code == 200


def test_feedback_report_is_for_the_team_coordinators_and_experts(event, coordinator, expert):
    alice, _bob = people(event)
    model = event.models_on_agenda.get()
    url = reverse("evaluation:feedback", args=[event.pk, model.pk])
    assert login(alice).get(url).status_code == 403
    assert login(coordinator).get(url).status_code == 200
    assert login(expert).get(url).status_code == 200


@pytest.mark.parametrize("name", ["event_edit", "event_groups", "event_access", "event_qr", "event_progress"])
def test_coordinator_pages_are_refused_to_participants(event, name):
    alice, _bob = people(event)
    response = login(alice).get(reverse(f"evaluation:{name}", args=[event.pk]))
    assert response.status_code == 403
    assert "Only coordinators can manage evaluation events." in response.content.decode()


def test_only_coordinators_create_events(event):
    alice, _bob = people(event)
    assert login(alice).get(reverse("evaluation:event_create")).status_code == 403


def test_group_form_is_for_its_members_only(event):
    alice, bob = people(event)
    group = EventGroupFactory(event=event, members=[alice])
    model = event.models_on_agenda.get()
    url = reverse("evaluation:group_assessment", args=[event.pk, group.pk, model.pk])
    assert login(alice).get(url).status_code == 200
    response = login(bob).post(url, answers(event.criteria_set))
    assert response.status_code == 403
    assert "Only the members of the group can fill its assessment." in response.content.decode()


def test_the_expert_phase_is_for_experts_and_coordinators(event, expert):
    alice, _bob = people(event)
    model = event.models_on_agenda.get()
    url = reverse("evaluation:expert_review", args=[event.pk, model.pk])
    assert login(alice).get(url).status_code == 403
    assert login(alice).get(reverse("evaluation:expert_queue")).status_code == 403
    assert login(expert).get(url).status_code == 200


def test_the_project_team_finds_its_feedback_on_the_evaluation_page():
    member = UserFactory(username="tiina")
    project = ProjectFactory(name="Oma hanke")
    project.members.add(member)
    own = ModelPracticeFactory(title="Oma malli", project=project)
    event = EvaluationEventFactory(models_on_agenda=[own])
    page = login(member).get(reverse("evaluation:event_list")).content.decode()
    assert "Feedback on your project" not in page  # nothing evaluated yet
    services.peer_assessment_save(
        event=event, practice=own, anonymous_id="x", scores=scores(event.criteria_set)
    )
    page = login(member).get(reverse("evaluation:event_list")).content.decode()
    assert reverse("evaluation:feedback", args=[event.pk, own.pk]) in page
