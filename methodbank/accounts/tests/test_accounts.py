"""Accounts through allauth: sign-up with mandatory e-mail verification, log-in by e-mail, rate
limits, profile, roles, and GDPR deletion that keeps published content with its project."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from methodbank.accounts.roles import Role
from methodbank.catalog.models import Practice, PublicationStatus
from methodbank.contributions import services
from methodbank.contributions.models import FormDraft
from methodbank.contributions.tests.factories import (
    PracticeFactory,
    ProjectFactory,
    UserFactory,
    complete_data,
)
from methodbank.core.models import AuditEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the English source strings: request the /en/ pages (Finnish is the default).
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # allauth counts attempts in the cache: each test starts with a clean slate.
    cache.clear()


def signup(client, email="maija@example.org"):
    return client.post(reverse("account_signup"), {
        "full_name": "Maija Meikäläinen", "email": email, "organisation": "Omnia",
        "project_role": "projektipäällikkö", "password1": "Vahva-salasana-42", "password2": "Vahva-salasana-42",
    })


def test_roles_exist_with_permissions():
    coordinator = Group.objects.get(name=Role.COORDINATOR)
    assert coordinator.permissions.filter(codename="moderate_practice").exists()
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "contributor", "peer_evaluator", "expert", "coordinator", "administrator"
    }


def test_signup_requires_email_verification_then_logs_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="maija@example.org")
    assert user.full_name == "Maija Meikäläinen" and user.organisation == "Omnia"
    # Not signed in before the address is verified.
    assert client.get(reverse("contributions:own_page")).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.get(path).status_code == 200  # confirmation page, confirmed by POST
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="maija@example.org").verified
    assert user.groups.filter(name="contributor").exists()
    assert client.get(reverse("contributions:own_page")).status_code == 200


def test_unverified_user_cannot_log_in(client):
    signup(client)
    client.logout()
    mail.outbox.clear()
    response = client.post(reverse("account_login"), {"login": "maija@example.org", "password": "Vahva-salasana-42"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_by_email_and_failed_logins_are_rate_limited(client):
    user = UserFactory(email="liisa@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": "liisa@example.org", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": "liisa@example.org", "password": "wrong"})
    assert "Too many failed login attempts" in response.content.decode()
    client2 = type(client)()
    response = client2.post(reverse("account_login"), {"login": "liisa@example.org", "password": "pw-secret-12345"})
    # Locked for this address even from a fresh session: the limit is per key, not per cookie.
    assert "_auth_user_id" not in client2.session


def test_login_page_is_accessible_and_in_site_layout(client):
    html = client.get(reverse("account_login")).content.decode()
    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert 'for="id_login"' in html and 'for="id_password"' in html


def test_login_errors_are_tied_to_the_form(client):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    assert 'id="id_login_errors"' in html and 'aria-describedby="id_login_errors"' in html


def test_password_reset_sends_mail(client):
    user = UserFactory(email="reset@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert mail.outbox and "reset@example.org" in mail.outbox[0].to


def test_profile_update(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"full_name": "Uusi Nimi", "organisation": "Stadin AO",
                                                         "project_role": "coach"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.organisation, user.project_role) == ("Uusi Nimi", "Stadin AO", "coach")


def test_gdpr_deletion_removes_personal_data_and_keeps_published_content(client):
    user = UserFactory(email="poistuva@example.org", full_name="Poistuva Käyttäjä", organisation="Org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name=Role.COORDINATOR))
    project = ProjectFactory(owner=user)
    project.members.add(user)
    published = services.practice_create(by=user, data=complete_data(project=project.pk))
    services.practice_submit(practice=published, by=user)
    services.practice_publish(practice=published, by=coordinator)
    private_draft = PracticeFactory(owner=user, project=None)
    FormDraft.objects.create(user=user, key="practice-new", data={"title": ["x"]})
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"full_name": "Poistuva Käyttäjä", "organisation": "Org",
                                              "project_role": ""})

    response = client.post(reverse("accounts:delete"), {"password": "pw-secret-12345", "confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email is None and user.full_name == "" and user.organisation == ""
    assert "poistuva" not in user.username
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not FormDraft.objects.filter(user=user).exists()
    published.refresh_from_db()
    assert published.status == PublicationStatus.PUBLISHED and published.project == project
    assert published.owner is None
    assert not Practice.objects.filter(pk=private_draft.pk).exists()
    assert user not in project.members.all()
    for event in AuditEvent.objects.all():
        assert "Poistuva" not in event.target_repr and "poistuva@" not in str(event.data)
    # Signing in is no longer possible.
    assert not client.login(username=f"deleted-{user.pk}", password="pw-secret-12345")


def test_deletion_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active
