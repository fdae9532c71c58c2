"""Production serving: the secret key rule, `check --deploy` with the documented environment, `make serve`."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.markup import parse

ROOT = Path(__file__).resolve().parent.parent


def production_environment():
    """production.env.example (README's production environment) with a fresh secret key."""
    values = {}
    for line in (ROOT / "production.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return {**values, "SECRET_KEY": secrets.token_urlsafe(50)}


def clean_environment(**extra):
    # The test run sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright (tests/conftest.py); a server never does.
    names = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", *production_environment()}
    return {**{k: v for k, v in os.environ.items() if k not in names}, **extra}


def run_python(code, env):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_app_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run_python("import tcdash.wsgi", clean_environment(DEBUG="0"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set. Serving with DEBUG off needs a secret key of your own" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_the_app_starts_with_a_secret_key_or_with_debug_on():
    assert run_python("import tcdash.wsgi", clean_environment(DEBUG="0", SECRET_KEY="x" * 50)).returncode == 0
    assert run_python("import tcdash.wsgi", clean_environment(DEBUG="1")).returncode == 0


def test_check_deploy_is_clean_with_the_documented_production_environment():
    env = clean_environment(**production_environment())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced)."), (
        result.stderr
    )


def test_check_deploy_names_what_is_missing_without_that_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=clean_environment(DEBUG="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    for code in ["security.W004", "security.W008", "security.W009", "security.W012", "security.W016"]:
        assert code in result.stderr + result.stdout


def test_https_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)"
    )
    env = clean_environment(**production_environment(), DJANGO_SETTINGS_MODULE="tcdash.settings")
    assert run_python(code, env).stdout.strip() == (
        "31536000 True True True True True ('HTTP_X_FORWARDED_PROTO', 'https') ['https://tcdash.example.org']"
    )
    env = clean_environment(DJANGO_SETTINGS_MODULE="tcdash.settings")
    assert run_python(code, env).stdout.strip() == "0 False False False False False None []"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own local server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own local server
        return response.status, response.headers, response.read()


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="once, on SQLite")
@pytest.mark.cost(9)
def test_make_serve_serves_the_real_data_with_every_header(tmp_path, request):
    port = _free_port()
    env = clean_environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3",
        # The checkout's own staticfiles/ is left as it was. The files are collected where the last run
        # left them, as on a server started again: compressed once (funding.static_storage), not each run.
        STATIC_ROOT=str(request.config.cache.mkdir("make-serve-static")),
        PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        MAKEFLAGS="",
    )
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        ["make", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 150
        while True:
            try:
                status, _, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "make serve did not answer in time"
                time.sleep(0.1)
        assert (status, body) == (200, b'{"status": "ok", "checks": {"database": "ok", "cache": "ok"}}')

        status, headers, body = _get(f"{base}/")
        html = body.decode()
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Permissions-Policy"].startswith("accelerometer=()")
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "112,930" in html  # the printed 1995 total, from the real data
        # SECURE_PROXY_SSL_HEADER is unset: a client's X-Forwarded-Proto changes no address the page
        # prints (gunicorn trusted it from 127.0.0.1 and made the request https).
        _, _, forwarded = _get(f"{base}/expenditure/?from=1993", headers={"X-Forwarded-Proto": "https"})
        [again] = parse(forwarded.decode()).xpath('//p[@class="print-cover__url"]')
        assert again.text_content().split()[-1] == f"{base}/expenditure/?from=1993"
        # DEBUG is off: static files have hashed names, and WhiteNoise serves them for a year.
        [plotly] = [src for src in parse(html).xpath("//script/@src") if src.startswith("/static/vendor/plotly")]
        assert re.fullmatch(r"/static/vendor/plotly.*\.[0-9a-f]{12}\.js", plotly)  # hashed
        status, headers, _ = _get(f"{base}{plotly}")
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"]
        with pytest.raises(urllib.error.HTTPError) as error:
            _get(f"{base}/no-such-page/")
        assert error.value.code == 404
        assert b"Traceback" not in error.value.read()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    log.seek(0)
    access = log.read()
    # gunicorn's access log, on stdout: one line per request.
    assert '"GET /healthz HTTP/1.1" 200' in access
    assert '"GET / HTTP/1.1" 200' in access


SERVER_AFTER_A_DATABASE_RESTART = """
import io, sys
import django
django.setup()
import psycopg2
from django.db import connection
from tcdash.wsgi import application

def get(path):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": "sessionid=signed-in",
               "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
    seen = []
    body = application(environ, lambda status, headers, exc_info=None: seen.append(status))
    b"".join(body)
    body.close()  # as gunicorn does: Django's request_finished
    return seen[0].split()[0]

first = get("/releases/")
pid = connection.connection.get_backend_pid()  # the connection the thread keeps (CONN_MAX_AGE)
other = psycopg2.connect(**connection.get_connection_params())
other.autocommit = True
other.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])  # as a restart of PostgreSQL does
print(first, get("/releases/"), get("/releases/"))
"""


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3", reason="a server's")
def test_a_request_after_the_database_restarted_is_answered_not_a_500(db):
    # A connection kept between requests (CONN_MAX_AGE) and closed by a restart of PostgreSQL was used
    # as it was: each worker thread's next request that Django handled (an editor's, a form) was a 500.
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    done = run_python(SERVER_AFTER_A_DATABASE_RESTART, clean_environment(DATABASE_URL=url, DEBUG="1"))
    assert done.stdout.split() == ["200", "200", "200"], done.stderr[-2000:]
