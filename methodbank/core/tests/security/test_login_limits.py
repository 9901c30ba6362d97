"""Log-in cannot be brute-forced through the admin, and behind the proxy the failed-login limits
count each client by its own address, so one client's failures lock neither everyone else nor an
account it does not know."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-secret-12345"  # UserFactory's
LOGIN_FAILED = "10/m/ip,5/300s/key"  # the shipped limits (config/settings.py)


def _settings_with_env(monkeypatch, **env):
    """config.settings as a deployment with these environment variables would load it."""
    import config.settings as module

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        return vars(importlib.reload(module)).copy()
    finally:
        for name in env:
            monkeypatch.delenv(name)
        importlib.reload(module)


@pytest.fixture
def behind_nginx(monkeypatch):
    """The settings that a bank behind the documented nginx (API_NUM_PROXIES=1) runs with."""
    loaded = _settings_with_env(monkeypatch, API_NUM_PROXIES="1")
    names = ("NINJA_NUM_PROXIES", "ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER")
    with override_settings(**{name: loaded[name] for name in names if name in loaded},
                           ACCOUNT_RATE_LIMITS={**loaded["ACCOUNT_RATE_LIMITS"], "login_failed": LOGIN_FAILED}):
        yield loaded


def test_allauth_trusts_the_same_proxies_as_the_api(monkeypatch):
    for value in ("0", "1", "2"):
        loaded = _settings_with_env(monkeypatch, API_NUM_PROXIES=value)
        assert loaded["NINJA_NUM_PROXIES"] == int(value)
        assert loaded.get("ALLAUTH_TRUSTED_PROXY_COUNT") == int(value)


def _login(address, email, password):
    """One log-in attempt from a fresh browser at ``address``, as nginx forwards it (it appends the
    peer's address to whatever X-Forwarded-For the client sent)."""
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}")
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def real_user(owner):
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    return owner


def test_failures_from_one_client_do_not_lock_out_a_user_on_another(behind_nginx, real_user):
    for n in range(11):
        _login("203.0.113.5", f"nobody{n}@example.org", "wrong-password-1")
    # The attacking client itself is now stopped ...
    attacker, response = _login("203.0.113.5", real_user.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _logged_in(attacker)
    # ... but the real user, from their own address, logs in.
    user_client, response = _login("198.51.100.7", real_user.email, PASSWORD)
    assert response.status_code == 302, response.content.decode()[:500]
    assert _logged_in(user_client)


def test_guessing_one_accounts_password_from_many_addresses_locks_that_account(behind_nginx, real_user, intruder):
    EmailAddress.objects.create(user=intruder, email=intruder.email, verified=True, primary=True)
    for n in range(5):
        _login(f"203.0.113.{10 + n}", real_user.email, "wrong-password-1")
    guesser, response = _login("203.0.113.99", real_user.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _logged_in(guesser)
    # Another account is not affected, even from an address that took part.
    other, response = _login("203.0.113.10", intruder.email, PASSWORD)
    assert _logged_in(other)


def test_the_admin_has_no_separate_unlimited_login(coordinator):
    """40 wrong passwords and then the right one used to let an attacker into the admin. Now the
    admin's log-in address leads to the site's rate-limited log-in and takes no password itself."""
    client = Client()
    url = reverse("admin:login")
    for _ in range(40):
        client.post(url, {"username": coordinator.email, "password": "wrong-password-1", "next": "/fi/admin/"})
    response = client.post(url, {"username": coordinator.email, "password": "pw-coordinator-123",
                                 "next": "/fi/admin/"})
    assert not _logged_in(client)
    assert response.status_code in (302, 405)
    response = client.post(url, {"username": "coordinator", "password": "pw-coordinator-123"})
    assert not _logged_in(client)


def test_the_admin_sends_visitors_to_the_site_login_and_back(coordinator):
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)
    client = Client()
    response = client.get("/fi/admin/", follow=True)
    login_url = reverse("account_login")
    assert response.redirect_chain[-1][0].startswith(login_url)
    assert "next=/fi/admin/" in response.redirect_chain[-1][0].replace("%2F", "/")
    response = client.post(f"{login_url}?next=/fi/admin/",
                           {"login": coordinator.email, "password": "pw-coordinator-123"})
    assert response.status_code == 302 and response["Location"] == "/fi/admin/"
    assert client.get("/fi/admin/").status_code == 200


def test_a_logged_in_non_staff_user_is_refused_the_admin_without_a_redirect_loop(real_user):
    client = Client()
    client.force_login(real_user)
    response = client.get("/fi/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2


def test_the_admin_login_ignores_an_offsite_next(coordinator):
    response = Client().get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
