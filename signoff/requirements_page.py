"""requirements.html: the catalogue as a page the report's requirement links point at."""

from __future__ import annotations

from collections.abc import Sequence

from signoff.bites import BiteScore
from signoff.catalogue import Requirement
from signoff.coverage import RequirementVerdict
from signoff.evidence_views import bites_html, sections_html
from signoff.html import badge, e, page, scenario_badge, table
from signoff.sections import SectionCoverage


def requirements_html(
    verdicts: Sequence[RequirementVerdict], *, title: str,
    sections: Sequence[SectionCoverage] = (), bites: BiteScore | None = None,
) -> str:
    """Contract coverage per section and the bite score on top, then one row per requirement with an ``id``
    anchor (``#req-sales-comm-01``) and its verdict in this run."""
    rows = []
    for v in verdicts:
        req: Requirement = v.requirement
        scen = "".join(f"<li>{scenario_badge(s)} {e(s.title)}</li>" for s in v.scenarios)
        text = f'<div class="small">{e(req.text)}</div>' if req.text else ""
        rows.append(
            [
                f'<a id="{e(req.anchor)}" href="#{e(req.anchor)}">{e(req.id)}</a>',
                e(req.title) + text,
                e(req.epic),
                e(req.contract),
                e(req.severity),
                f'<ul class="scen">{scen}</ul>' if scen else '<span class="small">no scenario</span>',
                badge(v.verdict),
            ]
        )
    headers = ["Id", "Requirement", "Area", "Contract", "Severity", "Scenarios (this run)", "Verdict"]
    body = (
        f"<h1>{e(title)}: requirements</h1>"
        '<p class="sub">The requirement catalogue (data/requirements/) and how this run covered it. '
        '<a href="index.html">Back to the report</a></p>'
        + sections_html(sections) + bites_html(bites)
        + "<h2>Requirements</h2>" + table(headers, rows)
    )
    return page(f"{title}: requirements", body)
