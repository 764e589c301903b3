"""The feature files stay readable by product owners and consistent for the reports.

Every feature has exactly one area tag (which alone decides its Allure epic), and no step speaks
HTTP: URLs, verbs, status codes, headers and JSON live in support/, never in the specification.
"""

import re
from pathlib import Path

import pytest

FEATURES = sorted((Path(__file__).resolve().parents[2] / "features").rglob("*.feature"))
AREAS = {"@sales", "@anomaly", "@tenancy", "@auth", "@operations"}
STEP = re.compile(r"^\s*(Given|When|Then|And|But)\b(?P<text>.*)$")
TECHNICAL = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\b|(?i:https?\b|/api/|status code|\bjson\b|\bheaders?\b"
                       r"|\bendpoint|\bbearer\b|\b(?:40[0-9]|41[0-9]|42[0-9]|50[0-9])\s+(?:error|status|response))")


def _feature_tags(path: Path) -> set[str]:
    tags: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("Feature:"):
            return tags
        tags.update(word for word in line.split() if word.startswith("@"))
    return tags


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_each_feature_has_exactly_one_area_and_no_hand_written_epic(path: Path) -> None:
    tags = _feature_tags(path)
    assert len(tags & AREAS) == 1, f"{path.name}: area tags {sorted(tags & AREAS)}"
    assert not any(tag.startswith("@allure.label.epic") for tag in tags), f"{path.name}: epic comes from the area tag"
    assert path.name.startswith(path.parent.name + "."), f"{path.name}: name it <area>.<topic>.feature"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_steps_speak_business_not_http(path: Path) -> None:
    offending = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = STEP.match(line)
        if match and TECHNICAL.search(match.group("text")):
            offending.append(f"{path.name}:{number}: {line.strip()}")
    assert not offending, "\n".join(offending)


MAX_SCENARIO_STEPS = 9
MEDIAN_SCENARIO_STEPS = 5


def _scenario_step_counts(path: Path) -> list[tuple[str, int]]:
    """(scenario, number of steps) for each Scenario / Scenario Outline, Background steps not counted."""
    counts: list[tuple[str, int]] = []
    current: list[object] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(("Scenario:", "Scenario Outline:", "Example:")):
            current = [stripped, 0]
            counts.append(current)  # type: ignore[arg-type]
        elif stripped.startswith(("Background:", "Rule:", "Feature:", "Examples:")):
            current = None
        elif current is not None and STEP.match(line):
            current[1] += 1  # type: ignore[operator]
    return [(str(name), int(count)) for name, count in counts]


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_no_scenario_is_longer_than_nine_steps(path: Path) -> None:
    long = [f"{name} ({count} steps)" for name, count in _scenario_step_counts(path) if count > MAX_SCENARIO_STEPS]
    assert not long, f"{path.name}: {long}"


def test_scenarios_are_five_steps_long_at_the_median() -> None:
    counts = sorted(count for path in FEATURES for _, count in _scenario_step_counts(path))
    median = counts[len(counts) // 2]
    assert median <= MEDIAN_SCENARIO_STEPS, f"the median scenario has {median} steps"
