"""Small helpers for self-contained HTML pages (inline CSS, no scripts, no external assets)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from signoff.results import Scenario

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;
background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px;background:#fff;min-height:100vh}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:1px solid #e3e6eb;
padding-bottom:4px}
.sub{color:#5b6474;margin:0 0 18px}
table{border-collapse:collapse;width:100%;margin:8px 0 12px}
th,td{border-bottom:1px solid #e3e6eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td:first-child{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}
dl.meta dt{color:#5b6474}dl.meta dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;font-weight:600;
white-space:nowrap}
.passed,.PASS,.accepted{background:#d8f3dc;color:#1b5e20}
.failed,.FAIL,.rejected{background:#fde2e1;color:#9b1c1c}
.broken{background:#fff1c2;color:#7a5300}
.skipped,.not-run,.unknown{background:#e7eaf0;color:#3f4756}
.uncovered{background:#fbe7ff;color:#6b1a7a}
.flaky{background:#ffe4cc;color:#8a3b00}
.accepted-with-known-issues{background:#fff1c2;color:#7a5300}
.draft{background:#e7eaf0;color:#3f4756}
.decision{padding:14px 18px;border-radius:8px;margin:16px 0;font-size:17px}
.reason{background:#fffbe8;border-left:3px solid #e0b400;padding:4px 8px;margin-top:4px}
ul.scen{margin:0;padding-left:18px}ul.scen li{margin:2px 0}
.small{font-size:13px;color:#5b6474}
.totals{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.totals div{border:1px solid #e3e6eb;border-radius:8px;padding:8px 14px;min-width:90px}
.totals b{display:block;font-size:22px}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def badge(text: str, css_class: str | None = None) -> str:
    return f'<span class="badge {e((css_class or text).replace(" ", "-"))}">{e(text)}</span>'


def scenario_badge(scenario: Scenario) -> str:
    """The scenario's status, with its attempts when it has several; an unwaived flaky one in its own colour."""
    return badge(scenario.status_text, "flaky" if scenario.unwaived_flaky else scenario.status)


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = ()) -> str:
    """Rows hold already-escaped HTML cells."""
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def meta_list(items: Iterable[tuple[str, str]]) -> str:
    return '<dl class="meta">' + "".join(f"<dt>{e(k)}</dt><dd>{e(v or '-')}</dd>" for k, v in items) + "</dl>"
