"""In a browser: a visitor from a project claims an imported entry, a coordinator approves, and the
new team member opens the entry's edit form; and the entry form's duplicate check updates as the
title is typed (HTMX) and links the new entry to the similar model with one click."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation
from test_contribution_flow import PASSWORD, browser_page, mail_settings, sign_in, sign_out  # noqa: F401

from methodbank.accounts.roles import Role
from methodbank.accounts.services import user_add_role
from methodbank.catalog import extensions
from methodbank.catalog.models import PracticeKind, PublicationStatus
from methodbank.contributions.models import ClaimStatus, ProjectClaim
from methodbank.contributions.tests.factories import PracticeFactory, ProjectFactory, UserFactory


def verified_user(email, *, coordinator=False):
    user = UserFactory(email=email, password=PASSWORD)
    if coordinator:
        user_add_role(user=user, role=Role.COORDINATOR)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_claim_an_imported_entry_approve_and_edit(live_server, browser_page, mail_settings):  # noqa: F811
    base, page = live_server.url, browser_page
    project = ProjectFactory(name="Vamos 2. aste", owner=None)
    entry = PracticeFactory(title="Opinnollistaminen", project=project, status=PublicationStatus.PUBLISHED,
                            source="zoomi-2020:line 477", summary="Tiivistelmä raportista.")
    claimant = verified_user("hanke@example.org")
    verified_user("koordinaattori@example.org", coordinator=True)
    with translation.override("en"):
        entry_url = base + entry.get_absolute_url()

    sign_in(page, base, "hanke@example.org", PASSWORD)
    page.goto(entry_url)
    assert page.get_by_text("From the Zoomi report, autumn 2020").is_visible()
    page.get_by_role("link", name="Claim this entry").click()
    page.get_by_label("Why do you belong to the team?").fill("Olin hankkeen projektipäällikkö.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(entry_url)
    assert page.get_by_text("You have asked to join this project's team.").is_visible()
    sign_out(page)

    sign_in(page, base, "koordinaattori@example.org", PASSWORD)
    page.goto(f"{base}/en/moderointi/")
    page.get_by_role("link", name=re.compile("1 request to join a team")).click()
    assert page.get_by_text("Olin hankkeen projektipäällikkö.").is_visible()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    page.wait_for_url(re.compile(r"/en/moderointi/liittymispyynnot/$"))
    assert "No requests wait for a decision." in page.content()
    assert ProjectClaim.objects.get().status == ClaimStatus.APPROVED
    assert mail.outbox[-1].to == ["hanke@example.org"]
    sign_out(page)

    sign_in(page, base, "hanke@example.org", PASSWORD)
    page.goto(entry_url)
    page.get_by_role("link", name="Complete this entry").click()
    page.wait_for_url(re.compile(r"/oma-sivu/menetelmat/\d+/muokkaa/$"))
    assert "Opinnollistaminen" in page.locator("h1").inner_text()
    assert project.members.filter(pk=claimant.pk).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_similar_entries_appear_while_typing(live_server, browser_page, mail_settings, monkeypatch):  # noqa: F811
    base, page = live_server.url, browser_page
    model = PracticeFactory(title="Kesäkoulun malli", kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED)

    def find(*, title, summary, text="", exclude_pk=None):  # the live server runs in this process
        return [(model, 0.9)] if "kesäkoulu" in f"{title} {summary}".lower() else []

    monkeypatch.setattr(extensions, "_duplicate_finders", [find])
    verified_user("tekija@example.org")
    sign_in(page, base, "tekija@example.org", PASSWORD)
    page.goto(f"{base}/en/oma-sivu/menetelmat/uusi/")
    assert not page.get_by_text("Similar entries already in the bank").is_visible()
    page.get_by_label("Name").fill("Kesäkoulu nivelvaiheeseen")
    page.get_by_text("Similar entries already in the bank").wait_for()
    assert page.get_by_role("link", name="Kesäkoulun malli").is_visible()
    page.get_by_role("button", name=re.compile("Mine applies this model")).click()
    assert page.get_by_label("Model it applies").input_value() == str(model.pk)
