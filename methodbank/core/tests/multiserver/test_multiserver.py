"""Two app servers, two workers, nginx, Redis and an S3 store: what only shows with more than one
server (issue 22). See cluster.py for what runs; ./test.sh runs this in its PostgreSQL pass,
`-m "not multiserver"` skips it."""

import json
import re
import secrets
import threading
import time
import uuid

import pytest
import requests

from .cluster import EDGE_CACHE_SECONDS

pytestmark = pytest.mark.multiserver

PASSWORD = "Monipalvelin-salasana-42"
SETUP = """
import json
from allauth.account.models import EmailAddress
from methodbank.accounts.models import User
from methodbank.api.services import api_token_create
PASSWORD = "__PASSWORD__"
out = {}
for name, email, su in [("owner", "owner@example.org", False), ("locked", "locked@example.org", False),
                        ("moderator", "moderator@example.org", True)]:
    user = User.objects.create_user(username=name, email=email, password=PASSWORD, is_superuser=su, is_staff=su)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    out[name] = user.pk
out["token"] = api_token_create(user=User.objects.get(username="owner"), name="multiserver")[1]
print(json.dumps(out))
""".replace("__PASSWORD__", PASSWORD)


@pytest.fixture(scope="module")
def bank(cluster):
    data = json.loads(cluster.manage(code=SETUP).strip().splitlines()[-1])
    return {"cluster": cluster, **data}


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=20)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, (url, page.status_code)
    return found.group(1)


def login(cluster, which, email, password=PASSWORD) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    # What nginx sends (proxy-cache.conf): the client address, which the servers take from
    # X-Forwarded-For (API_NUM_PROXIES=1), and the public host name without a port. allauth's
    # log-in lock is keyed on host name and e-mail address, so each server's own port would give
    # each server its own lock.
    session.headers["X-Forwarded-For"] = "198.51.100.10"
    session.headers["Host"] = "127.0.0.1"
    url = cluster.url(which, "/fi/tili/login/")
    token = _csrf(session, url)
    response = session.post(url, data={"csrfmiddlewaretoken": token, "login": email, "password": password},
                            headers={"Referer": url}, allow_redirects=False, timeout=20)
    return session, response


def visible(html: str) -> str:
    """The page's text: search results mark the matched words with <mark>."""
    return re.sub(r"<[^>]+>", "", html)


def api_headers(bank, key=None):
    headers = {"Authorization": f"Bearer {bank['token']}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


def create_entry(bank, which, title, key=None) -> requests.Response:
    body = {
        "kind": "good_practice", "title": title, "summary": "Kahden palvelimen koe.",
        "goal_and_target_group": "Tavoite.", "content_and_actions": "Sisältö.", "placements": [{"theme": "A"}],
    }
    return requests.post(bank["cluster"].url(which, "/api/v1/me/entries"), data=json.dumps(body),
                         headers=api_headers(bank, key), timeout=30)


# Cookies belong to the host, not the port: one requests.Session carries the same cookies to
# both servers, as a browser does behind nginx.


def test_a_session_started_on_server_1_works_on_server_2(bank):
    cluster = bank["cluster"]
    session, response = login(cluster, 1, "owner@example.org")
    assert response.status_code == 302, response.text[:500]
    assert "sessionid" in session.cookies
    own = session.get(cluster.url(2, "/fi/oma-sivu/"), allow_redirects=False, timeout=20)
    assert own.status_code == 200
    assert "owner@example.org" in own.text or "Kirjaudu ulos" in own.text or "logout" in own.text
    anonymous = requests.get(cluster.url(2, "/fi/oma-sivu/"), allow_redirects=False, timeout=20)
    assert anonymous.status_code == 302 and "/tili/login/" in anonymous.headers["Location"]


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_an_attachment_uploaded_through_server_1_downloads_through_server_2_from_the_bucket(bank):
    cluster = bank["cluster"]
    created = create_entry(bank, 1, "Liitteen koe")
    assert created.status_code == 201, created.text
    pk = created.json()["id"]
    session, response = login(cluster, 1, "owner@example.org")
    assert response.status_code == 302
    body = MINIMAL_PDF + secrets.token_hex(16).encode()
    form_url = cluster.url(1, f"/fi/oma-sivu/menetelmat/{pk}/")
    token = _csrf(session, form_url)
    upload = session.post(
        cluster.url(1, f"/fi/oma-sivu/menetelmat/{pk}/liitteet/"),
        data={"csrfmiddlewaretoken": token, "title": "Koeliite"},
        files={"file": ("koe.pdf", body, "application/pdf")},
        headers={"Referer": form_url}, allow_redirects=False, timeout=30,
    )
    assert upload.status_code == 302, upload.text[:1000]
    [(att_pk, file_name)] = cluster.sql(
        "SELECT id, file FROM catalog_practiceattachment WHERE practice_id = %s", pk
    )

    # Really in the bucket, byte for byte, and not on any server's disk.
    assert cluster.bucket_objects()[file_name] == body
    assert not any(p.is_file() for p in cluster.media_root.rglob("*")) if cluster.media_root.exists() else True

    download = session.get(cluster.url(2, f"/fi/liitteet/{att_pk}/"), timeout=30)
    assert download.status_code == 200
    assert download.content == body
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download.headers["Cache-Control"] == "private, no-store"
    # A draft's attachment: nobody else gets it, on either server or through nginx.
    for which in (1, 2, "nginx"):
        other = requests.get(cluster.url(which, f"/fi/liitteet/{att_pk}/"), timeout=30)
        assert other.status_code in (403, 404), which
        assert body not in other.content
    stranger, _ = login(cluster, 2, "locked@example.org")
    assert stranger.get(cluster.url(2, f"/fi/liitteet/{att_pk}/"), timeout=30).status_code in (403, 404)


def test_a_publish_through_server_1_retires_cached_pages_on_server_2_and_at_the_edge(bank):
    cluster = bank["cluster"]
    word = "Kaksoispalvelin" + secrets.token_hex(3)
    created = create_entry(bank, 1, f"{word} kahvila")
    assert created.status_code == 201, created.text
    pk = created.json()["id"]
    submitted = requests.post(cluster.url(1, f"/api/v1/me/entries/{pk}/submit"), headers=api_headers(bank),
                              timeout=30)
    assert submitted.status_code == 200, submitted.text
    search = f"/fi/haku/?q={word}"
    # Cached by both servers' shared page cache and by nginx before the publish.
    for which in (2, 2, "nginx", "nginx"):
        before = requests.get(cluster.url(which, search), timeout=30)
        assert before.status_code == 200 and f"{word} kahvila" not in visible(before.text)
    assert before.headers.get("X-Cache") == "HIT"

    moderator, response = login(cluster, 1, "moderator@example.org")
    assert response.status_code == 302
    page = cluster.url(1, f"/fi/moderointi/menetelmat/{pk}/")
    token = _csrf(moderator, page)
    decided = moderator.post(page + "julkaise/", data={"csrfmiddlewaretoken": token, "comment": ""},
                             headers={"Referer": page}, allow_redirects=False, timeout=30)
    published_at = time.monotonic()
    assert decided.status_code == 302, decided.text[:1000]

    # Server 2 at once: its page cache is the same Redis, whose version the publish moved.
    after = requests.get(cluster.url(2, search), timeout=30)
    assert f"{word} kahvila" in visible(after.text)
    # nginx may serve its copy until it expires: EDGE_CACHE_SECONDS at most.
    while True:
        edge = requests.get(cluster.url("nginx", search), timeout=30)
        if f"{word} kahvila" in visible(edge.text):
            break
        assert time.monotonic() - published_at <= EDGE_CACHE_SECONDS + 1.0, "the edge kept the old page too long"
        time.sleep(0.2)


def test_a_login_lock_counts_failures_on_both_servers(bank):
    cluster = bank["cluster"]
    # allauth: 5 failed log-ins per address (key) in 300 s. Three on server 1, two on server 2 ...
    for which in (1, 2, 1, 2, 1):
        _, failed = login(cluster, which, "locked@example.org", password="wrong-password-1")
        assert failed.status_code == 200 and "sessionid" not in failed.cookies
    # ... and the right password is refused on server 2 as well: the lock is shared.
    _, locked = login(cluster, 2, "locked@example.org")
    assert locked.status_code != 302
    assert "Liian monta virheellistä kirjautumisyritystä" in locked.text


def test_an_api_rate_limit_counts_across_both_servers(bank):
    cluster = bank["cluster"]
    # API_THROTTLE_ANON_RATE=8/min per client address (nginx's X-Forwarded-For, API_NUM_PROXIES=1).
    headers = {"X-Forwarded-For": "203.0.113.22"}
    codes = [requests.get(cluster.url(1 + i % 2, "/api/v1/themes"), headers=headers, timeout=20).status_code
             for i in range(8)]
    assert codes == [200] * 8
    assert requests.get(cluster.url(1, "/api/v1/themes"), headers=headers, timeout=20).status_code == 429
    assert requests.get(cluster.url(2, "/api/v1/themes"), headers=headers, timeout=20).status_code == 429
    # Another client is not affected.
    other = requests.get(cluster.url(2, "/api/v1/themes"), headers={"X-Forwarded-For": "203.0.113.23"}, timeout=20)
    assert other.status_code == 200


def test_an_idempotency_key_retry_on_the_other_server_replays_the_answer(bank):
    cluster = bank["cluster"]
    key = str(uuid.uuid4())
    title = "Uusintakoe " + secrets.token_hex(3)
    first = create_entry(bank, 1, title, key=key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    again = create_entry(bank, 2, title, key=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert cluster.sql("SELECT count(*) FROM catalog_practice WHERE title = %s", title) == [(1,)]


BUILD_TEN = """
from django.db import transaction
from methodbank.accounts.models import User
from methodbank.reports.models import ReportDefinition
from methodbank.reports.services import report_build_request
definition = ReportDefinition.objects.get(slug="zoomi-2020")
by = User.objects.get(username="moderator")
with transaction.atomic():  # one commit: the ten tasks become visible to both workers at once
    print(",".join(str(report_build_request(definition=definition, fmt="html", by=by).pk) for _ in range(10)))
"""


def test_ten_report_builds_queued_at_once_are_built_once_each_by_two_workers(bank):
    cluster = bank["cluster"]
    ids = [int(x) for x in cluster.manage(code=BUILD_TEN).strip().splitlines()[-1].split(",")]
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        rows = cluster.sql("SELECT id, status, attempts, file FROM reports_reportbuild WHERE id = ANY(%s)", ids)
        if all(r[1] in ("done", "failed") for r in rows):
            break
        time.sleep(1)
    assert sorted(rows) == sorted(rows) and len(rows) == 10
    assert {r[1] for r in rows} == {"done"}, rows
    assert {r[2] for r in rows} == {1}, "a build ran more than once"
    files = cluster.bucket_objects()
    assert all(r[3] in files and files[r[3]].lstrip().startswith(b"<!DOCTYPE") for r in rows)
    tasks = cluster.sql(
        "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s", "%run_report_build"
    )
    built = [t[2]["args"][0] for t in tasks if t[2]["args"][0] in ids]
    assert sorted(built) == sorted(ids), "each build queued exactly one task"
    assert all(t[0] == "SUCCESSFUL" and len(t[1]) == 1 for t in tasks if t[2]["args"][0] in ids), tasks


def test_stopping_an_app_server_mid_load_loses_no_get_and_no_write(bank):
    cluster = bank["cluster"]
    stop = threading.Event()
    failures, gets, writes = [], [0], []
    lock = threading.Lock()

    def reader(n):
        i = 0
        with requests.Session() as s:
            while not stop.is_set():
                i += 1
                # A new URL every time: the request goes past nginx's cache to an app server.
                r = s.get(cluster.url("nginx", f"/fi/haku/?q=ohjaus&r={n}-{i}"), timeout=30)
                with lock:
                    gets[0] += 1
                    if r.status_code != 200:
                        failures.append(("GET", r.status_code))

    prefix = "Kuormakoe " + secrets.token_hex(3)

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            key, title = str(uuid.uuid4()), f"{prefix} {n}"
            # A client that gets no answer retries with the same key (nginx does not resend a
            # POST that reached a server that then died).
            status, pk = None, None
            for _attempt in range(10):
                try:
                    r = create_entry(bank, "nginx", title, key=key)
                except requests.RequestException:
                    time.sleep(0.3)
                    continue
                status = r.status_code
                if status in (502, 503, 504, 409):
                    time.sleep(0.3)
                    continue
                pk = r.json().get("id") if status == 201 else None
                break
            with lock:
                writes.append((title, status, pk))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)] + [threading.Thread(target=writer)]
    for t in threads:
        t.start()
    try:
        time.sleep(3)
        cluster.stop_app(2)  # SIGKILL to the whole server: requests in flight die with it
        time.sleep(5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
        cluster.start_app(2)
    assert gets[0] > 20 and len(writes) > 3
    # The stop really hit the load: nginx saw server 2 die under a request or refuse a connection,
    # and passed those GETs to server 1.
    nginx_errors = (cluster.logs / "nginx-error.log").read_text()
    assert "prematurely closed" in nginx_errors or "Connection refused" in nginx_errors
    assert failures == []
    assert all(code == 201 for _, code, _ in writes), writes
    stored = cluster.sql("SELECT title, id FROM catalog_practice WHERE title LIKE %s", prefix + " %")
    assert sorted(stored) == sorted((title, pk) for title, _, pk in writes), "a write was lost or doubled"
