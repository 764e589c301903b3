# Task runner. Every target creates the virtualenv first if it is missing, so a clean clone needs nothing else.
VENV := .venv
PY := $(VENV)/bin/python
BEHAVE := $(VENV)/bin/behave

.PHONY: smoke acceptance parallel test platform report gate signoff lint bench fuzz clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[platform,dev]'
	touch $@

smoke: $(VENV)/.installed          ## the smoke suite against the embedded platform
	$(BEHAVE) --tags=@smoke

acceptance: $(VENV)/.installed     ## the whole acceptance suite against the embedded platform
	$(BEHAVE)

parallel: $(VENV)/.installed       ## the whole suite in 2 workers, each with its own embedded platform
	$(PY) tools/parallel_behave.py --workers 2 --format=progress

test:                              ## everything CI runs: lint, pytest, full acceptance suite, reports, gate
	bash .ci/run

platform: $(VENV)/.installed       ## start the reference platform on loopback (Ctrl-C stops it)
	$(PY) -m services

report: $(VENV)/.installed         ## HTML report from allure-results
	$(PY) -m signoff report

gate: $(VENV)/.installed           ## the release quality gate
	$(PY) -m signoff gate

signoff: $(VENV)/.installed        ## the sign-off record (config/signoff.yaml)
	$(PY) -m signoff record

fuzz: $(VENV)/.installed           ## Schemathesis on each service's own document (ENV=local, SECONDS=120)
	$(PY) -m support.runner.fuzz --env $(or $(ENV),local) --seconds $(or $(SECONDS),120)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed          ## speed figures of the reference platform
	$(PY) benchmarks/run_all.py

clean:
	rm -rf allure-results reports logs .data
