# tcdash: `make run` serves the dashboard with the real data; `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format bench chromium

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_ilo_data --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "tcdash: http://127.0.0.1:$(PORT)/"
	@echo "To create the first editor (who may upload and publish figures):"
	@echo "  $(PY) manage.py create_editor USERNAME"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium; install it when missing (needs root, as on CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

test: $(VENV)/.installed chromium
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed
	$(PY) bench/run.py
