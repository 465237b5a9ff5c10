"""The documented production set-up starts: collectstatic with the manifest storage, then
gunicorn with gunicorn.conf.py, DEBUG off, serving the sign-in page and a static file with the
security headers. Everything runs in subprocesses, as in docker-compose."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "production-test-key-" + "k3y" * 15


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else ""
    )
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "picsweb.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "PICSWEB_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        **({"DATABASE_URL": url} if url else {}),
    }
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn_site(tmp_path: Path) -> Iterator[str]:
    env = production_env(tmp_path)
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert collect.returncode == 0, collect.stderr[-2000:]
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()[-3000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def _assert_security_headers(headers: dict[str, str]) -> None:
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_it_serves_the_sign_in_page_and_static_files_with_debug_off(gunicorn_site):
    status, headers, body = _get(gunicorn_site + "/accounts/login/")
    assert status == 200, body[-2000:]
    assert b"Sign in" in body
    _assert_security_headers(headers)
    assert headers["X-Frame-Options"] == "DENY"

    css = re.search(
        rb'href="(/static/vendor/govuk-frontend/govuk-frontend\.min\.[0-9a-f]+\.css)"', body
    )
    assert css, "the page links the hashed (manifest) CSS"
    status, headers, _ = _get(gunicorn_site + css.group(1).decode())
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    _assert_security_headers(headers)
    assert "immutable" in headers["Cache-Control"]


@pytest.mark.django_db
def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db
def test_it_passes_check_deploy_with_the_production_settings(tmp_path):
    result = _check_deploy(
        production_env(tmp_path, BEHIND_TLS_PROXY="true", EMAIL_HOST="mail.example.org")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.django_db
def test_check_deploy_warns_when_emails_would_be_written_to_the_log(tmp_path):
    result = _check_deploy(production_env(tmp_path, BEHIND_TLS_PROXY="true"))
    assert result.returncode != 0
    assert "picsweb.W001" in result.stderr + result.stdout
    assert "Set EMAIL_HOST" in result.stderr + result.stdout


def _start_slow_upload(base: str, length: int, path: str = "/payments/import/") -> socket.socket:
    """An upload whose client has sent only its headers and first bytes."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    start = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {length}\r\n"
        f"Cookie: csrftoken={'a' * 32}\r\n"  # so the CSRF check reads the body for its token
    )
    sock.sendall((start + "\r\n--b\r\n").encode())
    return sock


@pytest.mark.django_db
def test_it_refuses_an_oversize_upload_without_reading_it(gunicorn_site):
    sock = _start_slow_upload(gunicorn_site, 500 * 1024 * 1024)
    try:
        answer = sock.recv(4096)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.django_db
def test_slow_uploads_do_not_starve_the_sign_in_page(gunicorn_site):
    """More slow 40 MB bodies than gunicorn has worker processes, each being read (sync
    workers would all be held): the sign-in page still answers at once."""
    bodies = [
        _start_slow_upload(gunicorn_site, 40 * 1024 * 1024, path="/accounts/login/")
        for _ in range(4)
    ]
    try:
        time.sleep(1)  # each body is being read, waiting for the rest
        started = time.monotonic()
        status, _, body = _get(gunicorn_site + "/accounts/login/")
        assert status == 200, body[-500:]
        assert time.monotonic() - started < 5
    finally:
        for sock in bodies:
            sock.close()


def test_docker_compose_has_no_usable_default_secret_key():
    """Each SECRET_KEY in docker-compose.yml must come from the environment, refusing to
    start without it (``${SECRET_KEY:?...}``), never a value a deployment could keep."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    values = re.findall(r"^\s*-?\s*SECRET_KEY\s*[:=]\s*(.+)$", text, flags=re.MULTILINE)
    assert values, "docker-compose.yml sets no SECRET_KEY"
    for value in values:
        assert re.fullmatch(r"""["']?\$\{SECRET_KEY:\?[^}]*\}["']?""", value.strip()), value
