"""The whole two-phase evaluation, through the views: a coordinator sets up a workshop, participants
(logged in and anonymous) and two small groups evaluate two models, experts recommend one."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from methodbank.accounts.roles import Role
from methodbank.catalog.tests.factories import ModelPracticeFactory, ProjectFactory
from methodbank.core.tests.pdf_structure import assert_pdf_ua
from methodbank.evaluation.models import (
    EvaluationEvent,
    ExpertRecommendation,
    GroupAssessment,
    Outcome,
    PeerAssessment,
)
from methodbank.evaluation.selectors import EvaluationStatus, evaluation_status_for

from .factories import UserFactory, active_peer_set, answers, join

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setting():
    team_member = UserFactory(username="tiina")
    project_a = ProjectFactory(name="Siirtymät sujuviksi")
    project_a.members.add(team_member)
    model_a = ModelPracticeFactory(title="Ohjaamon nivelmalli", project=project_a)
    model_b = ModelPracticeFactory(title="Hakeutumisen tuki", project=ProjectFactory(name="Polku"))
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    return {"team_member": team_member, "model_a": model_a, "model_b": model_b, "alice": alice, "bob": bob}


def test_whole_flow_from_workshop_to_expert_recommendation(coordinator, expert, setting):
    alice, bob, tiina = setting["alice"], setting["bob"], setting["team_member"]
    model_a, model_b = setting["model_a"], setting["model_b"]
    peer_set = active_peer_set()
    boss = login(coordinator)

    # The coordinator plans the workshop.
    response = boss.post(
        reverse("evaluation:event_create"),
        {
            "title": "Vertaisarviointi syksy 2026",
            "date": "2026-11-30",
            "place": "Helsinki, Pasila",
            "online_url": "",
            "criteria_set": peer_set.pk,
            "models_on_agenda": [model_a.pk, model_b.pk],
            "participants": [alice.pk, bob.pk, tiina.pk],
            "access_expires_at": "2099-12-01T18:00",
        },
    )
    event = EvaluationEvent.objects.get(title="Vertaisarviointi syksy 2026")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()

    # ... and forms two small groups.
    # (Tiina stays out: a group with a member of the team of model A could not assess it.)
    for name, members in [("Ryhmä 1", [alice]), ("Ryhmä 2", [bob])]:
        response = boss.post(
            reverse("evaluation:event_groups", args=[event.pk]),
            {"action": "save", "name": name, "members": [m.pk for m in members]},
        )
        assert response.status_code == 302
    group_1, group_2 = event.groups.order_by("name")

    # Logged-in participants fill their individual forms on the agenda page's links.
    a, b, t = login(alice), login(bob), login(tiina)
    page = a.get(event.get_absolute_url())
    assert "Ohjaamon nivelmalli" in page.content.decode()
    for client, practice, value in [(a, model_a, 4), (a, model_b, 2), (b, model_a, 3), (t, model_b, 3)]:
        response = client.post(
            reverse("evaluation:peer_assessment", args=[event.pk, practice.pk]),
            {
                **answers(peer_set, value),
                "strengths": f"Vahvuus {value}",
                "development_ideas": "Lisää materiaalia",
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
        confirmation = client.get(response["Location"])
        assert "Thank you for your evaluation" in confirmation.content.decode()

    # The project team member cannot evaluate their own model, and is told why.
    refused = t.get(reverse("evaluation:peer_assessment", args=[event.pk, model_a.pk]))
    assert refused.status_code == 403
    assert "cannot evaluate its own model" in refused.content.decode()

    # Two anonymous participants answer through the event's link; one corrects her answer.
    anon_1, anon_2 = join(Client(), event, "Kettu"), join(Client(), event, "Ilves")
    for client, value in [(anon_1, 1), (anon_2, 2), (anon_1, 2)]:
        assert client.get(event.get_anonymous_url()).status_code == 200
        response = client.post(
            reverse("evaluation:anon_assessment", args=[event.access_token, model_a.pk]),
            answers(peer_set, value, equity="cannot_say"),
        )
        assert response.status_code == 302
    anonymous = PeerAssessment.objects.filter(event=event, practice=model_a, rater__isnull=True)
    assert anonymous.count() == 2
    assert sorted(a.scores["piloted"] for a in anonymous) == [2, 2]
    assert all(a.scores["equity"] is None for a in anonymous)

    # Each group gives one assessment per model; a second save replaces it.
    for client, group, practice, value in [
        (a, group_1, model_a, 3),
        (a, group_1, model_b, 4),
        (b, group_2, model_a, 2),
        (b, group_2, model_b, 3),
        (b, group_2, model_a, 3),
    ]:
        response = client.post(
            reverse("evaluation:group_assessment", args=[event.pk, group.pk, practice.pk]),
            {**answers(peer_set, value), "strengths": f"{group.name}: selkeä"},
        )
        assert response.status_code == 302
    assert GroupAssessment.objects.filter(event=event).count() == 4
    # Tiina is in group 1, but the group form of her own model is refused to her.
    assert (
        t.get(reverse("evaluation:group_assessment", args=[event.pk, group_1.pk, model_a.pk])).status_code
        == 403
    )

    # The coordinator follows the progress.
    progress = boss.get(reverse("evaluation:event_progress", args=[event.pk])).content.decode()
    assert "Ohjaamon nivelmalli" in progress and "Hakeutumisen tuki" in progress

    # Results: model A has 2 logged-in and 2 anonymous answers, 2 groups.
    results = boss.get(reverse("evaluation:results", args=[event.pk, model_a.pk])).content.decode()
    assert "Individual forms: 2 with an account and 2 anonymous. Group assessments: 2." in results
    assert "Vahvuus 4" in results and "Ryhmä 1: selkeä" in results

    # Expert phase: two experts assess model A, then one records the joint recommendation.
    second_expert = UserFactory(username="eero")
    second_expert.groups.add(Group.objects.get_or_create(name=Role.EXPERT)[0])
    queue = login(expert).get(reverse("evaluation:expert_queue")).content.decode()
    assert "Ohjaamon nivelmalli" in queue
    review_url = reverse("evaluation:expert_review", args=[event.pk, model_a.pk])
    for user, outcome in [(expert, Outcome.RECOMMENDED), (second_expert, Outcome.FURTHER_DEVELOPMENT)]:
        response = login(user).post(
            review_url, {"action": "assessment", "own-outcome": outcome, "own-rationale": "Perustelu " + outcome}
        )
        assert response.status_code == 302
    page = login(expert).get(review_url).content.decode()
    assert "Perustelu further_development" in page  # experts see each other's views before agreeing
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []  # two forms, no shared element ids

    # A recommendation without a rationale is refused; with one it is saved with the version evaluated.
    expert_client = login(expert)
    missing = expert_client.post(
        review_url,
        {
            "action": "recommendation",
            "joint-outcome": Outcome.RECOMMENDED,
            "joint-rationale": "",
            "joint-decided_on": "2026-12-10",
        },
    )
    assert missing.status_code == 400
    assert "Every outcome needs a written rationale." in missing.content.decode()
    response = expert_client.post(
        review_url,
        {
            "action": "recommendation",
            "joint-outcome": Outcome.RECOMMENDED,
            "joint-rationale": "Valmis levitettäväksi.",
            "joint-decided_on": "2026-12-10",
        },
    )
    assert response.status_code == 302
    recommendation = ExpertRecommendation.objects.get(event=event, practice=model_a)
    assert recommendation.decided_by == expert
    assert recommendation.evaluated_snapshot["title"] == "Ohjaamon nivelmalli"
    assert recommendation.evaluated_lock_version == model_a.lock_version

    # The model's public status shows the outcome, the date and the evaluated version.
    status = evaluation_status_for([model_a, model_b])
    assert status[model_a.pk].status == EvaluationStatus.RECOMMENDED
    assert status[model_b.pk].status == EvaluationStatus.PEER_EVALUATED
    html = Template("{% load evaluation %}{% evaluation_status practice %}").render(
        Context({"practice": model_a})
    )
    assert "recommended for national dissemination" in html.lower()
    assert f"version {model_a.lock_version} of the description" in html
    # ... and the experts' joint rationale, as the recommendation form promises.
    assert "Valmis levitettäväksi." in html
    public = Client().get(model_a.get_absolute_url()).content.decode()
    assert "Valmis levitettäväksi." in public
    assert date_format(datetime.date(2026, 12, 10), "DATE_FORMAT") in public
    assert f"version {model_a.lock_version} of the description" in public
    assert "earlier version" not in html

    # The project team reads its feedback report, also as a PDF.
    feedback = t.get(reverse("evaluation:feedback", args=[event.pk, model_a.pk]))
    assert feedback.status_code == 200 and "Valmis levitettäväksi." in feedback.content.decode()
    pdf = t.get(reverse("evaluation:feedback_pdf", args=[event.pk, model_a.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ohjaamon nivelmalli" in text and "Lisää materiaalia" in text
    # ... without the names of the raters.
    assert "alice" not in text.lower() and "bob" not in text.lower()
    # Tagged PDF/UA-1 in the page's language, the Finnish model's name marked as Finnish.
    with translation.override("fi"):
        finnish = t.get(reverse("evaluation:feedback_pdf", args=[event.pk, model_a.pk]))
    assert not [e for e in assert_pdf_ua(finnish.content, lang="fi").elements if e.lang != "fi"]
    with translation.override("sv"):
        swedish = t.get(reverse("evaluation:feedback_pdf", args=[event.pk, model_a.pk]))
    structure = assert_pdf_ua(swedish.content, lang="sv")
    assert structure.headings[0] == ("H1", "sv")
    assert [e.tag for e in structure.elements if e.lang == "fi"] and all(
        e.tag == "Span" for e in structure.elements if e.lang == "fi")
    assert len(structure.tags("TH")) >= 5
