"""The e-mail digest: what is new since the last one, in the user's language, nothing when nothing
is new, and a one-click unsubscribe (RFC 8058) that works without signing in and refuses forgeries."""

import datetime
import re

import pytest
from django.core import mail as outbox_mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import (
    PlacementFactory,
    PracticeFactory,
    PracticeTranslationFactory,
    ProjectFactory,
    SubthemeFactory,
)
from methodbank.follows.digests import digest_send
from methodbank.follows.models import Follow, Frequency
from methodbank.follows.services import unsubscribe_token

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def setup(contributor):
    now = timezone.now()
    subtheme = SubthemeFactory()
    project = ProjectFactory(name="Opin portailla")
    old = PracticeFactory(title="Vanha käytäntö", project=project, published_at=now - 10 * DAY)
    PlacementFactory(practice=old, subtheme=subtheme)
    follows = [
        Follow.objects.create(user=contributor, kind="theme", key=subtheme.theme.slug, frequency=Frequency.DAILY,
                              covered_until=now - 2 * DAY),
        Follow.objects.create(user=contributor, kind="project", key=project.slug, frequency=Frequency.DAILY,
                              covered_until=now - 2 * DAY),
        Follow.objects.create(user=contributor, kind="search", key="q=ohjaus", frequency=Frequency.WEEKLY,
                              covered_until=now - 2 * DAY),
    ]
    # Written before the follows' cursor moved: the digest must not report them.
    type(old).objects.filter(pk=old.pk).update(updated_at=now - 10 * DAY)
    return {"subtheme": subtheme, "project": project, "old": old, "follows": follows, "user": contributor}


def test_a_digest_with_new_content(setup):
    user, subtheme = setup["user"], setup["subtheme"]
    user.language = "sv"
    user.save()
    new = PracticeFactory(title="Uusi käytäntö", project=setup["project"])
    PlacementFactory(practice=new, subtheme=subtheme)
    PracticeTranslationFactory(practice=new, language="sv", title="Ny praxis")
    PracticeFactory(title="Luonnos", project=setup["project"], status=PublicationStatus.DRAFT, published_at=None)

    assert digest_send(user_id=user.pk, frequency=Frequency.DAILY) == 1
    [message] = outbox_mail.outbox
    assert message.to == [user.email]
    assert message.extra_headers["Content-Language"] == "sv"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(http://127\.0\.0\.1:8000/sv/seuranta/peru/[^/]+/)>",
                               message.extra_headers["List-Unsubscribe"])
    assert unsubscribe
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Ny praxis" in body and f"/sv/menetelmat/{new.slug}/" in body
        assert "Vanha käytäntö" not in body and "Luonnos" not in body
        assert "Opin portailla" in body  # the project's section
    # The weekly follow is another digest.
    # Not the word alone: the theme ThemeFactory gets may be a real theme whose address has "ohjaus".
    assert "q=ohjaus" not in message.body and ": ohjaus" not in message.body

    # Sent: the next run has nothing new, and sends nothing.
    outbox_mail.outbox.clear()
    assert digest_send(user_id=user.pk, frequency=Frequency.DAILY) == 0
    assert outbox_mail.outbox == []


def test_no_mail_when_nothing_is_new(setup):
    user = setup["user"]
    PracticeFactory(title="Muualla", project=ProjectFactory())  # in nothing the user follows
    before = {f.pk: f.covered_until for f in Follow.objects.all()}
    assert digest_send(user_id=user.pk, frequency=Frequency.DAILY) == 0
    assert outbox_mail.outbox == []
    for follow in Follow.objects.filter(frequency=Frequency.DAILY):
        assert follow.covered_until > before[follow.pk]


def test_an_update_of_a_published_entry_is_reported_as_updated(setup):
    old = setup["old"]
    old.summary = "Uusi kuvaus."
    old.save()
    assert digest_send(user_id=setup["user"].pk, frequency=Frequency.DAILY) == 1
    body = outbox_mail.outbox[0].body
    assert "Vanha käytäntö (päivitetty)" in body or "Vanha käytäntö (updated)" in body


def test_inactive_users_and_users_without_follows_get_nothing(setup, coordinator):
    PracticeFactory(project=setup["project"])
    assert digest_send(user_id=coordinator.pk, frequency=Frequency.DAILY) == 0
    setup["user"].is_active = False
    setup["user"].save()
    assert digest_send(user_id=setup["user"].pk, frequency=Frequency.DAILY) == 0
    assert outbox_mail.outbox == []


def test_the_command_queues_a_task_per_user_and_the_task_sends(setup, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    PracticeFactory(project=setup["project"])
    call_command("send_digests", "daily")
    assert "1 daily digest task(s) queued" in capsys.readouterr().out
    assert len(outbox_mail.outbox) == 1
    call_command("send_digests", "daily", "--now")
    assert "0 daily digest(s) sent" in capsys.readouterr().out
    assert len(outbox_mail.outbox) == 1


def test_unsubscribe_without_signing_in(client, setup):
    user = setup["user"]
    token = unsubscribe_token(user_id=user.pk, frequency=Frequency.DAILY)
    with translation.override("en"):
        url = reverse("follows:unsubscribe", kwargs={"token": token})
    # GET only asks (mail scanners open links).
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert Follow.objects.filter(user=user).count() == 3
    # RFC 8058: a POST of List-Unsubscribe=One-Click, no session, no CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert list(Follow.objects.filter(user=user).values_list("frequency", flat=True)) == [Frequency.WEEKLY]
    # Again: nothing left, still fine.
    assert client.post(url).status_code == 200


def test_unsubscribe_one_follow_from_its_link(client, setup):
    follow = setup["follows"][0]
    url = reverse("follows:unsubscribe", kwargs={"token": unsubscribe_token(user_id=follow.user_id,
                                                                            follow_id=follow.pk)})
    client.post(url)
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert Follow.objects.filter(user=setup["user"]).count() == 2


def test_forged_tokens_are_refused(client, setup, coordinator):
    theirs = Follow.objects.create(user=coordinator, kind="project", key=setup["project"].slug)
    good = unsubscribe_token(user_id=setup["user"].pk, frequency=Frequency.DAILY)
    payload, _sep, signature = good.rpartition(":")
    forged = [
        good[:-2] + ("aa" if not good.endswith("aa") else "bb"),
        payload.replace(payload[:4], "eyJ1"),
        "x",
        "%00",
        "a" * 3000,
        # A token of another salt (a signed value of the bank that is not an unsubscribe token).
        __import__("django.core.signing", fromlist=["dumps"]).dumps({"u": coordinator.pk, "f": "weekly"}),
    ]
    for token in forged:
        response = client.post(f"/fi/seuranta/peru/{token}/")
        assert response.status_code in (404,), token
    assert Follow.objects.count() == 4 and Follow.objects.filter(pk=theirs.pk).exists()
