"""Log-in, sign-up, password reset, the anonymous evaluation link and the anonymous API answer 429
once a client passes the configured limit (lowered here; the root conftest clears the cache, where
the counters live, around every test)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.evaluation.models import PeerAssessment
from methodbank.evaluation.tests.factories import EvaluationEventFactory, answers

pytestmark = pytest.mark.django_db

LIMIT = 3

ALLAUTH_FORMS = {
    "login": ("account_login", {"login": "owner@example.org", "password": "wrong-password-1"}),
    "signup": ("account_signup", {"email": "new{n}@example.org", "password1": "short", "password2": "short",
                                  "full_name": "New"}),
    "reset_password": ("account_reset_password", {"email": "nobody{n}@example.org"}),
}


@pytest.mark.parametrize("action", ALLAUTH_FORMS)
def test_allauth_form_answers_429_after_the_limit(owner, action):
    url_name, data = ALLAUTH_FORMS[action]
    client = Client()
    with override_settings(ACCOUNT_RATE_LIMITS={action: f"{LIMIT}/m/ip"}):
        statuses = [
            client.post(reverse(url_name), {k: v.format(n=n) for k, v in data.items()}).status_code
            for n in range(LIMIT)
        ]
        assert 429 not in statuses, f"{action}: {statuses}"
        response = client.post(reverse(url_name), {k: v.format(n=99) for k, v in data.items()})
    assert response.status_code == 429, f"{action}: {response.status_code}"


def test_failed_login_limit_also_stops_the_right_password(owner):
    """Past the failed-attempt limit (per account and address) even the right password is refused with
    allauth's form error, so guessing cannot go on."""
    client = Client()
    with override_settings(ACCOUNT_RATE_LIMITS={"login_failed": f"{LIMIT}/m/ip"}):
        for _ in range(LIMIT):
            client.post(reverse("account_login"), {"login": "owner@example.org", "password": "wrong-password-1"})
        response = client.post(reverse("account_login"),
                               {"login": "owner@example.org", "password": "pw-secret-12345"})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def event():
    return EvaluationEventFactory(models_on_agenda=[ModelPracticeFactory(title="Malli")])


@override_settings(EVALUATION_ANON_RATE=f"{LIMIT}/min")
def test_anonymous_evaluation_link_answers_429_after_the_limit(event, unchanged):
    client = Client()
    url = event.get_anonymous_url()
    assert [client.get(url).status_code for _ in range(LIMIT)] == [200] * LIMIT
    model = event.models_on_agenda.get()
    check = unchanged()
    response = client.post(reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]),
                           answers(event.criteria_set))
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60
    assert not PeerAssessment.objects.exists()
    check("rate-limited evaluation answer")
    # Another client address still gets in: the workshop next door is not locked out.
    assert Client(REMOTE_ADDR="10.0.0.2").get(url).status_code == 200


@override_settings(EVALUATION_ANON_RATE=f"{LIMIT}/min")
def test_guessing_links_is_limited_too():
    client = Client()
    statuses = [client.get(reverse("evaluation:anon_event", args=["guess"])).status_code for _ in range(LIMIT + 1)]
    assert statuses == [403] * LIMIT + [429]


def test_anonymous_api_answers_429_after_the_limit(client, settings):
    settings.API_THROTTLE_ANON_RATE = f"{LIMIT}/min"
    statuses = [client.get("/api/v1/entries", {"q": "ohjaus"}).status_code for _ in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]
