"""Render a SignoffRecord as Markdown and as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt

from signoff.coverage import RequirementVerdict
from signoff.evidence_views import bites_html, bites_markdown, sections_html, sections_markdown
from signoff.html import badge, e, meta_list, page, scenario_badge, table
from signoff.latency import TABLE_HEADERS, Judgement, LatencyTable, table_cells
from signoff.record import SignoffRecord
from signoff.statuses import Mark, Status, Verdict

SCENARIO_STATUSES = (Status.PASSED, Status.FAILED, Status.BROKEN, Status.SKIPPED)
NO_FLAKY = "None: every scenario that ran more than once had the same outcome each time."
FLAKY_NOTE = ("Passed in one attempt and failed or broke in another (a retry, or one of the runs of a stability "
              "check): not a clean pass unless waived (flaky_waivers in config/signoff.yaml).")


def _when(millis: int) -> str:
    if not millis:
        return ""
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def run_facts(record: SignoffRecord) -> list[tuple[str, str]]:
    meta = record.run.metadata
    return [
        ("Build", meta.build),
        ("Commit", meta.commit),
        ("Environment", meta.environment_name),
        ("Seed", meta.seed),
        ("Executor", meta.executor_name),
        *meta.run_facts,
        ("Run started", _when(record.run.started)),
        ("Run finished", _when(record.run.finished)),
        ("Results", str(record.run.source)),
        ("Record generated", record.generated_at),
    ]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(record: SignoffRecord) -> str:
    totals = record.run.totals()
    lines = [f"# Acceptance sign-off: build {record.run.metadata.build or '(unknown)'}", ""]
    lines += [
        f"**{record.decision.label}**"
        + (f" by {record.decision.approver}" if record.decision.approver else "")
        + f" on {record.decision.date}",
        "",
    ]
    lines += ["## Run", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {_md(v or '-')} |" for k, v in run_facts(record)]
    lines += [
        "",
        "Scenarios (latest result of each): " + ", ".join(f"{totals[s]} {s}" for s in ("total", *SCENARIO_STATUSES))
        + f"; {len(record.flaky)} flaky",
        "",
    ]
    lines += ["## Quality gate", "", f"Gate: **{Mark.of(record.gate.passed).word}**", ""]
    for res in record.gate.results:
        lines.append(f"- {Mark.of(res.passed)} {res.criterion.description}: {_md(res.summary)}")
        lines += [f"  - {_md(o)}" for o in res.offenders]
    lines += sections_markdown(record.sections) + bites_markdown(record.bites)
    lines += ["", "## Summary per area", ""]
    lines += [
        "| Area | " + " | ".join(f"req. {v}" for v in Verdict) + " | " + " | ".join(SCENARIO_STATUSES) + " |",
        "|---" * (1 + len(Verdict) + len(SCENARIO_STATUSES)) + "|",
    ]
    for area in record.areas:
        cells = [str(area.requirements[v]) for v in Verdict] + [str(area.scenarios[s]) for s in SCENARIO_STATUSES]
        lines.append(f"| {_md(area.area)} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Requirements",
        "",
        "| Id | Title | Contract | Severity | Scenarios | Verdict |",
        "|---|---|---|---|---|---|",
    ]
    for v in record.verdicts:
        lines.append(
            f"| {v.requirement.id} | {_md(v.requirement.title)} | {_md(v.requirement.contract)} | "
            f"{v.requirement.severity} | {_md(_scenario_text(v))} | {_md(_verdict_text(record, v))} |"
        )
    lines += ["", "## Flaky scenarios", ""]
    if record.flaky:
        lines += [FLAKY_NOTE, ""] + [f"- {_md(s.title)}: {_md(s.status_text)}" for s in record.flaky]
    else:
        lines.append(NO_FLAKY)
    lines += _drift_markdown(record) + _conformance_markdown(record) + _latency_markdown(record)
    if record.unknown_tags:
        lines += ["", "Requirement tags not in the catalogue: " + ", ".join(record.unknown_tags)]
    return "\n".join(lines) + "\n"


def _drift_markdown(record: SignoffRecord) -> list[str]:
    if record.drift is None:
        return []
    lines = ["", "## API drift since the last accepted release", "", record.drift.summary() + "."]
    if record.drift.changes:
        lines += ["", "| Change | Service | Operation | What | Detail |", "|---|---|---|---|---|"]
        lines += [f"| {'BREAKING' if c.breaking else 'compatible'} | {c.service} | {_md(c.operation)} | {c.what} | "
                  f"{_md(c.detail or '-')} |" for c in record.drift.changes]
    return lines


def _conformance_markdown(record: SignoffRecord) -> list[str]:
    figures = record.conformance
    if figures is None:
        return ["", "## Answers checked against the contract's schemas", "",
                "Not checked in this run (no figures in the results)."]
    lines = ["", "## Answers checked against the contract's schemas", "", figures.summary() + ".", "",
             "| Resource | Checked | Violations |", "|---|---|---|"]
    lines += [f"| {_md(name)} | {count} | {bad} |" for name, count, bad in figures.rows()]
    return lines


LATENCY_TITLE = "Answer times against the latency budgets"
NO_LATENCY = "Not measured in this run (no answer times in the results)."


def _latency_markdown(record: SignoffRecord) -> list[str]:
    lines = ["", f"## {LATENCY_TITLE}", ""]
    if record.latency is None:
        return [*lines, NO_LATENCY]
    lines += [record.latency.summary() + ".", "", "| " + " | ".join(TABLE_HEADERS) + " |",
              "|---" * len(TABLE_HEADERS) + "|"]
    lines += ["| " + " | ".join(_md(cell) for cell in table_cells(row)) + " |" for row in record.latency.rows]
    return lines


def _scenario_text(v: RequirementVerdict) -> str:
    return "; ".join(f"{s.title} ({s.status_text})" for s in v.scenarios) or "none"


def _verdict_text(record: SignoffRecord, v: RequirementVerdict) -> str:
    reason = record.decision.reasons.get(v.requirement.id)
    return f"{v.verdict}: known issue: {reason}" if reason else v.verdict


def to_html(record: SignoffRecord, *, report_link: str | None = None) -> str:
    totals = record.run.totals()
    decision = record.decision
    css = decision.decision or "draft"
    who = f" by {e(decision.approver)}" if decision.approver else ""
    parts = [
        f"<h1>Acceptance sign-off: build {e(record.run.metadata.build or '(unknown)')}</h1>",
        f'<p class="sub">Environment {e(record.run.metadata.environment_name or "-")}, '
        f"commit {e(record.run.metadata.commit or '-')}</p>",
        f'<div class="decision {e(css)}"><b>{e(decision.label)}</b>{who} on {e(decision.date)}</div>',
        "<h2>Run</h2>",
        meta_list(run_facts(record)),
    ]
    if report_link:
        parts.append(f'<p>Detailed test report: <a href="{e(report_link)}">{e(report_link)}</a></p>')
    parts.append(
        '<div class="totals">'
        + "".join(f"<div>{e(s.capitalize())}<b>{totals[s]}</b></div>" for s in ("total", *SCENARIO_STATUSES))
        + f"<div>Flaky<b>{len(record.flaky)}</b></div></div>"
    )
    parts.append('<p class="small">Scenarios counted once each, by their latest result.</p>')
    parts += _gate_html(record), sections_html(record.sections), bites_html(record.bites)
    parts += _areas_html(record), _flaky_html(record), _requirements_html(record)
    parts += _drift_html(record), _conformance_html(record), latency_html(record.latency)
    if record.unknown_tags:
        parts.append("<p>Requirement tags not in the catalogue: " + e(", ".join(record.unknown_tags)) + "</p>")
    return page(f"Acceptance sign-off {record.run.metadata.build}", "\n".join(parts))


def _gate_html(record: SignoffRecord) -> str:
    rows = []
    for res in record.gate.results:
        offenders = "".join(f"<li>{e(o)}</li>" for o in res.offenders)
        detail = e(res.summary) + (f'<ul class="scen">{offenders}</ul>' if offenders else "")
        rows.append([badge(Mark.of(res.passed)), e(res.criterion.description), detail])
    gate = Mark.of(record.gate.passed)
    return f"<h2>Quality gate: {badge(gate.word, gate)}</h2>" + table(
        ["", "Criterion", "Result"], rows
    )


def _areas_html(record: SignoffRecord) -> str:
    headers = ["Area", *(f"Req. {v}" for v in Verdict), *(f"Scen. {s}" for s in SCENARIO_STATUSES)]
    rows = [
        [
            e(a.area),
            *(str(a.requirements[v]) for v in Verdict),
            *(str(a.scenarios[s]) for s in SCENARIO_STATUSES),
        ]
        for a in record.areas
    ]
    return "<h2>Summary per area</h2>" + table(headers, rows, numeric=range(1, len(headers)))


def _flaky_html(record: SignoffRecord) -> str:
    if not record.flaky:
        return f"<h2>Flaky scenarios</h2><p>{e(NO_FLAKY)}</p>"
    items = "".join(f"<li>{scenario_badge(s)} {e(s.title)}</li>" for s in record.flaky)
    return f'<h2>Flaky scenarios</h2><p>{e(FLAKY_NOTE)}</p><ul class="scen">{items}</ul>'


def _requirements_html(record: SignoffRecord) -> str:
    rows = []
    for v in record.verdicts:
        scen = "".join(f"<li>{scenario_badge(s)} {e(s.title)}</li>" for s in v.scenarios)
        reason = record.decision.reasons.get(v.requirement.id)
        verdict = badge(v.verdict) + (f'<div class="reason">Known issue: {e(reason)}</div>' if reason else "")
        rows.append(
            [
                f'<span id="{e(v.requirement.anchor)}">{e(v.requirement.id)}</span>',
                e(v.requirement.title) + f'<div class="small">{e(v.requirement.severity)}</div>',
                e(v.requirement.contract),
                f'<ul class="scen">{scen}</ul>' if scen else '<span class="small">no scenario</span>',
                verdict,
            ]
        )
    counts = ", ".join(f"{record.count(v)} {v}" for v in Verdict)
    return f"<h2>Requirements</h2><p>{e(counts)}</p>" + table(
        ["Id", "Title", "Contract", "Covering scenarios", "Verdict"], rows
    )


def _drift_html(record: SignoffRecord) -> str:
    if record.drift is None:
        return ""
    rows = [[badge("BREAKING", "FAIL") if c.breaking else badge("compatible", "PASS"), e(c.service), e(c.operation),
             e(c.what), e(c.detail or "-")] for c in record.drift.changes]
    body = table(["", "Service", "Operation", "Change", "Detail"], rows) if rows else ""
    return f"<h2>API drift since the last accepted release</h2><p>{e(record.drift.summary())}.</p>{body}"


def _conformance_html(record: SignoffRecord) -> str:
    figures = record.conformance
    title = "<h2>Answers checked against the contract's schemas</h2>"
    if figures is None:
        return title + "<p>Not checked in this run (no figures in the results).</p>"
    rows = [[e(name), str(count), str(bad)] for name, count, bad in figures.rows()]
    return title + f"<p>{e(figures.summary())}.</p>" + table(["Resource", "Checked", "Violations"], rows,
                                                            numeric=range(1, 3))


def latency_html(latency: LatencyTable | None) -> str:
    """The latency table as an HTML section (the sign-off page and the report's latency page)."""
    title = f"<h2>{e(LATENCY_TITLE)}</h2>"
    if latency is None:
        return title + f"<p>{e(NO_LATENCY)}</p>"
    marks = {Judgement.WITHIN: badge("within", "PASS"), Judgement.OVER: badge("over", "FAIL")}
    rows = []
    for row in latency.rows:
        cells = [e(cell) for cell in table_cells(row)]
        cells[-1] = marks.get(row.judgement, e(cells[-1]))
        rows.append(cells)
    return title + f"<p>{e(latency.summary())}.</p>" + table(list(TABLE_HEADERS), rows, numeric=range(3, 8))
