"""Contract coverage per section and the bite score as Markdown and HTML, for the record and requirements.html."""

from __future__ import annotations

from collections.abc import Sequence

from signoff.bites import BiteScore
from signoff.html import badge, e, table
from signoff.sections import HEADERS, SectionCoverage, cells, totals

SECTIONS_TITLE = "Contract coverage per section"
SECTIONS_NOTE = ("Promises quoted: catalogue requirements whose contract reference starts with the section; "
                 "verified: all their scenarios passed in this run.")
BITES_TITLE = "Bite score: injected defects caught"
BITES_NOTE = ("Mutants of the platform (tests/bites), each breaking one contract promise; caught = the guarding "
              "scenario went red. Known gaps are mutants no scenario guards yet (docs/BITES.md).")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sections_markdown(rows: Sequence[SectionCoverage]) -> list[str]:
    lines = ["", f"## {SECTIONS_TITLE}", "", SECTIONS_NOTE, ""]
    if not rows:
        return [*lines, "No requirement in the catalogue."]
    lines += ["| " + " | ".join(HEADERS) + " |", "|---" + "|---:" * (len(HEADERS) - 1) + "|"]
    lines += [f"| {_md(r.label)} | " + " | ".join(cells(r)) + " |" for r in rows]
    lines.append("| **All sections** | " + " | ".join(f"**{c}**" for c in cells(totals(rows))) + " |")
    return lines


def sections_html(rows: Sequence[SectionCoverage]) -> str:
    title = f"<h2>{e(SECTIONS_TITLE)}</h2>"
    if not rows:
        return title + "<p>No requirement in the catalogue.</p>"
    body = [[e(r.label), *cells(r)] for r in rows]
    body.append(["<b>All sections</b>", *(f"<b>{c}</b>" for c in cells(totals(rows)))])
    return (title + f'<p class="small">{e(SECTIONS_NOTE)}</p>'
            + table(HEADERS, body, numeric=range(1, len(HEADERS))))


def bites_markdown(score: BiteScore | None) -> list[str]:
    lines = ["", f"## {BITES_TITLE}", ""]
    if score is None:
        return [*lines, "bite score: not measured (no junit was read)."]
    lines += [score.summary() + ".", ""]
    if score.measured:
        lines += [BITES_NOTE]
        survivors = score.survivor_lines()
        if survivors:
            lines += ["", "Not caught (and not a known gap):"] + [f"- {_md(s)}" for s in survivors]
        if score.gaps:
            lines += ["", "Known gaps: " + ", ".join(score.gaps)]
    return lines


def bites_html(score: BiteScore | None) -> str:
    title = f"<h2>{e(BITES_TITLE)}</h2>"
    if score is None:
        return title + "<p>bite score: not measured (no junit was read).</p>"
    mark = "PASS" if score.measured and not score.survivor_lines() and score.control == "passed" else "FAIL"
    parts = [title, f"<p>{badge(mark)} {e(score.summary())}.</p>"]
    if score.measured:
        parts.append(f'<p class="small">{e(BITES_NOTE)}</p>')
        survivors = "".join(f"<li>{e(s)}</li>" for s in score.survivor_lines())
        if survivors:
            parts.append(f'<p>Not caught (and not a known gap):</p><ul class="scen">{survivors}</ul>')
        if score.gaps:
            parts.append(f'<p class="small">Known gaps: {e(", ".join(score.gaps))}</p>')
    return "".join(parts)
