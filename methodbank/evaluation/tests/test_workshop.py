"""The workshop with everyone present: anonymous participants with nicknames in small groups,
conflicts of interest, one answer per participant, and discarding an answer."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from methodbank.catalog.tests.factories import ModelPracticeFactory, ProjectFactory
from methodbank.core.models import AuditEvent
from methodbank.evaluation import selectors, services
from methodbank.evaluation.models import (
    EvaluationEvent,
    EventGroup,
    EventGuest,
    GroupAssessment,
    PeerAssessment,
)

from .factories import EvaluationEventFactory, EventGroupFactory, UserFactory, answers, join, scores

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def event():
    return EvaluationEventFactory(
        models_on_agenda=[ModelPracticeFactory(title="Malli A"), ModelPracticeFactory(title="Malli B")]
    )


def guest_of(event, nickname):
    return EventGuest.objects.get(event=event, nickname=nickname)


# --- groups from everyone present -----------------------------------------------------------


def test_an_anonymous_participant_joins_with_a_nickname_and_nothing_else(event):
    client = Client()
    page = client.get(event.get_anonymous_url()).content.decode()
    assert "Join the workshop" in page and 'name="nickname"' in page
    join(client, event, "  Kettu  ")
    guest = guest_of(event, "Kettu")
    assert guest.anonymous_id == client.session["evaluation_anonymous_id"]
    page = client.get(event.get_anonymous_url()).content.decode()
    assert "You take part as <strong>Kettu</strong>" in page
    # Another browser cannot take the same nickname (in any case), and gets a clear error.
    other = Client()
    response = other.post(event.get_anonymous_url(), {"nickname": "kettu"})
    assert response.status_code == 400
    assert "already uses this nickname" in response.content.decode()
    assert EventGuest.objects.filter(event=event).count() == 1


def test_the_coordinator_splits_everyone_present_at_random(event, coordinator):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    event.participants.set([alice, bob])
    for nickname in ["Kettu", "Ilves", "Karhu", "Susi"]:
        join(Client(), event, nickname)
    response = login(coordinator).post(
        reverse("evaluation:event_groups", args=[event.pk]), {"action": "split", "size": "3"}
    )
    assert response.status_code == 302
    groups = list(EventGroup.objects.filter(event=event).prefetch_related("members", "guests"))
    assert len(groups) == 2
    assert sorted(len(g.members.all()) + len(g.guests.all()) for g in groups) == [3, 3]
    everyone = {m.username for g in groups for m in g.members.all()} | {
        x.nickname for g in groups for x in g.guests.all()
    }
    assert everyone == {"alice", "bob", "Kettu", "Ilves", "Karhu", "Susi"}
    assert AuditEvent.objects.filter(verb="evaluation_group.split").exists()


def test_the_coordinator_puts_anonymous_participants_in_a_group_by_hand(event, coordinator):
    alice = UserFactory(username="alice")
    event.participants.set([alice])
    join(Client(), event, "Kettu")
    response = login(coordinator).post(
        reverse("evaluation:event_groups", args=[event.pk]),
        {"action": "save", "name": "Ryhmä 1", "members": [alice.pk], "guests": [guest_of(event, "Kettu").pk]},
    )
    assert response.status_code == 302
    group = EventGroup.objects.get(event=event, name="Ryhmä 1")
    assert [g.nickname for g in group.guests.all()] == ["Kettu"]


def test_an_anonymous_member_fills_the_group_form_from_the_phone_view(event):
    phone = join(Client(), event, "Kettu")
    group = EventGroupFactory(event=event, name="Ryhmä 1")
    group.guests.add(guest_of(event, "Kettu"))
    model = event.models_on_agenda.get(title="Malli A")
    url = reverse("evaluation:anon_group_assessment", args=[event.access_token, group.pk, model.pk])
    assert url in phone.get(event.get_anonymous_url()).content.decode()
    form = phone.get(url).content.decode()
    assert "Group assessment of Ryhmä 1: one answer for the whole group." in form
    response = phone.post(url, {**answers(event.criteria_set, 4), "strengths": "Ryhmän näkemys"})
    assert response.status_code == 302
    saved = GroupAssessment.objects.get(group=group, practice=model)
    assert saved.scores["piloted"] == 4 and saved.saved_by_guest.nickname == "Kettu"
    assert "done" in phone.get(event.get_anonymous_url()).content.decode()


def test_the_coordinator_reaches_every_groups_form_from_the_event_page(event, coordinator):
    group = EventGroupFactory(event=event, name="Ryhmä 7")
    model = event.models_on_agenda.get(title="Malli B")
    page = login(coordinator).get(event.get_absolute_url()).content.decode()
    url = reverse("evaluation:group_assessment", args=[event.pk, group.pk, model.pk])
    assert url in page
    assert login(coordinator).get(url).status_code == 200


def test_an_anonymous_participant_of_one_event_cannot_see_another_event_or_group(event):
    other = EvaluationEventFactory(models_on_agenda=[ModelPracticeFactory(title="Toinen malli")])
    phone = join(Client(), event, "Kettu")
    mine = EventGroupFactory(event=event, name="Oma")
    mine.guests.add(guest_of(event, "Kettu"))
    theirs = EventGroupFactory(event=event, name="Toinen ryhmä")
    other_group = EventGroupFactory(event=other, name="Vieras")
    model = event.models_on_agenda.get(title="Malli A")
    other_model = other.models_on_agenda.get()

    # Not the other event's pages (those need an account) ...
    response = phone.get(other.get_absolute_url())
    assert response.status_code == 302 and "next=" in response["Location"]
    # ... nor another group's form of the same event, nor a group of another event through this link.
    for url in [
        reverse("evaluation:anon_group_assessment", args=[event.access_token, theirs.pk, model.pk]),
        reverse("evaluation:anon_group_assessment", args=[event.access_token, other_group.pk, other_model.pk]),
        reverse("evaluation:group_assessment", args=[event.pk, mine.pk, model.pk]),
    ]:
        response = phone.post(url, answers(event.criteria_set))
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "next=" in response["Location"], url
    # Through the other event's link this browser has not joined: it is asked for a nickname first.
    response = phone.post(
        reverse("evaluation:anon_group_assessment", args=[other.access_token, other_group.pk, other_model.pk]),
        answers(other.criteria_set),
    )
    assert response.status_code == 302 and response["Location"] == other.get_anonymous_url()
    assert not GroupAssessment.objects.exists()


def test_a_group_member_cannot_submit_for_another_group(event):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    event.participants.set([alice, bob])
    mine = EventGroupFactory(event=event, name="Ryhmä 1", members=[alice])
    theirs = EventGroupFactory(event=event, name="Ryhmä 2", members=[bob])
    phone = join(Client(), event, "Kettu")
    mine.guests.add(guest_of(event, "Kettu"))
    model = event.models_on_agenda.get(title="Malli A")
    response = login(alice).post(
        reverse("evaluation:group_assessment", args=[event.pk, theirs.pk, model.pk]), answers(event.criteria_set)
    )
    assert response.status_code == 403
    assert "Only the members of the group can fill its assessment." in response.content.decode()
    response = phone.post(
        reverse("evaluation:anon_group_assessment", args=[event.access_token, theirs.pk, model.pk]),
        answers(event.criteria_set),
    )
    assert response.status_code == 403
    assert not GroupAssessment.objects.filter(group=theirs).exists()


def test_the_anonymous_link_stops_working_for_a_joined_participant_when_it_expires(event):
    phone = join(Client(), event, "Kettu")
    group = EventGroupFactory(event=event, name="Ryhmä 1")
    group.guests.add(guest_of(event, "Kettu"))
    model = event.models_on_agenda.get(title="Malli A")
    event.access_expires_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    response = phone.post(
        reverse("evaluation:anon_group_assessment", args=[event.access_token, group.pk, model.pk]),
        answers(event.criteria_set),
    )
    assert response.status_code == 403
    assert not GroupAssessment.objects.exists()


# --- conflicts of interest ------------------------------------------------------------------


def test_a_models_owner_outside_the_member_list_cannot_evaluate_it():
    owner = UserFactory(username="omistaja")
    project_owner = UserFactory(username="hankevetaja")
    project = ProjectFactory(name="Hanke", owner=project_owner)
    owned = ModelPracticeFactory(title="Oma malli", project=project, owner=owner)
    no_project = ModelPracticeFactory(title="Malli ilman hanketta", project=None, owner=owner)
    event = EvaluationEventFactory(models_on_agenda=[owned, no_project], participants=[owner, project_owner])
    message = "A project team cannot evaluate its own model."
    for person, practice in [(owner, owned), (owner, no_project), (project_owner, owned)]:
        response = login(person).post(
            reverse("evaluation:peer_assessment", args=[event.pk, practice.pk]), answers(event.criteria_set)
        )
        assert response.status_code == 403, (person, practice)
        assert message in response.content.decode()
        # The service refuses it as well, whatever calls it.
        with pytest.raises(services.ValidationError):
            services.peer_assessment_save(
                event=event, practice=practice, rater=person, scores=scores(event.criteria_set)
            )
    assert not PeerAssessment.objects.exists()


def test_a_group_with_a_team_member_cannot_assess_that_members_model():
    member = UserFactory(username="tiina")
    alice = UserFactory(username="alice")
    project = ProjectFactory(name="Hanke")
    project.members.add(member)
    own = ModelPracticeFactory(title="Tiinan malli", project=project)
    other = ModelPracticeFactory(title="Muu malli")
    event = EvaluationEventFactory(models_on_agenda=[own, other], participants=[member, alice])
    group = EventGroupFactory(event=event, name="Ryhmä 1", members=[member, alice])
    join(phone := Client(), event, "Kettu")
    group.guests.add(guest_of(event, "Kettu"))
    message = "A project team cannot evaluate its own model."
    for client, url in [
        (login(alice), reverse("evaluation:group_assessment", args=[event.pk, group.pk, own.pk])),
        (phone, reverse("evaluation:anon_group_assessment", args=[event.access_token, group.pk, own.pk])),
    ]:
        response = client.post(url, answers(event.criteria_set))
        assert response.status_code == 403, url
        assert message in response.content.decode()
    with pytest.raises(services.ValidationError):
        services.group_assessment_save(group=group, practice=own, by=alice, scores=scores(event.criteria_set))
    assert not GroupAssessment.objects.filter(practice=own).exists()
    # The same group assesses the other model, and the phone view says why the first is not offered.
    assert login(alice).post(
        reverse("evaluation:group_assessment", args=[event.pk, group.pk, other.pk]), answers(event.criteria_set)
    ).status_code == 302
    page = phone.get(event.get_anonymous_url()).content.decode()
    assert "Group Ryhmä 1 cannot assess this model: a member is on its team." in page
    progress = {row.practice.pk: row for row in selectors.event_progress(event=event)}
    assert [g.name for g in progress[own.pk].groups_blocked] == ["Ryhmä 1"]


# --- one answer per participant, discarding ------------------------------------------------


def test_an_anonymous_answer_needs_a_nickname_and_stays_one_per_participant(event):
    model = event.models_on_agenda.get(title="Malli A")
    url = reverse("evaluation:anon_assessment", args=[event.access_token, model.pk])
    # A fresh browser session that has not joined cannot add an answer.
    fresh = Client()
    response = fresh.post(url, answers(event.criteria_set, 1))
    assert response.status_code == 302 and response["Location"] == event.get_anonymous_url()
    assert not PeerAssessment.objects.exists()
    # A participant who answers twice replaces their answer.
    phone = join(Client(), event, "Kettu")
    for value in (1, 4):
        assert phone.post(url, answers(event.criteria_set, value)).status_code == 302
    answer = PeerAssessment.objects.get()
    assert answer.guest.nickname == "Kettu" and answer.scores["piloted"] == 4


def test_the_coordinator_discards_an_answer_with_a_reason_that_is_kept(event, coordinator):
    model = event.models_on_agenda.get(title="Malli A")
    url = reverse("evaluation:anon_assessment", args=[event.access_token, model.pk])
    for nickname, value in [("Kettu", 4), ("Kettu2", 1)]:
        assert join(Client(), event, nickname).post(url, answers(event.criteria_set, value)).status_code == 302
    duplicate = PeerAssessment.objects.get(guest__nickname="Kettu2")
    boss = login(coordinator)
    listing = boss.get(reverse("evaluation:event_answers", args=[event.pk])).content.decode()
    discard_url = reverse("evaluation:assessment_discard", args=[event.pk, "yksilo", duplicate.public_id])
    assert discard_url in listing
    # The confirmation page asks for the reason; without one nothing happens.
    assert "Discard the answer?" in boss.get(discard_url).content.decode()
    assert boss.post(discard_url, {"reason": "  "}).status_code == 400
    assert boss.post(discard_url, {"reason": "Sama henkilö vastasi kahdesti."}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.discarded_by == coordinator and duplicate.discard_reason == "Sama henkilö vastasi kahdesti."
    event_audit = AuditEvent.objects.get(verb="peerassessment.discard")
    assert event_audit.data["reason"] == "Sama henkilö vastasi kahdesti."
    # It no longer counts: one anonymous answer, scored 4.
    results = selectors.model_results(event=event, practice=model)
    assert results.anonymous_count == 1
    assert results.criteria[0].individual.mean == 4
    assert "Sama henkilö vastasi kahdesti." in boss.get(reverse("evaluation:event_answers", args=[event.pk])).content.decode()
    # A participant cannot reach the discard page.
    participant = UserFactory(username="alice")
    event.participants.add(participant)
    assert login(participant).post(discard_url, {"reason": "x"}).status_code == 403


def test_removing_a_group_asks_for_confirmation_first(event, coordinator):
    group = EventGroupFactory(event=event, name="Ryhmä 9")
    boss = login(coordinator)
    page = boss.get(reverse("evaluation:event_groups", args=[event.pk])).content.decode()
    delete_url = reverse("evaluation:event_group_delete", args=[event.pk, group.pk])
    assert delete_url in page
    confirm = boss.get(delete_url)
    assert confirm.status_code == 200 and "Remove group Ryhmä 9?" in confirm.content.decode()
    assert EventGroup.objects.filter(pk=group.pk).exists()  # asking removes nothing
    assert boss.post(delete_url).status_code == 302
    assert not EventGroup.objects.filter(pk=group.pk).exists()


def test_progress_names_the_anonymous_participants_who_have_and_have_not_answered(event, coordinator):
    model = event.models_on_agenda.get(title="Malli A")
    kettu = join(Client(), event, "Kettu")
    join(Client(), event, "Ilves")
    kettu.post(reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]), answers(event.criteria_set))
    client = login(coordinator)
    body = client.get(
        reverse("evaluation:event_progress", args=[event.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    section = body[body.index("Malli A") : body.index("Malli B")]
    answered = section[section.index("Answered") : section.index("Not answered yet")]
    missing = section[section.index("Not answered yet") :]
    assert "Kettu" in answered and "Ilves" not in answered
    assert "Ilves" in missing and "Kettu" not in missing


# --- participant lists that scale ----------------------------------------------------------


def test_the_event_form_searches_people_instead_of_listing_everyone(coordinator):
    for n in range(30):
        UserFactory(username=f"hlo{n}", full_name=f"Henkilö {n:02d}")
    UserFactory(username="maija", full_name="Maija Meikäläinen", email="maija@omnia.example")
    chosen = UserFactory(username="ville", full_name="Ville Valittu")
    model = ModelPracticeFactory(title="Malli")
    boss = login(coordinator)
    url = reverse("evaluation:event_create")
    page = boss.get(url).content.decode()
    assert "Henkilö 07" not in page and "Maija" not in page  # nobody is listed before a search
    assert 'name="participant_q"' in page and 'hx-get="' + reverse("evaluation:people_search") in page

    # Without JavaScript: the Search button posts the form, which comes back as typed, unsaved, with matches.
    form = {
        "title": "Työpaja",
        "date": "2026-11-30",
        "place": "Helsinki",
        "criteria_set": "",
        "models_on_agenda": [model.pk],
        "participants": [chosen.pk],
        "access_expires_at": "2099-12-01T18:00",
    }
    response = boss.post(url, {**form, "action": "search", "participant_q": "omnia.example"})
    page = response.content.decode()
    assert response.status_code == 200 and "Please check the form" not in page
    assert 'value="Työpaja"' in page
    assert "Maija Meikäläinen" in page and "Henkilö" not in page  # found by e-mail
    assert re.search(rf'value="{chosen.pk}" id="id_participants_{chosen.pk}" checked', page)
    assert "1 person found for “omnia.example”." in page
    assert not EvaluationEvent.objects.exists()


def test_the_people_search_fragment_keeps_the_chosen_and_is_for_coordinators(coordinator):
    chosen = UserFactory(username="ville", full_name="Ville Valittu")
    UserFactory(username="maija", full_name="Maija Meikäläinen")
    UserFactory(username="matti", full_name="Matti Muu", is_active=False)
    url = reverse("evaluation:people_search")
    body = login(coordinator).get(
        url, {"participant_q": "ma mei", "participants": [chosen.pk]}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in body and body.startswith('<div id="participant-choices">')
    assert "Ville Valittu" in body and "Maija Meikäläinen" in body and "Matti" not in body
    assert login(chosen).get(url, {"participant_q": "ma"}).status_code == 403
    assert "Maija" not in Client().get(url, {"participant_q": "ma"}).content.decode()
