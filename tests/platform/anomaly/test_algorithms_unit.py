"""The detection algorithms' scores and thresholds (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from services.anomaly.algorithms import INFINITE_SCORE, TrainedModel, json_score, train
from services.anomaly.evaluation import metrics


def test_robust_zscore_formula() -> None:
    data = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    model = train("robust_zscore", ("x",), data)
    median, mad = 3.0, 1.0
    scores, flags = model.detect(np.array([[3.0], [5.0], [100.0]]))
    assert scores.tolist() == pytest.approx([0.0, 0.6745 * 2 / mad, 0.6745 * 97 / mad])
    assert flags.tolist() == [False, False, True]
    assert model.threshold == 3.5
    assert median == float(model.state["median"][0])


def test_score_is_max_over_features() -> None:
    data = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    model = train("robust_zscore", ("a", "b"), data, threshold=1.0)
    scores, _ = model.detect(np.array([[2.0, 50.0]]))
    assert scores[0] == pytest.approx(0.6745 * 30 / 10)


def test_mad_zero_flags_every_value_off_the_median() -> None:
    model = train("robust_zscore", ("x",), np.array([[5.0]] * 10 + [[6.0]]))
    scores, flags = model.detect(np.array([[5.0], [5.0001]]))
    assert flags.tolist() == [False, True]
    assert json_score(scores[1]) == INFINITE_SCORE


def test_iqr_distance_outside_quartiles() -> None:
    data = np.arange(1.0, 10.0).reshape(-1, 1)  # Q1 3, Q3 7, IQR 4
    model = train("iqr", ("x",), data)
    scores, flags = model.detect(np.array([[5.0], [13.0], [-5.0], [1.0]]))
    assert scores.tolist() == pytest.approx([0.0, 1.5, 2.0, 0.5])
    assert flags.tolist() == [False, False, True, False]  # anomalous strictly above k = 1.5


@pytest.mark.parametrize(("rows", "contamination"), [(1000, 0.05), (999, 0.05), (200, 0.5), (37, 0.1)])
def test_isolation_forest_flags_exactly_the_top_fraction(rows: int, contamination: float) -> None:
    data = np.random.default_rng(1).normal(size=(rows, 3))
    model = train("isolation_forest", ("a", "b", "c"), data, contamination=contamination, random_seed=7)
    _, flags = model.detect(data)
    assert int(flags.sum()) == int(np.ceil(contamination * rows - 1e-9))


def test_isolation_forest_is_deterministic_and_survives_pickling() -> None:
    data = np.random.default_rng(2).normal(size=(300, 2))
    first = train("isolation_forest", ("a", "b"), data, random_seed=3)
    second = train("isolation_forest", ("a", "b"), data, random_seed=3)
    restored = TrainedModel.from_bytes(first.to_bytes())
    assert np.array_equal(first.scores(data), second.scores(data))
    assert np.array_equal(first.scores(data), restored.scores(data))
    assert first.threshold == restored.threshold


def test_overrides_win_over_scores() -> None:
    data = np.arange(1.0, 10.0).reshape(-1, 1)
    model = train("iqr", ("x",), data, overrides={(100.0,): False, (5.0,): True})
    _, flags = model.detect(np.array([[100.0], [5.0], [200.0]]))
    assert flags.tolist() == [False, True, True]


def test_metrics_with_undefined_ratios_are_zero() -> None:
    result = metrics(np.array([False, False]), np.array([False, False]))
    assert (result["precision"], result["recall"], result["f1"]) == (0.0, 0.0, 0.0)
    result = metrics(np.array([True, True, False, False]), np.array([True, False, True, False]))
    assert result == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "true_positives": 1, "false_positives": 1,
                      "true_negatives": 1, "false_negatives": 1}
