"""Request bodies of the anomaly service (all `StrictModel`: unknown and read-only fields are 422)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Strict, field_validator
from pydantic_core import PydanticCustomError

from services.common.schemas import StrictModel

MAX_DETECTION_ROWS = 10_000

Name = Annotated[str, Strict(), Field(min_length=1, max_length=200)]
Id = Annotated[str, Strict(), Field(min_length=1, max_length=64)]
Contamination = Annotated[float, Strict(), Field(gt=0, le=0.5, allow_inf_nan=False)]
Threshold = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
Seed = Annotated[int, Strict(), Field(ge=0, le=2**32 - 1)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be blank")
    return value.strip()


class DatasetJsonIn(StrictModel):
    """`columns`: list of column names; `rows`: list of arrays (one value per column) or of objects."""

    name: Name
    columns: list[Any]
    rows: list[Any]

    _name = field_validator("name")(_not_blank)


class DetectorIn(StrictModel):
    name: Name
    algorithm: Literal["isolation_forest", "robust_zscore", "iqr"]
    features: Annotated[list[Annotated[str, Strict(), Field(min_length=1, max_length=200)]], Field(min_length=1)]
    contamination: Contamination | None = None
    threshold: Threshold | None = None
    random_seed: Seed | None = None

    _name = field_validator("name")(_not_blank)

    @field_validator("features")
    @classmethod
    def _distinct(cls, features: list[str]) -> list[str]:
        if len(set(features)) != len(features):
            raise PydanticCustomError("duplicate_feature", "each feature may be named only once")
        return features


class TrainingIn(StrictModel):
    dataset_id: Id
    use_feedback: Annotated[bool, Strict()] = False


class DetectionIn(StrictModel):
    """Exactly one of `rows` (objects of column values) or `dataset_id`."""

    rows: list[Any] | None = None
    dataset_id: Id | None = None


class FeedbackIn(StrictModel):
    row: dict[str, Any]
    label: Literal["normal", "anomaly"]


class EvaluationIn(StrictModel):
    dataset_id: Id
    label_column: Annotated[str, Strict(), Field(min_length=1, max_length=200)]
