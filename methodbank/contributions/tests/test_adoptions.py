"""Adoption records through moderation: a user records "we adopted this model", a coordinator
approves or rejects it, the owner withdraws it; only approved records count on the model's page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from methodbank.catalog.models import Adoption, AdoptionStatus, PracticeKind, PublicationStatus
from methodbank.catalog.selectors import adoption_counts, adoption_counts_by_region
from methodbank.catalog.workflow import WorkflowError
from methodbank.contributions import services
from methodbank.core.models import AuditEvent

from .factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def model():
    return PracticeFactory(kind=PracticeKind.MODEL, title="Ohjauksen malli", status=PublicationStatus.PUBLISHED)


def record(model, by, **overrides):
    data = {"organisation": "Omnia", "municipality": "049", "year": 2023, "experience": ""} | overrides
    return services.adoption_create(model=model, by=by, **data)


def test_a_record_is_pending_until_approved_and_then_counts(model, other, moderator):
    adoption = record(model, other, organisation="  Omnia   ammattiopisto ")
    assert adoption.status == AdoptionStatus.PENDING
    assert adoption.organisation == "Omnia ammattiopisto"
    assert adoption.region == "01"  # Espoo is in Uusimaa
    assert adoption_counts([model.pk]) == {}

    services.adoption_approve(adoption=adoption, by=moderator)
    assert adoption_counts([model.pk]) == {model.pk: 1}
    assert adoption_counts_by_region([model.pk]) == {model.pk: {"01": 1}}
    assert AuditEvent.objects.filter(verb="adoption.approved").exists()


def test_one_organisation_counts_once_whatever_its_records(model, other, owner, moderator):
    for by, municipality, name in ((other, "049", "Omnia"), (owner, "091", "OMNIA"), (owner, "564", "Osao")):
        services.adoption_approve(adoption=record(model, by, municipality=municipality, organisation=name),
                                  by=moderator)
    assert adoption_counts([model.pk]) == {model.pk: 2}
    assert adoption_counts_by_region([model.pk]) == {model.pk: {"01": 1, "17": 1}}


def test_the_same_organisation_and_place_cannot_be_recorded_twice(model, other, owner):
    record(model, other)
    with pytest.raises(WorkflowError):
        record(model, owner, organisation="omnia")


def test_rejecting_needs_a_reason_and_a_rejected_record_never_counts(model, other, moderator):
    adoption = record(model, other)
    with pytest.raises(ValidationError):
        services.adoption_reject(adoption=adoption, by=moderator, comment="  ")
    services.adoption_reject(adoption=adoption, by=moderator, comment="Ei löydy tätä organisaatiota.")
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.REJECTED
    with pytest.raises(WorkflowError):
        services.adoption_approve(adoption=adoption, by=moderator)
    assert adoption_counts([model.pk]) == {}


def test_only_moderators_decide(model, other, owner):
    adoption = record(model, other)
    with pytest.raises(PermissionDenied):
        services.adoption_approve(adoption=adoption, by=owner)
    with pytest.raises(PermissionDenied):
        services.adoption_approve(adoption=adoption, by=other)  # not even on one's own record


def test_owner_withdraws_an_approved_record_and_it_stops_counting(model, other, owner, moderator):
    adoption = services.adoption_approve(adoption=record(model, other), by=moderator)
    with pytest.raises(PermissionDenied):
        services.adoption_withdraw(adoption=adoption, by=owner)
    services.adoption_withdraw(adoption=adoption, by=other)
    assert adoption_counts([model.pk]) == {}
    with pytest.raises(WorkflowError):
        services.adoption_withdraw(adoption=adoption, by=other)


@pytest.mark.parametrize(
    "overrides",
    [{"municipality": "000"}, {"municipality": "91"}, {"year": 1989}, {"year": 3000}, {"organisation": " "}],
)
def test_bad_input_is_refused_and_nothing_is_written(model, other, overrides):
    with pytest.raises(ValidationError):
        record(model, other, **overrides)
    assert not Adoption.objects.exists()


def test_experience_is_kept_as_plain_text(model, other):
    adoption = record(model, other, experience="<script>alert(1)</script><b>Hyvä</b> & toimiva\r\nmalli\x07")
    # Markup goes with its script content; the words and the ampersand stay as typed.
    assert adoption.experience == "Hyvä & toimiva\nmalli"


def test_only_published_models_can_be_adopted(other):
    draft_model = PracticeFactory(kind=PracticeKind.MODEL, status=PublicationStatus.DRAFT)
    practice = PracticeFactory(kind=PracticeKind.GOOD_PRACTICE, status=PublicationStatus.PUBLISHED)
    for target in (draft_model, practice):
        with pytest.raises(WorkflowError):
            record(target, other)


def test_a_good_practices_team_records_for_it_and_its_team_may_withdraw(model, owner, teammate, other, team_project):
    practice = PracticeFactory(kind=PracticeKind.GOOD_PRACTICE, project=team_project, owner=owner,
                               applies_model=model, status=PublicationStatus.PUBLISHED)
    with pytest.raises(WorkflowError):
        record(model, other, practice=practice)  # not in the team
    unrelated = PracticeFactory(kind=PracticeKind.GOOD_PRACTICE, project=team_project, owner=owner)
    with pytest.raises(WorkflowError):
        record(model, owner, practice=unrelated)  # applies no model
    adoption = record(model, owner, practice=practice)
    services.adoption_withdraw(adoption=adoption, by=teammate)
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.WITHDRAWN


# --- views ---------------------------------------------------------------------------------


def test_the_flow_through_the_pages(client, model, other, moderator):
    create_url = reverse("contributions:adoption_create", args=[model.pk])
    assert client.get(create_url).status_code == 302  # log in first
    client.force_login(other)
    response = client.get(model.get_absolute_url())
    assert create_url in response.content.decode()
    response = client.post(create_url, {"organisation": "Omnia", "municipality": "049", "year": "2022",
                                        "experience": "Toimi hyvin."})
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert adoption.created_by == other and adoption.status == AdoptionStatus.PENDING
    assert "Omnia" in client.get(reverse("contributions:own_adoptions")).content.decode()
    # Not yet on the model's page.
    assert 'data-adoption-count="0"' in client.get(model.get_absolute_url()).content.decode()
    # The coordinator's queue and decision.
    assert client.get(reverse("contributions:moderation_adoptions")).status_code == 403
    client.force_login(moderator)
    queue = client.get(reverse("contributions:moderation_adoptions")).content.decode()
    assert "Omnia" in queue and "Toimi hyvin." in queue
    assert "1 adoption record awaits a decision" in client.get(reverse("contributions:moderation_queue")).content.decode()
    response = client.post(reverse("contributions:moderation_adoption_approve", args=[adoption.pk]), {"comment": ""})
    assert response.status_code == 302
    page = client.get(model.get_absolute_url()).content.decode()
    assert 'data-adoption-count="1"' in page
    assert "Toimi hyvin." in page and "Espoo" in page
    # A decided record is no longer in the queue: deciding again is 404.
    response = client.post(reverse("contributions:moderation_adoption_reject", args=[adoption.pk]), {"comment": "x"})
    assert response.status_code == 404


def test_reject_without_a_reason_keeps_the_record_and_says_why(client, model, other, moderator):
    adoption = record(model, other)
    client.force_login(moderator)
    response = client.post(reverse("contributions:moderation_adoption_reject", args=[adoption.pk]), {"comment": ""})
    assert response.status_code == 400
    assert "Tell the user why" in response.content.decode()
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.PENDING


def test_decisions_are_post_only_and_for_moderators(client, model, other):
    adoption = record(model, other)
    client.force_login(other)
    url = reverse("contributions:moderation_adoption_approve", args=[adoption.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"comment": ""}).status_code == 403
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.PENDING


def test_another_users_record_cannot_be_withdrawn(client, model, other, owner):
    adoption = record(model, other)
    client.force_login(owner)
    assert client.post(reverse("contributions:adoption_withdraw", args=[adoption.pk])).status_code == 404
    assert client.post(reverse("contributions:adoption_withdraw", args=[999999])).status_code == 404
    assert "Omnia" not in client.get(reverse("contributions:own_adoptions")).content.decode()
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.PENDING
    client.force_login(other)
    assert client.post(reverse("contributions:adoption_withdraw", args=[adoption.pk])).status_code == 302
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.WITHDRAWN


def test_hostile_form_input_gives_errors_not_records(client, model, other):
    client.force_login(other)
    url = reverse("contributions:adoption_create", args=[model.pk])
    for data in (
        {"organisation": "x" * 201, "municipality": "049", "year": "2022"},
        {"organisation": "Omnia", "municipality": "'; DROP TABLE", "year": "2022"},
        {"organisation": "Omnia", "municipality": "049", "year": "²"},
        {"organisation": "Omnia\x00", "municipality": "049", "year": "2022"},
        {"organisation": "Omnia", "municipality": "049", "year": "99999999999999999999999"},
        {"organisation": "Omnia", "municipality": "049", "year": "2022", "experience": "x" * 1001},
    ):
        response = client.post(url, data)
        assert response.status_code in (200, 400), data
        assert 'class="error-summary"' in response.content.decode(), data
    assert not Adoption.objects.exists()
    # A model id that is a good practice, a draft or not an id at all.
    practice = PracticeFactory(kind=PracticeKind.GOOD_PRACTICE)
    assert client.get(reverse("contributions:adoption_create", args=[practice.pk])).status_code == 404
    assert client.get(f"/en/oma-sivu/kayttoonotot/uusi/{2**70}/").status_code == 404


def test_the_practice_choice_lists_only_the_users_team_practices(client, model, owner, other, team_project):
    mine = PracticeFactory(kind=PracticeKind.GOOD_PRACTICE, project=team_project, owner=owner, applies_model=model,
                           title="Oma sovellus", status=PublicationStatus.PUBLISHED)
    theirs = PracticeFactory(kind=PracticeKind.GOOD_PRACTICE, applies_model=model, title="Vieras sovellus")
    client.force_login(owner)
    url = reverse("contributions:adoption_create", args=[model.pk])
    page = client.get(f"{url}?practice={mine.pk}").content.decode()
    assert "Oma sovellus" in page and "Vieras sovellus" not in page
    response = client.post(url, {"organisation": "Omnia", "municipality": "049", "year": "2022",
                                 "practice": str(theirs.pk)})
    assert response.status_code == 400
    response = client.post(url, {"organisation": "Omnia", "municipality": "049", "year": "2022",
                                 "practice": str(mine.pk)})
    assert response.status_code == 302
    assert Adoption.objects.get().practice == mine
    # The good practice's page offers its team the link.
    assert url in client.get(mine.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert url not in client.get(mine.get_absolute_url()).content.decode()


def test_erasing_an_account_keeps_approved_records_without_the_person(model, other, moderator):
    from methodbank.accounts.services import user_delete_account

    approved = services.adoption_approve(adoption=record(model, other), by=moderator)
    record(model, other, organisation="Stadin AO", municipality="091")  # pending
    user_delete_account(user=other)
    assert list(Adoption.objects.all()) == [approved]
    approved.refresh_from_db()
    assert approved.created_by is None and approved.status == AdoptionStatus.APPROVED
    assert adoption_counts([model.pk]) == {model.pk: 1}
