# tcdash: `make run` serves the dashboard with the real data; `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make serve: the address gunicorn listens on, its worker processes (one per core, plus one) and
# threads per worker; each may come from the environment.
HOST ?= 127.0.0.1
WEB_CONCURRENCY ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
GUNICORN_THREADS ?= 4
FILE ?=

.PHONY: run serve test lint format bench chromium redis gettext messages translations poppler libreoffice backup restore

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

# plotly.js's basic bundle from the npm registry, at the version package.json pins (never committed).
node_modules/.installed: package.json
	npm install --no-package-lock --no-audit --no-fund --silent
	touch $@

run: $(VENV)/.installed node_modules/.installed messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_ilo_data --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "tcdash: http://127.0.0.1:$(PORT)/"
	@echo "To create the first editor (who may upload and publish figures):"
	@echo "  $(PY) manage.py create_editor USERNAME"
	@echo ""
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn with DEBUG off, static files from WhiteNoise, access log on stdout.
# Needs SECRET_KEY (and, behind HTTPS, the variables in README's Production section).
# --forwarded-allow-ips="": gunicorn trusts no client's X-Forwarded-Proto (nor its other forwarded
# headers) itself; by default it trusts 127.0.0.1's, so a local client could make a request https
# with SECURE_PROXY_SSL_HEADER unset. Django's SECURE_PROXY_SSL_HEADER alone decides.
serve: $(VENV)/.installed node_modules/.installed messages
	@out=$$(DEBUG=0 $(PY) -c "import tcdash.wsgi" 2>&1) || { echo "$$out" | tail -n 3 >&2; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_ilo_data --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	exec env DEBUG=0 $(VENV)/bin/gunicorn tcdash.wsgi --bind $(HOST):$(PORT) \
	  --workers $(WEB_CONCURRENCY) --threads $(GUNICORN_THREADS) --preload --forwarded-allow-ips="" \
	  --access-logfile - --error-logfile - --timeout 60 --graceful-timeout 20 --no-control-socket

# The whole database to a file (pg_dump -Fc on PostgreSQL, SQLite's online backup), and back.
backup: $(VENV)/.installed
	$(PY) manage.py backup_database $(FILE)

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/tcdash-....dump" >&2; exit 1; }
	$(PY) manage.py restore_database $(FILE)

# Browser tests drive Debian's Chromium; install it when missing (needs root, as on CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

# The briefing pack's tests read the PDF back with poppler's pdftotext and pdftoppm.
poppler:
	@command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "The PDF tests need poppler-utils: sudo apt-get install -y poppler-utils" >&2; exit 1; fi; }

# The French and Spanish pages need GNU gettext's msgfmt (and xgettext, to check the catalogues).
gettext:
	@command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	  else echo "Translations need GNU gettext: sudo apt-get install -y gettext" >&2; exit 1; fi; }

# locale/*/LC_MESSAGES/django.po -> .mo (not committed: always compiled from the .po).
messages: $(VENV)/.installed gettext
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# After changing a user-facing string: update the catalogues, translate, then `make messages`.
translations: $(VENV)/.installed gettext
	$(PY) manage.py makemessages --locale=fr --locale=es --add-location=file --ignore=.venv --ignore=bench --verbosity 0

# The cache tests talk to a real Redis on 127.0.0.1:6379; start it (installing it as root) when it is down.
REDIS_START := redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
	--dir /tmp --logfile /tmp/tcdash-redis.log
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; \
	    else echo "The cache tests need Redis: sudo apt-get install -y redis-server" >&2; exit 1; fi; }; \
	  $(REDIS_START) && for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done; }

# The comma-decimal CSV (dialect=excel-fr) is tested by opening it in LibreOffice Calc; install when missing.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; \
	  else echo "The LibreOffice test needs: sudo apt-get install -y libreoffice-calc-nogui" >&2; exit 1; fi; }

# PYTEST_ARGS: more for pytest, e.g. `--random-order-seed=N` (the tests in a random order, repeatable).
# PYTEST_WORKERS: processes running the tests (pytest-xdist), each with its own test database and a
# fixed share of the tests (tests/shares.py), so the same seed and workers repeat a run exactly;
# PYTEST_WORKERS=0 runs them in this process. Rewritten test modules are cached (__pycache__) even
# where PYTHONDONTWRITEBYTECODE is set: each worker would otherwise rewrite every one again.
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
test: $(VENV)/.installed node_modules/.installed chromium redis messages poppler libreoffice
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --shares) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed node_modules/.installed
	$(PY) bench/run.py $(if $(ROWS),--observations $(ROWS))
