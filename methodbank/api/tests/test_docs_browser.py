"""/api/docs in a real browser (Playwright + Debian's chromium), with the site's Content-Security-
Policy enforced: Swagger UI loads from our own static files and renders every operation."""

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_docs_render_every_operation_without_csp_violations_or_outside_requests(live_server):
    from playwright.sync_api import sync_playwright

    from methodbank.api.api import api

    # Everything that touches Django happens outside Playwright's event loop (no async-unsafe ORM calls).
    operations = sum(1 for item in api.get_openapi_schema()["paths"].values() for _method in item)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{live_server.url}/api/docs")
        page.wait_for_selector(".opblock", timeout=20000)
        rendered = page.locator(".opblock").count()
        # No link (or other focusable element) inside an operation's toggle button: axe's
        # "nested-interactive" (Swagger UI's deep links; turned off in methodbank/api/api.py).
        nested = page.locator(".opblock-summary-control a[href], .opblock-summary-control button").count()
        title = page.locator(".title").first.inner_text()
        browser.close()
    assert rendered == operations
    assert nested == 0
    assert "Menetelmäpankki API" in title
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_swagger_ui_is_configured_without_deep_links(client):
    import json
    import re

    page = client.get("/api/docs").content.decode()
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', page, re.S).group(1))
    assert settings["deepLinking"] is False
    assert settings["url"].endswith("/api/schema")
