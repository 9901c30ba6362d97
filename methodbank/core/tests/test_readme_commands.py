"""A newcomer's first hour (issue 20): every command block of the README works exactly as written in a
fresh clone with none of the bank's environment variables set, and a bank served on another port
never names port 8000 in its links.

Both tests clone the current HEAD into a temporary directory and reuse this checkout's ``.venv`` and
``node_modules`` through symlinks, so nothing is installed again (``scripts/bootstrap.sh`` skips pip
while pyproject.toml is unchanged; ``./test.sh`` has just run it). They take minutes: marked
``slow``, so ``-m "not slow"`` skips them locally; ``./test.sh`` runs them (in its SQLite pass only:
the clone uses its own SQLite file whatever the suite's database is).
"""

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.slow]

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"
PASSWORD = "Ensimmainen-koordinaattori-2026"
# ./test.sh inside the clone runs one quick test: the whole suite would run this test again.
TEST_SH_ARGS = ["e2e/test_accessibility.py", "-k", "test_inventory_covers_every_url", "-q"]


def _skip_unless_ready():
    if not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"):
        pytest.skip("runs once, in the SQLite pass of ./test.sh (the clone has its own SQLite database)")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout")
    stamp = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    if not (ROOT / ".venv" / f".installed-{stamp}-test").exists():
        pytest.skip("run scripts/bootstrap.sh --test first: the clone shares this .venv and must not reinstall it")


def _clean_env(**extra):
    """The environment of a newcomer's shell: none of the bank's variables."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "USER", "LANG", "TERM") if key in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra)
    return env


def _fresh_clone(tmp_path) -> Path:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    clone = tmp_path / "menetelmapankki"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", "--detach", head], check=True)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    assert not (clone / ".env").exists()
    return clone


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _get(url, timeout=30):
    request = urllib.request.Request(url, headers={"Accept-Language": "fi"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


class Server:
    """./run.sh in the background: set up, import, serve. Stopped (with its worker) on exit."""

    def __init__(self, clone, env, port, log):
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            ["./run.sh"], cwd=clone, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_it_answers(self, limit=900):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"./run.sh stopped ({self.process.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                status, _body = _get(f"http://127.0.0.1:{self.port}/fi/", timeout=10)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(2)
        pytest.fail(f"./run.sh did not answer in {limit} s:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def readme_blocks() -> list[str]:
    """Every ```sh block of the README, in order."""
    return re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def _commands(block: str) -> list[str]:
    """The block's commands: continuation lines joined, comment-only lines dropped."""
    joined = block.replace("\\\n", " ")
    return [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_documents_the_first_coordinator_and_the_local_env():
    text = README.read_text(encoding="utf-8")
    assert "manage.py create_coordinator" in text
    assert ".env" in text and "SITE_URL" in text and "xlsx" in text.lower()


def test_every_readme_command_block_works_in_a_fresh_clone(tmp_path):
    _skip_unless_ready()
    clone = _fresh_clone(tmp_path)
    env = _clean_env(
        # ./test.sh's PostgreSQL pass needs a database name of its own (pytest adds "test_").
        TEST_PG_URL=os.environ.get("README_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/menetelmapankki_readme"),
    )
    port = 8000 if _port_free(8000) else _free_port()
    if port != 8000:
        env["PORT"] = str(port)  # someone else serves on 8000 on this machine
    ran, failures = [], []
    for block in readme_blocks():
        for command in _commands(block):
            name = command.split("#")[0].strip()
            ran.append(name)
            if name == "./run.sh":
                server = Server(clone, env, port, tmp_path / "run.log")
                try:
                    server.wait_until_it_answers()
                    assert _get(f"http://127.0.0.1:{port}/api/v1/")[0] == 200
                finally:
                    server.stop()
                continue
            argv = command
            if name == "./test.sh":
                argv = "./test.sh " + " ".join(TEST_SH_ARGS)
            result = subprocess.run(
                ["bash", "-o", "pipefail", "-c", argv], cwd=clone, env=env, input=PASSWORD + "\n",
                capture_output=True, text=True, timeout=1800,
            )
            if result.returncode != 0:
                failures.append((command, (result.stdout + result.stderr)[-2500:]))
    # The set-up wrote the local settings: DEBUG, a generated key, the address it serves.
    dotenv = (clone / ".env").read_text()
    assert "DEBUG=true" in dotenv and re.search(r"^SECRET_KEY=\S{40,}$", dotenv, re.M)
    assert f"SITE_URL=http://127.0.0.1:{port}" in dotenv
    assert subprocess.run(["git", "-C", str(clone), "check-ignore", "-q", ".env"]).returncode == 0
    # The set-up never overwrites it.
    subprocess.run(["scripts/bootstrap.sh"], cwd=clone, env=_clean_env(PORT="8123"), capture_output=True,
                   check=True, timeout=600)
    assert (clone / ".env").read_text() == dotenv
    assert "./run.sh" in ran and "./test.sh" in ran and any("create_coordinator" in c for c in ran)
    # The first coordinator can sign in at once.
    check = subprocess.run(
        [".venv/bin/python", "manage.py", "shell", "-c",
         "from allauth.account.models import EmailAddress as E; from django.contrib.auth import authenticate; "
         "u = authenticate(username='koordinaattori@example.org', password='" + PASSWORD + "'); "
         "print(bool(u), u.is_staff, u.groups.filter(name='coordinator').exists(), "
         "E.objects.filter(user=u, verified=True, primary=True).exists())"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=300,
    )
    assert check.stdout.strip().splitlines()[-1] == "True True True True", check.stdout + check.stderr
    assert not failures, "README commands that failed:\n\n" + "\n\n".join(f"$ {c}\n{out}" for c, out in failures)


def test_a_bank_served_on_another_port_never_names_port_8000(tmp_path):
    _skip_unless_ready()
    clone = _fresh_clone(tmp_path)
    port = _free_port()
    env = _clean_env(PORT=str(port))
    server = Server(clone, env, port, tmp_path / "run.log")
    try:
        server.wait_until_it_answers()
        base = f"http://127.0.0.1:{port}"
        _status, page = _get(f"{base}/fi/")
        hreflang = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', page.decode())
        assert hreflang and all(link.startswith(base + "/") for link in hreflang), hreflang
        _status, csv_bytes = _get(f"{base}/api/dumps/entries.csv")
        text = csv_bytes.decode("utf-8-sig")
        urls = re.findall(r"https?://127\.0\.0\.1:\d+/[^,\"\s]*", text)
        assert len(urls) > 200 and all(u.startswith(base + "/") for u in urls)
        for body in (page, csv_bytes, _get(f"{base}/api/dumps/entries.json")[1], _get(f"{base}/api/v1/")[1]):
            assert b":8000" not in body
    finally:
        server.stop()
    # The report built from the command line names the same address (the set-up wrote it to .env).
    out = tmp_path / "zoomi-2020.html"
    result = subprocess.run(
        [".venv/bin/python", "manage.py", "build_report", "--definition", "zoomi-2020", "--format", "html",
         "--out", str(out)], cwd=clone, env=_clean_env(), capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = out.read_text(encoding="utf-8")
    links = re.findall(r'href="(http://127\.0\.0\.1:\d+/[^"]*)"', report)
    assert len(links) > 200 and all(link.startswith(f"http://127.0.0.1:{port}/") for link in links)
    assert ":8000" not in report
