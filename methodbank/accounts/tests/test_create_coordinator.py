"""``manage.py create_coordinator EMAIL`` leaves an account that signs in at once (issue 20)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Koordinaattori-salasana-2026"


def _create(email, stdin_text):
    out = io.StringIO()
    call_command("create_coordinator", email, stdin=io.StringIO(stdin_text), stdout=out)
    return out.getvalue()


def test_new_coordinator_signs_in_at_once_and_reaches_the_moderation_queue(client):
    output = _create("koordinaattori@example.org", PASSWORD + "\n")
    assert "Created coordinator koordinaattori@example.org" in output

    response = client.post(
        reverse("account_login"), {"login": "koordinaattori@example.org", "password": PASSWORD}
    )
    # Straight in: no "verify your e-mail" stop.
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"] and "vahvista" not in response["Location"]
    assert response["Location"] == reverse("contributions:own_page")
    assert client.get(reverse("contributions:moderation_queue")).status_code == 200
    user = get_user_model().objects.get(email="koordinaattori@example.org")
    assert user.is_staff and user.groups.filter(name="coordinator").exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_existing_account_is_promoted_and_keeps_its_password(client, contributor):
    output = _create(contributor.email.upper(), "")
    assert "Promoted coordinator" in output
    contributor.refresh_from_db()
    assert contributor.is_staff and contributor.groups.filter(name="coordinator").exists()
    assert client.post(
        reverse("account_login"), {"login": contributor.email, "password": "pw-contributor-123"}
    ).status_code == 302


@pytest.mark.parametrize(
    "email, password",
    [("not-an-address", PASSWORD), ("uusi@example.org", "short"), ("uusi@example.org", "")],
)
def test_bad_input_is_refused_and_nothing_is_created(email, password):
    with pytest.raises(CommandError, match="Nothing was changed"):
        _create(email, password + "\n")
    assert not get_user_model().objects.filter(email=email).exists()
