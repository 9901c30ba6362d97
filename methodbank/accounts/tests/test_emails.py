"""Every e-mail of the bank, in Finnish, Swedish and English: the recipient's language, the bank's
name and explanation, HTML and plain text, nothing left unrendered, links on SITE_URL that work."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from methodbank.accounts.roles import Role
from methodbank.contributions import services
from methodbank.contributions.tests.factories import UserFactory
from methodbank.contributions.tests.test_services import create

pytestmark = pytest.mark.django_db
User = get_user_model()
LANGUAGES = ["fi", "sv", "en"]
SITE = "https://menetelmapankki.example"
EXPLANATION = "An open bank of models and good practices for smooth transitions in Finnish education."


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Links come from SITE_URL, never from the host the request named (here "testserver").
    settings.SITE_URL = SITE
    cache.clear()


def _links(message):
    html = _html(message)
    links = re.findall(r"https?://[^\s\"<>]+", message.body) + re.findall(r'href="([^"]+)"', html)
    links += re.findall(r"https?://[^\s\"<>]+", re.sub(r'href="[^"]+"', "", html))
    return links


def _html(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_message(message, *, language, subject):
    """The checks every message passes; returns its links (paths on the site, in ``language``)."""
    with translation.override(language):
        bank, explanation, translated_subject = _("Menetelmäpankki"), _(EXPLANATION), _(subject)
    if language != "en":
        assert translated_subject != subject and explanation != EXPLANATION  # really translated
    assert message.subject == f"[{bank}] {translated_subject}" or message.subject.startswith(f"[{bank}] ")
    assert translated_subject in message.subject
    assert message.extra_headers["Content-Language"] == language
    html = _html(message)
    assert f'<html lang="{language}">' in html
    for part in (message.subject, message.body, html):
        assert "{{" not in part and "{%" not in part and "%}" not in part and "}}" not in part
    for part in (message.body, html):
        assert bank in part and explanation in part
    paths = []
    links = _links(message)
    assert links
    for link in links:
        assert link.startswith(SITE + "/"), link
        path = urlsplit(link).path
        assert path.startswith(f"/{language}/"), link
        with translation.override(language):
            match = resolve(path)  # raises Resolver404 for a link that leads nowhere
        paths.append((match.url_name, link[len(SITE):]))
    return paths


def signup(client, language, email="maija@example.org"):
    with translation.override(language):
        url = reverse("account_signup")
    return client.post(url, {
        "full_name": "Maija Meikäläinen", "email": email, "password1": "Vahva-salasana-42",
        "password2": "Vahva-salasana-42",
    })


def verified_user(email, **kwargs):
    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_confirmation_is_in_the_registration_language_and_its_link_confirms(client, language):
    signup(client, language)
    user = User.objects.get(email="maija@example.org")
    assert user.registration_language == language and user.email_language == language
    [message] = mail.outbox
    paths = assert_message(message, language=language, subject="Confirm your e-mail address")
    confirm = next(p for name, p in paths if name == "account_confirm_email")
    assert client.post(confirm).status_code == 302
    assert EmailAddress.objects.get(email="maija@example.org").verified


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_is_in_the_users_language_whatever_page_it_was_asked_on(client, language):
    user = verified_user("liisa@example.org", registration_language=language)
    other = next(code for code in LANGUAGES if code != language)
    with translation.override(other):
        client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mail.outbox
    assert message.to == [user.email]
    paths = assert_message(message, language=language, subject="Reset your password")
    reset = next(p for name, p in paths if name == "account_reset_password_from_key")
    response = client.get(reset, follow=True)
    assert response.status_code == 200 and "password1" in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_chosen_language_beats_the_registration_language(client, language):
    registered = next(code for code in LANGUAGES if code != language)
    user = verified_user("pekka@example.org", registration_language=registered, language=language)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert_message(mail.outbox[0], language=language, subject="Reset your password")


@pytest.mark.parametrize("language", LANGUAGES)
def test_reset_for_an_unknown_address_answers_in_the_language_of_the_page(client, language):
    with translation.override(language):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    [message] = mail.outbox
    paths = assert_message(message, language=language, subject="No account with this address")
    assert "account_signup" in dict(paths)


@pytest.mark.parametrize("language", LANGUAGES)
def test_signing_up_again_with_a_known_address_tells_the_owner_in_their_language(client, language):
    verified_user("anna@example.org", registration_language=language)
    signup(client, "fi", email="anna@example.org")
    [message] = mail.outbox
    paths = assert_message(message, language=language, subject="You already have an account")
    assert "account_reset_password" in dict(paths)


@pytest.mark.parametrize("language", LANGUAGES)
def test_adding_an_address_sends_a_confirmation_in_the_users_language(client, language):
    user = verified_user("ville@example.org", language=language)
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "ville.toinen@example.org"})
    [message] = mail.outbox
    assert message.to == ["ville.toinen@example.org"]
    paths = assert_message(message, language=language, subject="Confirm your e-mail address")
    assert "ville.toinen@example.org" in message.body
    assert "account_confirm_email" in dict(paths)


@pytest.mark.parametrize("language", LANGUAGES)
def test_moderation_decision_reaches_the_owner_in_their_language(language, django_capture_on_commit_callbacks):
    owner = verified_user("owner@example.org", language=language)
    moderator = UserFactory(email="moderator@example.org")
    moderator.groups.add(Group.objects.get(name=Role.COORDINATOR))
    practice = create(owner)
    services.practice_submit(practice=practice, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=practice, by=moderator, comment="Lisää tulokset.")
    [message] = mail.outbox
    paths = assert_message(message, language=language, subject="returned for changes")
    assert message.subject.startswith(f"[{_bank(language)}] {practice.title}: ")
    assert "Lisää tulokset." in message.body and "Lisää tulokset." in _html(message)
    # The Finnish entry's name is marked Finnish in a Swedish or English message.
    assert ('<span lang="fi">' in _html(message)) == (language != "fi")
    assert "practice_detail" in dict(paths)


def _bank(language):
    with translation.override(language):
        return _("Menetelmäpankki")
