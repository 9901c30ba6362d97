"""A contributor registers, verifies the e-mail address, documents a good practice that applies a
model and submits it; a coordinator returns it once with comments, the contributor fixes it and
submits again, the coordinator publishes it, and anyone can read it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from methodbank.accounts.roles import Role
from methodbank.accounts.services import user_add_role
from methodbank.catalog.models import Practice, PracticeKind, PublicationStatus
from methodbank.contributions.tests.factories import PracticeFactory, ThemeFactory, UserFactory

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "Vahva-salasana-42"


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def mail_settings(settings, live_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # E-mails build their links from SITE_URL: here, the live server the browser talks to.
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def sign_in(page, base, email, password):
    page.goto(f"{base}/en/tili/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/oma-sivu/"))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_register_document_return_fix_and_publish(live_server, browser_page, mail_settings):
    base = live_server.url
    page = browser_page
    theme = ThemeFactory(code="A", name="Siirtymät perusopetuksesta toiselle asteelle")
    model = PracticeFactory(kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED, title="Ohjauksen malli")
    coordinator = UserFactory(email="koordinaattori@example.org", password=PASSWORD)
    user_add_role(user=coordinator, role=Role.COORDINATOR)
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)

    # Register and verify the e-mail address from the link in the message.
    page.goto(f"{base}/en/tili/signup/")
    page.get_by_label("Name").fill("Maija Meikäläinen")
    page.get_by_label("Email").fill("maija@example.org")
    page.get_by_label("Organisation").fill("Omnia")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"confirm-email"))
    link = re.search(r"https?://\S+/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/en/oma-sivu/"))
    assert page.locator("h1").inner_text() == "Own page"

    # Document a good practice that applies the model, and submit it.
    page.get_by_role("link", name="Add a good practice").click()
    page.get_by_label("Name").fill("Kesäkoulu nivelvaiheeseen")
    page.get_by_label("Summary").fill("Kesäkoulu auttaa hakijoita siirtymään toiselle asteelle.")
    page.get_by_label("Goal and target group").fill("Peruskoulun päättävät nuoret.")
    page.get_by_label("Content and actions").fill("Viikon mittainen tutustumisjakso.")
    page.get_by_label("Model it applies").select_option(label="Ohjauksen malli")
    page.get_by_label(re.compile(r"^Theme")).select_option(value=str(theme.pk))
    page.get_by_label("Keywords").fill("kesäkoulu")
    page.get_by_role("button", name="Save and submit for review").click()
    page.wait_for_url(re.compile(r"/oma-sivu/menetelmat/\d+/$"))
    assert page.get_by_text("waiting for review").first.is_visible()
    practice = Practice.objects.get(title="Kesäkoulu nivelvaiheeseen")
    assert practice.status == PublicationStatus.SUBMITTED and practice.applies_model == model
    sign_out(page)

    # The coordinator returns it with comments.
    sign_in(page, base, "koordinaattori@example.org", PASSWORD)
    page.goto(f"{base}/en/moderointi/")
    page.get_by_role("link", name="Kesäkoulu nivelvaiheeseen").click()
    page.get_by_label("Comments to the team").fill("Lisää tulokset ja mittarit.")
    page.get_by_role("button", name="Return to the team with comments").click()
    page.wait_for_url(re.compile(r"/en/moderointi/$"))
    assert mail.outbox[-1].to == ["maija@example.org"]
    assert "Lisää tulokset ja mittarit." in mail.outbox[-1].body
    sign_out(page)

    # The contributor sees the comments, fixes the entry and submits it again.
    sign_in(page, base, "maija@example.org", PASSWORD)
    assert page.get_by_text("Lisää tulokset ja mittarit.").is_visible()
    page.get_by_role("link", name="Edit Kesäkoulu nivelvaiheeseen").click()
    page.get_by_label("Results and indicators").fill("90 % osallistujista aloitti toisen asteen opinnot.")
    page.get_by_role("button", name="Save and submit for review").click()
    page.wait_for_url(re.compile(r"/oma-sivu/menetelmat/\d+/$"))
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.SUBMITTED
    sign_out(page)

    # The coordinator publishes it.
    sign_in(page, base, "koordinaattori@example.org", PASSWORD)
    page.goto(f"{base}/en/moderointi/")
    page.get_by_role("link", name="Kesäkoulu nivelvaiheeseen").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url(re.compile(r"/en/moderointi/$"))
    assert "Nothing is waiting." in page.content()
    sign_out(page)

    # Anyone can read it now.
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.PUBLISHED
    page.goto(f"{base}/en/menetelmat/{practice.slug}/")
    assert page.locator("h1").inner_text() == "Kesäkoulu nivelvaiheeseen"
    assert page.get_by_text("90 % osallistujista").is_visible()
    assert len([m for m in mail.outbox if m.to == ["maija@example.org"]]) == 3  # verify + 2 decisions


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_typed_text_survives_a_lost_session(live_server, browser_page, mail_settings, settings):
    settings.AUTOSAVE_INTERVAL_MS = 300
    base = live_server.url
    page = browser_page
    ThemeFactory(code="A")
    user = UserFactory(email="kirjoittaja@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    sign_in(page, base, user.email, PASSWORD)
    page.goto(f"{base}/en/oma-sivu/menetelmat/uusi/")
    page.get_by_label("Name").fill("Puoliksi kirjoitettu käytäntö")
    page.get_by_label("Content and actions").fill("Ensimmäinen kappale.")
    page.get_by_text("Draft saved at").wait_for()  # the server has a copy

    # The session ends (e.g. it expired); the user keeps typing, the server refuses, the browser keeps it.
    page.context.clear_cookies()
    page.get_by_label("Content and actions").fill("Ensimmäinen kappale. Toinen kappale.")
    page.get_by_text("your text is kept in this browser").wait_for()

    sign_in(page, base, user.email, PASSWORD)
    page.goto(f"{base}/en/oma-sivu/menetelmat/uusi/")
    assert page.get_by_label("Name").input_value() == "Puoliksi kirjoitettu käytäntö"  # from the server
    page.get_by_role("button", name="Restore the unsaved text").click()  # the newer copy in this browser
    assert page.get_by_label("Content and actions").input_value() == "Ensimmäinen kappale. Toinen kappale."

    # The long form is usable on a 360 px wide phone: no sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
