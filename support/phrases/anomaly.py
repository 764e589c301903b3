"""The anomaly vocabulary: detectors and their settings, features, readings, counts, ordinals, verdicts, uploads."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from support.data.tables import count_of, feature_names, quoted_values, reading
from support.matchers.answers import names_field, refused_for
from support.matchers.detection import created_detector, refused_as_too_large
from support.phrases.common import typed, words
from support.tasks.anomaly import (
    CHECKING,
    CREATING,
    DETECTOR_KINDS,
    EVALUATING,
    ORDINALS,
    UPLOADS,
    VERDICTS,
    DetectorSpec,
)

NAME = r"[a-z][a-z0-9_]*"
NUMBER = r"-?\d+(?:\.\d+)?"
PAIR = rf"{NAME} {NUMBER}"
KIND = "|".join(re.escape(words) for words in sorted(DETECTOR_KINDS, key=len, reverse=True))
SETTING = r"threshold|contamination"
DETECTOR = rf"(?:{KIND}) detector(?: with the default (?:{SETTING})| with (?:{SETTING}) {NUMBER})?"
# What became of an attempt -> how its answer is judged.
OUTCOMES: dict[str, Callable[[], Any]] = {
    "accepted": created_detector,
    "refused as an empty dataset": lambda: refused_for("empty_dataset"),
    "refused because of an unknown feature": lambda: refused_for("unknown_feature"),
    "refused as too large": refused_as_too_large,
    "refused for its contamination": lambda: names_field("contamination"),
    "refused because its label column is one of the detector's features": lambda: names_field("label_column"),
}
ATTEMPTS = ("upload", "training", "check", "evaluation", "detector")


def detector(text: str) -> DetectorSpec:
    """ "an isolation forest detector with contamination 0.25" -> isolation_forest, {contamination: 0.25};
    "with the default ..." sends no setting."""
    kind, _, rest = text.partition(" detector")
    setting = re.fullmatch(rf" with ({SETTING}) ({NUMBER})", rest)
    return DetectorSpec(DETECTOR_KINDS[kind], {setting[1]: float(setting[2])} if setting else {})


TYPES: dict[str, Callable[[str], Any]] = {
    "AnomalyDetector": typed(DETECTOR, detector),
    # "checks" / "tries to check" (and upload, create, evaluate): False / True, whether a refusal may come
    "AnomalyChecking": words(CHECKING),
    "AnomalyCreating": words(CREATING),
    "AnomalyEvaluating": words(EVALUATING),
    "AnomalyAttempt": words({attempt: attempt for attempt in ATTEMPTS}),
    "AnomalyOutcome": words(OUTCOMES),
    # "temperature, pressure and vibration" -> ["temperature", "pressure", "vibration"]
    "AnomalyFeatures": typed(rf"{NAME}(?:(?:, | and ){NAME})*", feature_names),
    # "temperature 29 and pressure 106" -> {"temperature": 29, "pressure": 106}
    "AnomalyReading": typed(rf"{PAIR}(?:(?:, | and ){PAIR})*", reading),
    # "10,001" -> 10001
    "AnomalyCount": typed(r"\d{1,3}(?:,\d{3})+|\d+", count_of),
    "AnomalyOrdinal": words(ORDINALS),
    "AnomalyVerdict": words(VERDICTS),
    # '"12", "", "n/a"' -> ["12", "", "n/a"]
    "AnomalyValues": typed(r'"[^"]*"(?:, "[^"]*")*', quoted_values),
    "AnomalyUpload": words(UPLOADS),
}
