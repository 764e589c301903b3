"""What the specification (the feature files) promises to check, read with behave's own parser.

A requirement is *uncovered* only when no scenario in the feature files carries its tag; one whose
scenarios simply did not run (a smoke run, a tag filter) is *not run*. Tags on a Feature or a Rule
count for every scenario inside it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from behave.parser import ParserError, parse_file

from signoff.catalogue import Requirement
from signoff.errors import SignoffError
from signoff.results import REQUIREMENT_ID


def written_scenarios(features_dir: Path) -> dict[str, tuple[str, ...]]:
    """Requirement id -> the names of the scenarios written for it (outline rows count once)."""
    found: dict[str, list[str]] = {}
    for path in sorted(features_dir.rglob("*.feature")):
        try:
            feature = parse_file(str(path))
        except ParserError as exc:
            raise SignoffError(f"{path}: cannot be read as Gherkin: {str(exc).splitlines()[0]}") from exc
        if feature is None:
            continue
        for scenario in feature.walk_scenarios(with_outlines=False):
            tags = {str(tag) for tag in scenario.effective_tags}
            for tag in tags:
                if REQUIREMENT_ID.match(tag):
                    names = found.setdefault(tag, [])
                    if scenario.name not in names:
                        names.append(scenario.name)
    return {req_id: tuple(names) for req_id, names in found.items()}


def with_written_scenarios(catalogue: Sequence[Requirement], features_dir: Path | None) -> tuple[Requirement, ...]:
    """The catalogue, each requirement knowing its written scenarios (none known without a folder)."""
    if features_dir is None or not features_dir.is_dir():
        return tuple(catalogue)
    written = written_scenarios(features_dir)
    return tuple(dataclasses.replace(req, written=written.get(req.id, ())) for req in catalogue)
