# The two commands: `make demo` runs the product, `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
# The first Python 3.12 that really runs (a pyenv shim may exist without 3.12 being selected).
PYTHON ?= $(shell for c in $(HOME)/.pyenv/versions/3.12*/bin/python3.12 python3.12 /usr/bin/python3.12; do \
  "$$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo "$$c"; break; }; done)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)

.PHONY: demo test test-postgres test-django52 chromium messages clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 is needed (python3.12 on PATH, or pyenv install 3.12)"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $@

demo: $(STAMP)
	$(VENV)/bin/maydan demo

test: $(STAMP) chromium
	$(VENV)/bin/python -m pytest

# The same suite on a real PostgreSQL: DATABASE_URL must point at a server (see .ci/run).
test-postgres: $(STAMP) chromium
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgres://…"; exit 1; }
	$(VENV)/bin/python -m pytest

# The suite (but the browser tests) on Django 5.2 LTS, the floor Open edX runs, in a venv of its own
# (`make test` installs the newest Django the package allows).
test-django52:
	@test -n "$(PYTHON)" || { echo "Python 3.12 is needed (python3.12 on PATH, or pyenv install 3.12)"; exit 1; }
	@test -x .venv-django52/bin/python || $(PYTHON) -m venv .venv-django52
	.venv-django52/bin/python -m pip install -q "Django>=5.2,<5.3" -e '.[test]'
	.venv-django52/bin/python -m pytest -m "not browser" -q

# Browser tests drive Debian's Chromium; the catalog test needs GNU gettext. Installed when missing and we may.
chromium:
	@test -x /usr/bin/chromium -a -x /usr/bin/msgfmt -a -n "$$(ls /usr/lib/*/libpangoft2-1.0.so.0 2>/dev/null)" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core gettext libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "Install Debian's chromium, gettext, libpango-1.0-0, libpangoft2-1.0-0 and fonts-noto-core packages for the tests."; exit 1; fi; }

# Refresh the Arabic catalog after changing user-facing strings, then compile it.
messages: $(STAMP)
	$(VENV)/bin/python manage.py makemessages -l ar --no-obsolete --add-location file --extension html,py \
	  -i '.venv*' -i 'var' -i 'tests' -i 'benchmarks' -i 'build' -i 'test-artifacts'
	@# msgmerge's guesses are often wrong: a guessed ("fuzzy") entry is emptied so it is translated afresh.
	for po in maydan/conf/locale/ar/LC_MESSAGES/django.po lti_tool/locale/ar/LC_MESSAGES/django.po; do \
	  msgattrib --clear-fuzzy --clear-previous --empty -o $$po $$po; done
	$(VENV)/bin/python manage.py compilemessages -l ar --ignore '.venv'

clean:
	rm -rf $(VENV) .venv-django52 var test-artifacts
