"""The contributor picks the entry's target groups, education levels and transition stages in the
entry form (fields search adds through catalog.extensions' entry form parts)."""

import pytest
from django.urls import reverse

from methodbank.catalog.models import Practice
from methodbank.search.models import Concept, FacetAssignment, FacetSource, FacetStatus

from .test_views import form_data

pytestmark = pytest.mark.django_db


def _pk(identifier):
    return str(Concept.objects.get(identifier=identifier).pk)


def test_contributor_picks_browse_values_and_changes_them(client, owner):
    client.force_login(owner)
    form = client.get(reverse("contributions:practice_create")).content.decode()
    assert 'name="facet_target"' in form and 'name="facet_level"' in form and 'name="facet_stage"' in form

    response = client.post(reverse("contributions:practice_create"), form_data(
        facet_target=[_pk("romani"), _pk("maahanmuuttaja")], facet_stage=[_pk("koulutukseen-siirtyminen")],
    ))
    assert response.status_code == 302
    practice = Practice.objects.get(title="Kesäkoulu")
    chosen = FacetAssignment.objects.filter(practice=practice)
    # The choices wait for a coordinator, first on the confirm screen: only confirmed values are public.
    assert {(a.concept.identifier, a.status, a.source) for a in chosen} == {
        ("romani", FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR),
        ("maahanmuuttaja", FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR),
        ("koulutukseen-siirtyminen", FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR),
    }
    FacetAssignment.objects.filter(practice=practice, concept__identifier="romani").update(status=FacetStatus.CONFIRMED)

    edit_url = reverse("contributions:practice_edit", kwargs={"pk": practice.pk})
    edit = client.get(edit_url)
    assert sorted(edit.context["form"].initial["facet_target"]) == sorted([_pk("romani"), _pk("maahanmuuttaja")])
    practice.refresh_from_db()
    client.post(edit_url, form_data(facet_target=[_pk("romani")], lock_version=str(practice.lock_version)))
    statuses = dict(FacetAssignment.objects.filter(practice=practice).values_list("concept__identifier", "status"))
    # Cleared values are rejected, so a later suggestion from the text does not bring them back.
    assert statuses == {"romani": FacetStatus.CONFIRMED, "maahanmuuttaja": FacetStatus.REJECTED,
                        "koulutukseen-siirtyminen": FacetStatus.REJECTED}


def test_a_text_suggestion_the_contributor_chooses_waits_as_their_choice(client, owner):
    from methodbank.contributions.tests.factories import PracticeFactory

    practice = PracticeFactory(owner=owner, title="Kesäkoulu")
    suggestion = FacetAssignment.objects.create(practice=practice, concept=Concept.objects.get(identifier="romani"))
    client.force_login(owner)
    edit_url = reverse("contributions:practice_edit", kwargs={"pk": practice.pk})
    assert client.get(edit_url).context["form"].initial["facet_target"] == []  # a text suggestion is not a choice
    client.post(edit_url, form_data(facet_target=[_pk("romani")], lock_version=str(practice.lock_version)))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.source) == (FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR)


@pytest.mark.parametrize("value", ["nuori", "sujuvat-siirtymat", "perusopetus"])
def test_a_concept_that_is_not_a_value_of_the_facet_is_refused(client, owner, value):
    """"nuori" is a target group concept but no browse value; "perusopetus" a value of another facet."""
    client.force_login(owner)
    response = client.post(reverse("contributions:practice_create"), form_data(facet_target=[_pk(value)]))
    assert response.status_code == 400
    assert "facet_target" in response.context["form"].errors
    assert not Practice.objects.filter(title="Kesäkoulu").exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", "\x00"])
def test_hostile_values_are_form_errors(client, owner, value):
    client.force_login(owner)
    response = client.post(reverse("contributions:practice_create"), form_data(facet_level=[value]))
    assert response.status_code == 400
    assert not Practice.objects.filter(title="Kesäkoulu").exists()
