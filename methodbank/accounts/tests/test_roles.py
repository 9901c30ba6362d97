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


# --- the one rule for roles and teams (accounts.roles) ------------------------------------------

from django.contrib.auth.models import Group  # noqa: E402

from methodbank.accounts import roles  # noqa: E402
from methodbank.accounts.roles import Role  # noqa: E402


def _user(django_user_model, name, **extra):
    return django_user_model.objects.create_user(
        username=name, email=f"{name}@example.org", password=f"pw-{name}-123", **extra
    )


def test_staff_status_outside_the_coordinator_group_grants_no_role(django_user_model):
    staff = _user(django_user_model, "staff", is_staff=True)
    assert not roles.is_coordinator(staff)
    assert not roles.can_moderate(staff)
    assert not roles.is_expert(staff)


def test_the_coordinator_group_makes_a_coordinator_without_staff_status(django_user_model):
    member = _user(django_user_model, "member")
    member.groups.add(Group.objects.get(name=Role.COORDINATOR))
    assert roles.is_coordinator(member) and roles.can_moderate(member) and roles.can_transfer_ownership(member)
    assert not roles.is_expert(member)


def test_the_expert_group_makes_an_expert_and_nothing_more(expert):
    assert roles.is_expert(expert)
    assert not roles.is_coordinator(expert) and not roles.can_moderate(expert)


def test_a_superuser_holds_every_role_and_an_inactive_or_anonymous_user_none(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    root = django_user_model.objects.create_superuser(username="root", email="root@example.org", password="pw-root-123")
    assert roles.is_coordinator(root) and roles.is_expert(root) and roles.can_moderate(root)
    root.is_active = False
    assert not roles.is_coordinator(root)
    assert not roles.is_coordinator(AnonymousUser()) and not roles.is_expert(None)


def test_the_permission_given_directly_counts_as_the_role(django_user_model):
    from django.contrib.auth.models import Permission

    person = _user(django_user_model, "person")
    person.user_permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="coordinate"))
    assert roles.is_coordinator(person)


def test_the_administrator_group_holds_the_role_permissions():
    administrator = Group.objects.get(name=Role.ADMINISTRATOR)
    codes = set(administrator.permissions.values_list("codename", flat=True))
    assert {"coordinate", "review_as_expert", "moderate_practice"} <= codes


def test_a_team_is_the_project_owner_and_members_and_the_practice_owner(django_user_model):
    from methodbank.catalog.models import Practice, Project
    from methodbank.catalog.tests.factories import PracticeFactory, ProjectFactory

    owner, member, practice_owner, outsider = (
        _user(django_user_model, name) for name in ("owner", "teammember", "writer", "outsider")
    )
    project = ProjectFactory(owner=owner)
    project.members.add(member)
    practice = PracticeFactory(project=project, owner=practice_owner)
    loose = PracticeFactory(project=None, owner=practice_owner)

    assert roles.is_team_member(owner, project) and roles.is_team_member(member, project)
    assert not roles.is_team_member(practice_owner, project)  # owns an entry, not the project
    for person in (owner, member, practice_owner):
        assert roles.is_team_member(person, practice)
    assert roles.is_team_member(practice_owner, loose) and not roles.is_team_member(owner, loose)
    for obj in (project, practice, loose):
        assert not roles.is_team_member(outsider, obj)
    assert roles.team_user_ids(practice) == {owner.pk, member.pk, practice_owner.pk}
    assert roles.team_user_ids(project) == {owner.pk, member.pk}
    # The same rule as a filter: the lists of one's own work agree with the check.
    assert set(Practice.objects.filter(roles.team_practices_q(member)).distinct()) == {practice}
    assert set(Practice.objects.filter(roles.team_practices_q(practice_owner)).distinct()) == {practice, loose}
    assert set(Project.objects.filter(roles.team_projects_q(member)).distinct()) == {project}
    assert not Practice.objects.filter(roles.team_practices_q(outsider)).exists()
    # An inactive team member is no longer in the team.
    member.is_active = False
    assert not roles.is_team_member(member, project)


@pytest.mark.parametrize(
    "url_name", ["evaluation:event_create", "reports:definition_list", "contributions:moderation_queue",
                 "search:query_log"],
)
def test_staff_outside_the_group_is_refused_every_coordinator_page(client, django_user_model, url_name):
    # Before the one rule, staff status alone opened evaluations and reports but not moderation.
    from django.urls import reverse

    client.force_login(_user(django_user_model, "staff", is_staff=True))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize(
    "url_name", ["evaluation:event_create", "reports:definition_list", "contributions:moderation_queue",
                 "search:query_log"],
)
def test_a_coordinator_without_staff_status_reaches_every_coordinator_page(client, django_user_model, url_name):
    from django.urls import reverse

    member = _user(django_user_model, "member")
    member.groups.add(Group.objects.get(name=Role.COORDINATOR))
    client.force_login(member)
    assert client.get(reverse(url_name)).status_code == 200


def test_adding_a_role_gives_its_group_the_permissions_that_make_it(django_user_model):
    # A test's flush (or a hand-edited group) may leave the group without its permissions.
    from django.contrib.auth.models import Permission

    from methodbank.accounts.services import user_add_role

    Group.objects.filter(name=Role.EXPERT).delete()
    Permission.objects.filter(content_type__app_label="accounts", codename="review_as_expert").delete()
    person = _user(django_user_model, "person")
    assert not roles.is_expert(person)  # fills the user's permission cache
    user_add_role(user=person, role=Role.EXPERT)
    assert roles.is_expert(person) and not roles.is_coordinator(person)
    assert set(Group.objects.get(name=Role.EXPERT).permissions.values_list("codename", flat=True)) == {
        "review_as_expert"
    }
