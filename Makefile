# Brobyg: `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('requirements.lock','rb').read()).hexdigest()[:12])")
PYTEST_ARGS ?=

.PHONY: test-idps demo-idp messages-update install messages migrate demo run test test-fast test-clock lint format lock worker periodic

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) -m brobyg.lib.compilemessages

# Collect new or changed UI strings into locale/da/LC_MESSAGES/django.po (needs GNU gettext).
messages-update: install
	$(PY) manage.py makemessages -l da --ignore=.venv --ignore=staticfiles --no-obsolete

migrate: messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_instruments

# The demo runs as a real installation would look (DEBUG off: the site's own error pages), writes
# its e-mails and texts to files instead of the console, and prints the logins last, before the
# server.
DEMO_ENV := BROBYG_DEMO_MODE=1 DEBUG=0 BROBYG_EMAIL_DIR=var/demo-mail BROBYG_SMS_DIR=var/demo-sms
demo: migrate
	$(DEMO_ENV) LOG_LEVEL=WARNING $(PY) manage.py seed_demo
	$(DEMO_ENV) LOG_LEVEL=WARNING $(PY) manage.py run_periodic_jobs
	$(DEMO_ENV) $(PY) manage.py demo_logins
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

run: migrate
	$(PY) manage.py runserver 127.0.0.1:8000

worker: migrate
	$(PY) manage.py db_worker

periodic: install
	$(PY) manage.py run_periodic_jobs

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint messages
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# The identity providers the single sign-on tests start (npm `oidc-provider`), installed into the
# git-ignored var/test-idps from the npm registry npm is configured with. The tests run this
# themselves when it is missing, and skip with the reason when Node.js is not installed.
test-idps:
	mkdir -p var/test-idps
	cp brobyg/sso/tests/idp/package.json brobyg/sso/tests/idp/oidc_idp.mjs var/test-idps/
	cd var/test-idps && npm install --no-audit --no-fund --silent

# The demo's identity provider for Helsingør Kommune (brobyg/sso/demo.py), in a second terminal
# next to `make demo`: http://127.0.0.1:9400, accounts in brobyg/sso/demo_idp.json.
demo-idp: test-idps
	cp brobyg/sso/tests/idp/oidc_idp.mjs var/test-idps/
	IDP_PORT=9400 IDP_CONFIG="$$(cat brobyg/sso/demo_idp.json)" node var/test-idps/oidc_idp.mjs

# The same without the browser tests, for a quick local run.
test-fast:
	$(MAKE) test PYTEST_ARGS='-m "not browser"'

# The suite without the browser tests at hard clock moments (needs Debian's faketime), in
# Copenhagen time: half past midnight on the night the clocks go forward (a Sunday), half an hour
# before midnight on the night they go back, and half past midnight on New Year's Day (still the
# old year in UTC). No test may depend on the hour or the date.
# The clock is moved by an offset from the real time, the same for every process: faketime's
# "@moment" starts each process's clock at the moment when it starts, so a test identity provider
# started minutes into the run would lag the test workers by those minutes (and its assertions
# look expired to them).
# CI runs the browser tests at its moment too (`CLOCK_MARKERS=`): that is its one run on SQLite.
CLOCK_MOMENTS ?= 2027-03-28T00:30:00 2026-10-24T23:30:00 2027-01-01T00:30:00
CLOCK_MARKERS ?= not browser
test-clock: messages
	@for moment in $(CLOCK_MOMENTS); do \
	  echo "== tests at $$moment Europe/Copenhagen"; \
	  offset=$$(( $$(TZ=Europe/Copenhagen date -d "$$(echo $$moment | tr T ' ')" +%s) - $$(date +%s) )); \
	  TZ=Europe/Copenhagen faketime -f "$$(printf '%+d' $$offset)" \
	    $(PY) -m pytest -n auto -q $(if $(CLOCK_MARKERS),-m "$(CLOCK_MARKERS)") $(PYTEST_ARGS) || exit 1; \
	done

# Re-pin requirements.lock after changing pyproject.toml (needs uv: `pip install uv`).
lock:
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock
