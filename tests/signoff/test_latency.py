"""Latency budgets: percentiles, judgements per route, the gate criterion and the sign-off table (no services)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signoff.gate import Criterion, evaluate, load_gate
from signoff.latency import Judgement, LatencyBudgets, build_table, load_latency, percentile
from signoff.render import latency_html
from tests.signoff.conftest import ROOT

BUDGETS = LatencyBudgets(read_p95_ms=300, write_p95_ms=500, min_samples=20,
                         routes={"identity POST /api/v1/auth/token": 1500})


def _criterion(**options: object) -> Criterion:
    return Criterion("latency", "latency_budget", "budgets", dict(options))


def _judge(samples: dict[str, list[float]], **options: object) -> tuple[bool, str, tuple[str, ...]]:
    table = build_table(samples, BUDGETS, environment="local")
    result = evaluate([_criterion(**options)], (), (), latency=lambda _c: table).results[0]
    return result.passed, result.summary, result.offenders


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)) == (50, 95, 99)
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_reads_writes_and_a_route_of_its_own_have_their_budgets() -> None:
    table = build_table({"sales GET /api/v1/deals/{id}": [10.0] * 19 + [400.0],
                         "sales POST /api/v1/deals": [450.0] * 20,
                         "identity POST /api/v1/auth/token": [1200.0] * 20}, BUDGETS)
    rows = {row.key: row for row in table.rows}
    read, write, sign_in = (rows["sales GET /api/v1/deals/{id}"], rows["sales POST /api/v1/deals"],
                            rows["identity POST /api/v1/auth/token"])
    assert (read.budget_ms, read.budget_from, read.p95, read.judgement) == (300, "reads", 10.0, Judgement.WITHIN)
    assert (write.budget_ms, write.budget_from, write.judgement) == (500, "writes", Judgement.WITHIN)
    assert (sign_in.budget_ms, sign_in.budget_from, sign_in.judgement) == (1500, "route", Judgement.WITHIN)
    assert read.p99 == 400.0


def test_the_slowest_route_against_its_budget_comes_first() -> None:
    table = build_table({"sales GET /api/v1/deals": [100.0] * 20, "sales POST /api/v1/deals": [600.0] * 20}, BUDGETS)
    assert [row.judgement for row in table.rows] == [Judgement.OVER, Judgement.WITHIN]
    assert table.rows[0].line() == "sales POST /api/v1/deals: p95 600 ms of 500 ms (writes), n 20: over"


def test_too_few_answers_cannot_be_judged_and_say_so() -> None:
    row = build_table({"sales GET /api/v1/clients": [5.0] * 3}, BUDGETS).rows[0]
    assert row.judgement == Judgement.NOT_JUDGED
    assert "cannot judge, 3 answer(s) of the 20 needed" in row.line()


def test_gate_passes_when_every_route_is_within_budget() -> None:
    passed, detail, offenders = _judge({"sales GET /api/v1/deals": [20.0] * 25})
    assert passed and offenders == ()
    assert detail.startswith("1 of 1 routes within budget at p95, 0 over")


def test_gate_fails_a_route_over_budget_and_names_it() -> None:
    passed, _, offenders = _judge({"sales GET /api/v1/deals": [20.0] * 25, "sales POST /api/v1/deals": [900.0] * 25})
    assert not passed
    assert offenders == ("over budget sales POST /api/v1/deals: p95 900 ms of 500 ms (writes), n 25: over",)


def test_a_route_that_cannot_be_judged_fails_the_gate_unless_the_criterion_allows_it() -> None:
    samples = {"sales GET /api/v1/deals": [20.0] * 25, "sales GET /api/v1/clients": [20.0] * 2}
    passed, detail, offenders = _judge(samples)
    assert not passed and "which fails this criterion" in detail
    assert offenders[0].startswith("sales GET /api/v1/clients: cannot judge, 2 answer(s) of the 20 needed")
    passed, detail, _ = _judge(samples, unjudged="report")
    assert passed and "allowed by unjudged: report" in detail


def test_a_run_where_nothing_can_be_judged_never_passes() -> None:
    passed, detail, _ = _judge({"sales GET /api/v1/deals": [20.0] * 3}, unjudged="report")
    assert not passed and detail.startswith("cannot judge: no route was measured 20 times or more")
    result = evaluate([_criterion()], (), (), latency=lambda _c: None).results[0]
    assert not result.passed and result.summary.startswith("cannot judge: the run recorded no answer times")


def test_the_criterion_can_name_services_and_its_own_minimum() -> None:
    samples = {"sales GET /api/v1/deals": [20.0] * 5, "identity GET /api/v1/users/me": [900.0] * 30}
    table = build_table(samples, BUDGETS, min_samples=5)
    result = evaluate([_criterion(services=["sales"])], (), (), latency=lambda _c: table).results[0]
    assert result.passed


def test_shipped_gate_judges_the_budgets_and_a_bad_unjudged_choice_is_refused(tmp_path: Path) -> None:
    kinds = {c.kind: c for c in load_gate(ROOT / "config" / "gate.yaml").criteria}
    assert kinds["latency_budget"].options["unjudged"] == "report"
    bad = tmp_path / "gate.yaml"
    bad.write_text("criteria:\n  - id: x\n    kind: latency_budget\n    unjudged: maybe\n", encoding="utf-8")
    with pytest.raises(Exception, match="unjudged must be one of report, fail"):
        load_gate(bad)


def test_every_workers_samples_are_judged_together(tmp_path: Path) -> None:
    folder = tmp_path / "latency"
    folder.mkdir()
    for worker, values in (("w1", [10.0] * 10), ("w2", [30.0] * 10)):
        (folder / f"{worker}.json").write_text(json.dumps({"environment": "local", "budgets": BUDGETS.as_dict(),
                                                           "samples": {"sales GET /api/v1/deals": values}}))
    (folder / "broken.json").write_text("{not json")
    table = load_latency(tmp_path)
    assert table is not None and table.environment == "local"
    assert (table.rows[0].count, table.rows[0].p50, table.rows[0].judgement) == (20, 10.0, Judgement.WITHIN)
    assert load_latency(tmp_path / "nowhere") is None


def test_the_sign_off_shows_the_table() -> None:
    table = build_table({"sales GET /api/v1/deals": [10.0] * 20, "sales GET /api/v1/clients": [10.0]}, BUDGETS,
                        environment="local")
    html = latency_html(table)
    assert "<h2>Answer times against the latency budgets</h2>" in html and "cannot judge (1 of 20 answers)" in html
    assert "Not measured in this run" in latency_html(None)
