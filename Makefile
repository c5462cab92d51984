# Two commands: `make run` serves the site with demo content, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint checks test-tools messages bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The demo set is loaded once; the accounts' passwords are kept in var/demo-accounts.txt and
# printed, and their login lockouts cleared, on every run.
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_demo
	DEBUG=1 TWO_FACTOR_REQUIRED=0 $(BIN)/python manage.py runserver 127.0.0.1:8000

# docs/screenshots/ from a scratch copy of the demo set, in chromium (Playwright).
screenshots: $(VENV)/.installed-dev
	$(BIN)/python demo/screenshots.py

# The suite over two processes (this machine has two cores): docs/TESTING.md. pytest fails
# when it runs no test (exit code 5), and so does make.
PYTEST_WORKERS ?= 2
# Bytecode is written even where the environment turns it off: pytest keeps its rewritten test
# modules there, and collecting without them costs each worker about 6 s more.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# No model change without its migration; no string a reader sees without its translation.
checks: $(VENV)/.installed-dev test-tools
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python .ci/check_translations.py

test: lint test-tools checks
	$(PYTEST)

# The browser tests drive Debian's chromium, the HTML checker needs Java and the translation
# check GNU gettext: install them where we may (root on Debian), skip those tests where we
# may not.
test-tools:
	@if { [ ! -x /usr/bin/chromium ] || ! command -v java >/dev/null \
		|| ! command -v xgettext >/dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-cjk default-jre-headless gettext >/dev/null; \
	fi

# Refresh the Chinese translations after changing English strings (needs GNU gettext).
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --add-location file --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# The performance benchmark in one command: a PostgreSQL database with the full demo data
# set (made once), then the load, search and admin list benchmarks. Needs wrk (apt-get install wrk).
BENCH_DATABASE ?= lvxie_bench
BENCH_URL := postgres://postgres@127.0.0.1:5432/$(BENCH_DATABASE)
bench: $(VENV)/.installed-dev
	@psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname='$(BENCH_DATABASE)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres -E UTF8 -T template0 $(BENCH_DATABASE)
	DATABASE_URL=$(BENCH_URL) $(BIN)/python manage.py migrate --noinput -v0
	@if [ "$$(psql -h 127.0.0.1 -U postgres -d $(BENCH_DATABASE) -Atc 'select count(*) from news_article')" -lt 1000 ]; then \
		DATABASE_URL=$(BENCH_URL) $(BIN)/python manage.py generate_demo_data && \
		psql -h 127.0.0.1 -U postgres -d $(BENCH_DATABASE) -qc 'VACUUM ANALYZE'; \
	fi
	$(BIN)/python bench/load.py --rounds 3 --database-url $(BENCH_URL)
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/search.py --queries 15
	$(BIN)/python bench/admin_lists.py --database-url $(BENCH_URL)
