"""The three detection algorithms of contract §5, as pure functions over float matrices.

Scores are "higher = more anomalous"; a row is anomalous when its score is strictly above the
model's threshold:
- robust_zscore: max over features of 0.6745 * |x - median| / MAD; threshold = `threshold` (3.5).
- iqr: max over features of the distance outside [Q1, Q3] divided by IQR; threshold = k (1.5).
- isolation_forest: -score_samples of sklearn's IsolationForest(random_state=seed); the threshold
  lies between the k-th and (k+1)-th highest training scores with k = ceil(c * n), so exactly the
  top c of the training rows are anomalous (fewer only when training scores tie at the boundary).
A feature whose MAD (or IQR) is 0 gives an infinite score to every value off its median (outside
[Q1, Q3]); infinite scores are answered as `INFINITE_SCORE` (the largest finite double) in JSON.
"""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # sklearn takes ~2 s to import: only a training of an isolation forest pays for it
    from sklearn.ensemble import IsolationForest

DEFAULT_THRESHOLDS: dict[str, float] = {"robust_zscore": 3.5, "iqr": 1.5}
DEFAULT_CONTAMINATION = 0.05
MIN_TRAINING_ROWS = 2
INFINITE_SCORE = float(np.finfo(np.float64).max)
ZSCORE_SCALE = 0.6745
N_ESTIMATORS = 100


class TrainingError(ValueError):
    """The training data cannot produce a model; the message is safe to show to the client."""


FeatureKey = tuple[float, ...]


@dataclass
class TrainedModel:
    """What a training run produces; pickled into the database so detection survives a restart."""

    algorithm: str
    features: tuple[str, ...]
    threshold: float
    state: dict[str, Any]
    overrides: dict[FeatureKey, bool] = field(default_factory=dict)

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        if self.algorithm == "robust_zscore":
            return _spread_scores(
                np.abs(matrix - self.state["median"]), self.state["mad"], scale=ZSCORE_SCALE
            )
        if self.algorithm == "iqr":
            q1, q3 = self.state["q1"], self.state["q3"]
            outside = np.maximum(np.maximum(q1 - matrix, matrix - q3), 0.0)
            return _spread_scores(outside, q3 - q1, scale=1.0)
        forest: IsolationForest = self.state["forest"]
        return -forest.score_samples(matrix)

    def detect(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores and anomaly flags of each row; labelled rows (feedback) keep their label."""
        if matrix.shape[0] == 0:
            return np.zeros(0), np.zeros(0, dtype=bool)
        scores = self.scores(matrix)
        flags = scores > self.threshold
        if self.overrides:
            for index, row in enumerate(matrix):
                label = self.overrides.get(tuple(float(value) for value in row))
                if label is not None:
                    flags[index] = label
        return scores, flags

    def to_bytes(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(blob: bytes) -> TrainedModel:
        model = pickle.loads(blob)  # written only by this service
        if not isinstance(model, TrainedModel):
            raise TypeError("stored model has an unexpected type")
        return model


def _spread_scores(deviation: np.ndarray, spread: np.ndarray, *, scale: float) -> np.ndarray:
    """max over features of scale * deviation / spread, where a zero spread makes any deviation infinite."""
    safe = np.where(spread > 0, spread, 1.0)
    per_feature = np.where(spread > 0, scale * deviation / safe, np.where(deviation > 0, np.inf, 0.0))
    return per_feature.max(axis=1)


def top_fraction_threshold(scores: np.ndarray, contamination: float) -> float:
    """A threshold with exactly ceil(c * n) training scores strictly above it (barring ties)."""
    ordered = np.sort(scores)[::-1]
    count = min(len(ordered), math.ceil(contamination * len(ordered) - 1e-9))
    if count <= 0:
        return float(ordered[0])
    if count >= len(ordered):
        return float(np.nextafter(ordered[-1], -np.inf))
    return float((ordered[count - 1] + ordered[count]) / 2.0)


def train(
    algorithm: str,
    features: tuple[str, ...],
    matrix: np.ndarray,
    *,
    contamination: float = DEFAULT_CONTAMINATION,
    threshold: float | None = None,
    random_seed: int = 0,
    overrides: dict[FeatureKey, bool] | None = None,
) -> TrainedModel:
    if matrix.ndim != 2 or matrix.shape[1] != len(features):
        raise TrainingError("the training matrix does not match the detector's features")
    if matrix.shape[0] < MIN_TRAINING_ROWS:
        raise TrainingError(
            f"training needs at least {MIN_TRAINING_ROWS} rows with a value for every feature, "
            f"found {matrix.shape[0]}"
        )
    labels = dict(overrides or {})
    if algorithm == "robust_zscore":
        median = np.median(matrix, axis=0)
        mad = np.median(np.abs(matrix - median), axis=0)
        state: dict[str, Any] = {"median": median, "mad": mad}
        cut = DEFAULT_THRESHOLDS[algorithm] if threshold is None else threshold
    elif algorithm == "iqr":
        q1, q3 = np.percentile(matrix, [25, 75], axis=0)
        state = {"q1": q1, "q3": q3}
        cut = DEFAULT_THRESHOLDS[algorithm] if threshold is None else threshold
    elif algorithm == "isolation_forest":
        from sklearn.ensemble import IsolationForest

        forest = IsolationForest(n_estimators=N_ESTIMATORS, random_state=random_seed)
        forest.fit(matrix)
        state = {"forest": forest}
        cut = top_fraction_threshold(-forest.score_samples(matrix), contamination)
    else:
        raise TrainingError(f"unknown algorithm {algorithm!r}")
    return TrainedModel(algorithm=algorithm, features=features, threshold=float(cut), state=state,
                        overrides=labels)


def json_score(value: float) -> float:
    """A score as JSON can carry it: +inf becomes INFINITE_SCORE."""
    return INFINITE_SCORE if math.isinf(value) else float(value)
