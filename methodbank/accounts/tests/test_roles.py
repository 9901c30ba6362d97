import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "perm",
    [
        "evaluation.change_criteriaset",
        "evaluation.add_criterion",
        "reports.change_reportdefinition",
        "search.change_synonymgroup",
        "catalog.add_placement",
        "catalog.change_practicetranslation",
    ],
)
def test_coordinators_may_edit_what_they_are_responsible_for(coordinator, perm):
    assert coordinator.has_perm(perm)


def test_contributors_may_not_edit_criteria_or_the_thesaurus(contributor):
    assert not contributor.has_perm("evaluation.change_criteriaset")
    assert not contributor.has_perm("search.change_synonymgroup")


def test_coordinator_edits_a_criteria_set_in_the_admin(client, coordinator):
    from methodbank.evaluation.models import CriteriaSet

    criteria_set = CriteriaSet.objects.first()
    client.force_login(coordinator)
    response = client.get(f"/fi/admin/evaluation/criteriaset/{criteria_set.pk}/change/")
    assert response.status_code == 200
