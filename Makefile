# Task runner. Every target creates the virtualenv first if it is missing (tools/bootstrap.sh: uv when it can
# be had, else pip; a no-op once installed), so a clean clone needs nothing else.
VENV := .venv
PY := $(VENV)/bin/python
BEHAVE := $(VENV)/bin/behave
RUNS ?= 20
SEED ?= random
WORKERS ?= 2

.PHONY: venv smoke acceptance parallel stability test platform report gate signoff lint bench fuzz load load-full clean

venv:                              ## the virtualenv (.venv) and the report's node_modules, once
	@bash tools/bootstrap.sh

smoke: venv                        ## the smoke suite against the embedded platform
	$(BEHAVE) --tags=@smoke

acceptance: venv                   ## the whole acceptance suite against the embedded platform
	$(BEHAVE)

parallel: venv                     ## the whole suite in $(WORKERS) workers, each with its own embedded platform
	$(PY) tools/parallel_behave.py --workers $(WORKERS)

stability: venv                    ## RUNS shuffled full runs (SEED=random|N); flaky scenarios listed and in the report
	$(PY) tools/parallel_behave.py --workers $(WORKERS) --repeat $(RUNS) --shuffle $(SEED)

test:                              ## everything CI runs: lint, pytest, full acceptance suite, reports, gate
	bash .ci/run

bites: venv                        ## every bite case (118: a platform broken on purpose per case; ~25 min here); junit for the gate
	mkdir -p reports/pytest
	$(PY) -m pytest tests/bites -p no:randomly -n auto --dist loadgroup --junitxml=reports/pytest/junit.xml

platform: venv                     ## start the reference platform on loopback (Ctrl-C stops it)
	$(PY) -m services

report: venv                       ## HTML report from allure-results
	$(PY) -m signoff report

gate: venv                         ## the release quality gate
	$(PY) -m signoff gate

signoff: venv                      ## the sign-off record (config/signoff.yaml)
	$(PY) -m signoff record

fuzz: venv                         ## Schemathesis on each service's own document (ENV=local, SECONDS=120)
	$(PY) -m support.runner.fuzz --env $(or $(ENV),local) --seconds $(or $(SECONDS),120)

load: venv                         ## the short load profiles (@load and @short, ~90 s), Allure results in reports/load-results
	$(BEHAVE) --tags="@load and @short" -f allure_behave.formatter:AllureFormatter -o reports/load-results -f plain features/performance

load-full: venv                    ## every load profile: short, spike, the hour-long soak (release only)
	$(BEHAVE) --tags=@load -f allure_behave.formatter:AllureFormatter -o reports/load-results -f plain features/performance

lint: venv
	$(VENV)/bin/ruff check .

bench: venv                        ## speed figures of the reference platform
	$(PY) benchmarks/run_all.py

clean:
	rm -rf allure-results reports logs .data
