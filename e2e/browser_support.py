"""Helpers for the browser tests (the fixtures are in conftest.py): axe-core, focus, reflow, and the
module-wide server.

Two ways to get a server:
- pytest-django's ``live_server`` with ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``
  for a test that builds its own data (the database is flushed after each such test);
- the ``shared_site`` fixture (``committed_data_and_server`` below) for a module of many read-only page visits: the data is built and
  committed once per module, a module-scoped server serves it, and the database is put back as it was
  when the module ends. Flushing PostgreSQL after each of ~150 page visits would take minutes.
"""

from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LANGUAGES = ("fi", "sv", "en")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")


def new_context(browser, *, width=1280, height=900, cookies=(), **context_args):
    """A fresh context (own cookies). bypass_csp lets the test inject axe-core: the site's
    Content-Security-Policy forbids inline scripts, which is what add_script_tag produces."""
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True, **context_args)
    context.set_default_timeout(15000)
    if cookies:
        context.add_cookies(list(cookies))
    return context


def new_page(browser, **context_args):
    """A page in a fresh context (close it with ``page.context.close()``)."""
    return new_context(browser, **context_args).new_page()


def session_cookie(user, base_url):
    """Log ``user`` in without the log-in form: a server-side session, handed to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base_url}


def axe_violations(page, ignore=()):
    """Run axe-core on the page with the WCAG 2.0/2.1 A and AA rules; return the serious and critical ones
    (except the rules in ``ignore``: known problems of a third-party component, named in the statement)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in SERIOUS and v["id"] not in ignore]


def format_violations(violations):
    lines = []
    for v in violations:
        targets = ["/".join(map(str, node["target"])) for node in v["nodes"][:8]]
        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} -> {', '.join(targets)}{more}")
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")
        if summary:
            lines.append(f"    {summary[:300]}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page, label="", ignore=()):
    violations = axe_violations(page, ignore)
    assert not violations, (
        f"axe-core: serious/critical WCAG 2.1 A/AA violations on {label or page.url}:\n"
        + format_violations(violations)
    )


FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').slice(0, 60), outline, shadow};
}"""


def assert_focus_visible(page):
    """The element that has keyboard focus shows it: a non-zero outline or a box shadow."""
    info = page.evaluate(FOCUS_STYLE_JS)
    assert info is not None, "nothing has keyboard focus"
    assert info["outline"] or info["shadow"], f"focus is not visible on {info}"
    return info


def assert_no_horizontal_scroll(page, label=""):
    # A click on a link returns once the navigation has started; the new document may not have an
    # element yet (documentElement is null), and its width is only final once it has loaded.
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"horizontal scrolling on {label or page.url}: {widths}"


def _join_request_threads(server, timeout=10):
    """Let the server's request threads end before the server stops: a keep-alive connection of a
    just-closed browser tab otherwise ends after the shared SQLite connection was handed back, and
    its thread fails to close it. The tabs must be closed first (the fixtures depend on the server)."""
    import threading

    httpd = getattr(server.thread, "httpd", None)
    for thread in threading.enumerate():
        target = getattr(thread, "_target", None)
        if thread is not threading.current_thread() and getattr(target, "__self__", None) is httpd:
            thread.join(timeout)


def _reset_sequences(connection):
    """Point PostgreSQL's id sequences past the rows a deserialised snapshot wrote with their own ids
    (as loaddata does). A flush resets the sequences to 1 while the restored rows (a report definition
    from a data migration, say) keep theirs, so the next insert would reuse an id. SQLite needs none."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextmanager
def committed_data_and_server(django_db_blocker, build):
    """Build data outside any test transaction (committed, so the server thread sees it on
    PostgreSQL), serve it, and afterwards flush and restore the database exactly as it was before:
    the data-migration rows (groups, criteria sets) included, as ``serialized_rollback`` would."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings

    from methodbank.core.tests.live_server import live_server_for_tests

    with django_db_blocker.unblock():
        connection = connections["default"]
        # pytest-django creates the test database only when a collected test has a django_db mark;
        # without one this would be the development database, which must never be flushed.
        name = str(connection.settings_dict["NAME"])
        is_test = Path(name).name.startswith("test_") or (connection.vendor == "sqlite" and connection.is_in_memory_db())
        assert is_test, f"not a test database: {name}; mark the tests with django_db"
        snapshot = connection.creation.serialize_db_to_string()
        server = None
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            ):
                # An earlier test's flush and restore may have left the sequences behind the rows.
                _reset_sequences(connection)
                data = build()
                server = live_server_for_tests("localhost")
                server._live_server_modified_settings.enable()
                try:
                    data["base_url"] = server.url
                    # Sessions are made here, committed with the data: a session made inside a test
                    # would be rolled back with the test, leaving later tests signed out.
                    data["cookies"] = {
                        role: session_cookie(user, server.url) for role, user in data.get("users", {}).items()
                    }
                    for role, key in data.get("anonymous_sessions", {}).items():
                        data["cookies"][role] = {"name": settings.SESSION_COOKIE_NAME, "value": key, "url": server.url}
                    yield data
                finally:
                    server._live_server_modified_settings.disable()
        finally:
            if server is not None:
                _join_request_threads(server)
                server.stop()
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(snapshot)
            _reset_sequences(connection)
            # Otherwise a connection used here stays open after the module and pytest-django cannot
            # drop the PostgreSQL test database at the end ("being accessed by other users").
            connections.close_all()
