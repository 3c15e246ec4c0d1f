# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make run   - the product with demo data on http://127.0.0.1:8000 (PORT overrides), jobs running
#   make test  - lint, then the whole test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint bench messages translations install clean worker

$(STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	@touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(PY) manage.py compile_translations

run: $(STAMP) translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
# Links in e-mails follow the port the demo runs on, unless SITE_URL is set.
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
	  $(BIN)/honcho start -f Procfile.dev

worker: $(STAMP)
	$(BIN)/celery -A config worker -B --loglevel=INFO --concurrency=2

lint: $(STAMP) translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compile_translations --check
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=lint-only-$$(date +%s)-secret-value-long-enough-to-pass-the-entropy-check-0123456789 \
	  ALLOWED_HOSTS=lms.example.org EMAIL_URL=smtp+tls://mail.example.org:587 SITE_URL=https://lms.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) translations
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null) || echo "wrk is not installed (apt-get install wrk): the FALLBACK standard-library client will run"
	$(PY) bench/run.py $(BENCH_ARGS)

messages: $(STAMP)
	$(PY) manage.py makemessages -l ar -l en --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles
	$(PY) manage.py compile_translations

clean:
	rm -rf $(VENV) var staticfiles
