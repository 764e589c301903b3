"""Allure results for the scenarios a worker never reported, because it was killed or it crashed.

Without them those scenarios would simply be missing: a smoke criterion or a pass rate could then pass on
what never ran. Each gets a *broken* result that says why, with the labels allure-behave would have given
it (epic, feature, story, severity, tags, requirements), so the report, the gate and the sign-off see it
where the person expects it. Written with allure-python-commons' own model and file logger.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from allure_behave import listener as allure_listener
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Label, StatusDetails, TestResult
from allure_commons.types import LabelType
from allure_commons.utils import md5, now, platform_label, uuid4

from parallel.plan import Planned
from support.runner import allure_rules
from support.runner.reporting import labels_for


def write(folder: Path, scenarios: Iterable[Planned], why: str) -> int:
    allure_rules.apply()  # allure-behave's labels and title path, with Rules' tags and names
    logger = AllureFileLogger(str(folder))
    count = 0
    for planned in scenarios:
        logger.report_result(result_for(planned, why))
        count += 1
    return count


def result_for(planned: Planned, why: str) -> TestResult:
    scenario = planned.scenario
    moment = now()
    result = TestResult(uuid=uuid4(), name=planned.name, start=moment, stop=moment, status="broken",
                        statusDetails=StatusDetails(message=why))
    result.fullName = allure_listener.get_fullname(scenario)
    result.titlePath = allure_listener.get_title_path(scenario)
    result.historyId = planned.key
    result.testCaseId = md5(result.fullName)
    result.labels.extend(allure_listener.scenario_labels(scenario))
    result.labels += [Label(name=LabelType.FEATURE, value=planned.feature),
                      Label(name=LabelType.FRAMEWORK, value="behave"),
                      Label(name=LabelType.LANGUAGE, value=platform_label())]
    tags = sorted(str(tag) for tag in scenario.effective_tags)
    result.labels += [Label(name=name, value=value) for name, value in labels_for(tags)]
    return result
