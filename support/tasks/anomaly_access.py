"""Who may do what with datasets, detectors and jobs (contract §2, §5), and the attempts that show it.

An attempt is named in product words ("retrain the detector") and made with a driver against a
piece of work (a dataset, the detector trained on it and its training job). Attempts on another
tenant's work are also made against ids that never existed, to compare the two answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx
from hamcrest import all_of, assert_that

from support.data.builders import ghost_id_like
from support.data.tables import csv_bytes
from support.drivers.anomaly import AnomalyDriver
from support.http.client import describe
from support.matchers.answers import is_problem, never_existed_like, refused_for

SMALL_CSV = csv_bytes(["temperature", "pressure"], [[20, 100], [21, 102], [22, 104]])
A_READING = {"temperature": 22, "pressure": 104}


@dataclass(frozen=True)
class Work:
    """A dataset, the detector trained on it and the job that trained it."""

    dataset_id: str
    detector_id: str
    job_id: str
    label_column: str = "label"

    def ghost(self) -> Work:
        return Work(ghost_id_like(self.dataset_id), ghost_id_like(self.detector_id), ghost_id_like(self.job_id),
                    self.label_column)


Attempt = Callable[[AnomalyDriver, Work, Work | None], Any]


def _own(own: Work | None) -> Work:
    if own is None:
        raise AssertionError("This attempt needs the intruder's own dataset and detector")
    return own


ATTEMPTS: dict[str, Attempt] = {
    # reading
    "list the datasets": lambda a, w, o: a.list_datasets(page_size=100),
    "read the dataset": lambda a, w, o: a.get_dataset(w.dataset_id),
    "read its profile": lambda a, w, o: a.profile(w.dataset_id),
    "list the detectors": lambda a, w, o: a.list_detectors(page_size=100),
    "read the detector": lambda a, w, o: a.get_detector(w.detector_id),
    "read the training job": lambda a, w, o: a.job(w.job_id),
    # changing and using
    "upload a dataset": lambda a, w, o: a.upload_csv("copy of the readings", SMALL_CSV),
    "delete the dataset": lambda a, w, o: a.delete_dataset(w.dataset_id),
    "create a detector": lambda a, w, o: a.create_detector("second watch", algorithm="robust_zscore",
                                                           features=["temperature"]),
    "retrain the detector": lambda a, w, o: a.start_training(w.detector_id, (o or w).dataset_id),
    "check readings with the detector": lambda a, w, o: a.detect_rows(w.detector_id, [A_READING]),
    "stream readings to the detector": lambda a, w, o: a.stream(w.detector_id, [A_READING]),
    "give feedback on a reading": lambda a, w, o: a.feedback(w.detector_id, A_READING, "normal"),
    "evaluate the detector": lambda a, w, o: a.evaluate(w.detector_id, (o or w).dataset_id,
                                                        label_column=w.label_column),
    # naming the dataset in a body, with the intruder's own detector
    "train an own detector on the dataset": lambda a, w, o: a.start_training(_own(o).detector_id, w.dataset_id),
    "check the dataset with an own detector": lambda a, w, o: a.detect_dataset(_own(o).detector_id, w.dataset_id),
    "evaluate an own detector on the dataset": lambda a, w, o: a.evaluate(_own(o).detector_id, w.dataset_id,
                                                                          label_column=w.label_column),
}

# What an intruder of another tenant tries on each kind of work; the second part says how the
# dataset's id reaches the service: in the address (404 not-found) or in a body (422 unknown_reference).
INTRUSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "dataset": (("read the dataset", "address"), ("read its profile", "address"), ("delete the dataset", "address"),
                ("train an own detector on the dataset", "body"), ("check the dataset with an own detector", "body"),
                ("evaluate an own detector on the dataset", "body")),
    "detector": (("read the detector", "address"), ("retrain the detector", "address"),
                 ("check readings with the detector", "address"), ("stream readings to the detector", "address"),
                 ("give feedback on a reading", "address"), ("evaluate the detector", "address")),
    "training job": (("read the training job", "address"),),
}


def attempt(driver: AnomalyDriver, action: str, work: Work, own: Work | None = None) -> httpx.Response:
    """Make the named attempt and hand back the answer, whatever it was."""
    try:
        call = ATTEMPTS[action]
    except KeyError:
        raise AssertionError(f"'{action}' is not a known attempt (known: {', '.join(ATTEMPTS)})") from None
    return driver.attempt(call, driver, work, own)


def refused_as_forbidden(answers: dict[str, httpx.Response]) -> None:
    for action, answer in answers.items():
        assert_that(answer, is_problem("forbidden"), f"'{action}' was not refused as forbidden")


def _codes(response: httpx.Response) -> list[tuple[str, str]]:
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return []
    return sorted((str(error.get("field")), str(error.get("code"))) for error in errors if isinstance(error, dict))


def unknown_like_ghost(action: str, answer: httpx.Response, ghost: httpx.Response) -> None:
    """Another tenant's dataset named in a body: 422 unknown_reference, like an id that never existed."""
    assert_that(answer, refused_for("unknown_reference"), f"'{action}' naming the other tenant's dataset")
    same = (answer.status_code == ghost.status_code and _codes(answer) == _codes(ghost)
            and answer.json().get("type") == ghost.json().get("type"))
    assert same, (f"'{action}' answers differently for another tenant's dataset ({describe(answer)}) "
                  f"than for one that never existed ({describe(ghost)})")


def not_found_like_ghost(action: str, answer: httpx.Response, ghost: httpx.Response) -> None:
    assert_that(answer, all_of(is_problem("not-found"), never_existed_like(ghost)), f"'{action}'")


def intrude(driver: AnomalyDriver, thing: str, work: Work, own: Work) -> list[tuple[str, str, httpx.Response,
                                                                                        httpx.Response]]:
    """Every intrusion on `thing`: (action, how, answer for the real work, answer for never-existed work)."""
    try:
        intrusions = INTRUSIONS[thing]
    except KeyError:
        raise AssertionError(f"'{thing}' is not a kind of work (known: {', '.join(INTRUSIONS)})") from None
    ghost = work.ghost()
    found = []
    for action, how in intrusions:
        real_answer = attempt(driver, action, work, own)
        ghost_work = replace(work, dataset_id=ghost.dataset_id) if how == "body" else ghost
        found.append((action, how, real_answer, attempt(driver, action, ghost_work, own)))
    return found
