"""In a browser on a phone (360 px): a counsellor follows a theme from its page, manages the follow
on the own page, gets a digest of a new entry, and unsubscribes from the e-mail's link without
signing in (the link only asks; the button unsubscribes)."""

import re

import pytest
from allauth.account.models import EmailAddress
from browser_support import SCREENSHOT_DIR, assert_no_horizontal_scroll
from django.core import mail
from django.utils import translation
from test_contribution_flow import PASSWORD, browser_page, mail_settings, sign_in, sign_out  # noqa: F401

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import PlacementFactory, SubthemeFactory, ThemeFactory
from methodbank.contributions.tests.factories import PracticeFactory, UserFactory
from methodbank.follows.digests import digest_send
from methodbank.follows.models import Follow, Frequency


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_follow_a_theme_manage_it_get_a_digest_and_unsubscribe(live_server, browser_page, mail_settings):  # noqa: F811
    base, page = live_server.url, browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    theme = ThemeFactory(code="A", name="Siirtymät perusopetuksesta toiselle asteelle")
    subtheme = SubthemeFactory(theme=theme, name="Hakeutuminen")
    PlacementFactory(subtheme=subtheme, practice=PracticeFactory(status=PublicationStatus.PUBLISHED, title="Vanha"))
    user = UserFactory(email="opo@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with translation.override("en"):
        theme_url = base + theme.get_absolute_url()

    # A visitor is offered signing in and the feed.
    page.goto(theme_url)
    assert page.get_by_role("link", name="Sign in to follow this by e-mail").is_visible()
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() == 1

    sign_in(page, base, user.email, PASSWORD)
    page.goto(theme_url)
    page.get_by_label("E-mail digest").select_option("daily")
    page.get_by_role("button", name="Follow this theme").click()
    page.wait_for_url(theme_url)
    assert page.get_by_text("You follow this: a daily e-mail digest of what is new.").is_visible()
    assert_no_horizontal_scroll(page, "theme page with the follow box")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "follows-theme-360px.png"), full_page=True)

    page.get_by_role("link", name="Manage your follows").click()
    page.wait_for_url(re.compile(r"/en/oma-sivu/#follows$"))
    follows = page.locator("section.own-follows")
    assert follows.get_by_role("link", name=re.compile(r"^A\. ")).is_visible()
    assert_no_horizontal_scroll(page, "own page with follows")
    page.screenshot(path=str(SCREENSHOT_DIR / "follows-own-page-360px.png"), full_page=True)
    follows.get_by_label("E-mail digest").select_option("weekly")
    follows.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/en/oma-sivu/"))
    assert Follow.objects.get(user=user).frequency == Frequency.WEEKLY

    # Something new in the theme: the weekly digest tells, with a one-click unsubscribe link.
    user.language = "en"
    user.save()
    PlacementFactory(subtheme=subtheme, practice=PracticeFactory(status=PublicationStatus.PUBLISHED,
                                                                  title="Uusi kesäkoulu"))
    mail.outbox.clear()
    assert digest_send(user_id=user.pk, frequency=Frequency.WEEKLY) == 1
    message = mail.outbox[0]
    assert "Uusi kesäkoulu" in message.body and "Vanha" not in message.body
    unsubscribe_url = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    sign_out(page)

    page.goto(unsubscribe_url)
    assert Follow.objects.filter(user=user).exists()  # opening the link changes nothing
    assert_no_horizontal_scroll(page, "unsubscribe confirm page")
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_text("You are unsubscribed.").is_visible()
    assert not Follow.objects.filter(user=user).exists()
