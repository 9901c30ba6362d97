"""In a browser: a signed-in user records that their organisation adopted a model (with hostile text
in the experience field), a coordinator approves it, and the model's page counts it on the map and in
the table; the user then withdraws it and the count goes back."""

import re

import pytest
from django.utils import translation
from test_claim_flow import verified_user
from test_contribution_flow import PASSWORD, browser_page, mail_settings, sign_in, sign_out  # noqa: F401

from methodbank.catalog.models import Adoption, AdoptionStatus, PracticeKind, PublicationStatus
from methodbank.contributions.tests.factories import PracticeFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_an_adoption_approve_and_withdraw(live_server, browser_page, mail_settings):  # noqa: F811
    base, page = live_server.url, browser_page
    model = PracticeFactory(title="Ohjaamomalli", kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED)
    verified_user("kaytto@example.org")
    verified_user("koordinaattori@example.org", coordinator=True)
    with translation.override("en"):
        model_url = base + model.get_absolute_url()

    page.goto(model_url)
    assert page.get_by_text("No organisation has recorded adopting this model yet.").is_visible()
    sign_in(page, base, "kaytto@example.org", PASSWORD)
    page.goto(model_url)
    page.get_by_role("link", name="We adopted this model: record it").click()
    # Nothing chosen: the form says what is missing and keeps what was typed.
    page.get_by_label("Organisation").fill("Omnia <script>alert(1)</script>")
    page.get_by_role("button", name="Send the record").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Organisation").input_value() == "Omnia <script>alert(1)</script>"
    page.get_by_label("Organisation").fill("Omnia")
    page.get_by_label("Municipality").select_option("049")
    page.get_by_label("Year of adoption").fill("2023")
    page.get_by_label("Experiences (optional)").fill("<img src=x onerror=alert(1)>Hyvin meni.")
    page.get_by_role("button", name="Send the record").click()
    page.wait_for_url(re.compile(r"/en/oma-sivu/kayttoonotot/$"))
    assert page.get_by_text("Waiting for moderation").is_visible()
    sign_out(page)

    sign_in(page, base, "koordinaattori@example.org", PASSWORD)
    page.goto(f"{base}/en/moderointi/")
    page.get_by_role("link", name=re.compile("1 adoption record awaits a decision")).click()
    assert page.get_by_text("Hyvin meni.").is_visible()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    page.wait_for_url(re.compile(r"/en/moderointi/kayttoonotot/$"))
    assert "No adoption records wait for a decision." in page.content()
    sign_out(page)

    page.goto(model_url)
    assert page.get_by_text("One organisation has adopted this model.").is_visible()
    assert page.get_by_role("img", name=re.compile("Map of Finland's regions")).is_visible()
    assert page.get_by_role("row", name="Uusimaa 1").is_visible()
    assert page.get_by_text("Hyvin meni.").is_visible()
    page.on("dialog", lambda dialog: pytest.fail("a script in the experience text ran"))

    sign_in(page, base, "kaytto@example.org", PASSWORD)
    page.goto(f"{base}/en/oma-sivu/kayttoonotot/")
    page.get_by_role("button", name=re.compile("^Withdraw")).click()
    page.wait_for_url(re.compile(r"/en/oma-sivu/kayttoonotot/$"))
    assert Adoption.objects.get().status == AdoptionStatus.WITHDRAWN
    page.goto(model_url)
    assert page.get_by_text("No organisation has recorded adopting this model yet.").is_visible()
