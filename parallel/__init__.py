"""The parallel runner behind tools/parallel_behave.py: scenarios shared out over behave workers, each with its
own managed platform (or the same deployment), with time limits, live progress, retries, repeated shuffled
runs (stability) and shards that merge into one report.

plan.py       which scenarios, in which worker or shard (balanced by the last run's durations)
timings.py    the last run's seconds per scenario (reports/timings.json)
workers.py    one behave process group per worker: start, time limit, kill with its platform, clean up
feed.py       the Allure results as they appear: what finished, with which outcome
progress.py   one line per finished scenario, counts, time left
unfinished.py Allure results for scenarios a killed or crashed worker never reported
session.py    one or more runs of the plan; what each scenario did in each (flaky, failed, unfinished)
record.py     run.json (machine-readable run record) and the run facts in environment.properties
merge.py      shards' results and records into one
cli.py        the command line
"""
