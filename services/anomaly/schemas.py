"""Request bodies (all `StrictModel`: unknown and read-only fields are 422) and answers of the anomaly API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, Strict, field_validator
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from services.common.pagination import Page
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


# ---- answers ----

ColumnType = Literal["numeric", "categorical"]


class ColumnOut(BaseModel):
    name: str
    type: ColumnType


class DatasetOut(BaseModel):
    id: str
    tenant_id: str
    name: str
    row_count: int
    columns: list[ColumnOut]
    created_at: str


class CategoricalColumnProfile(BaseModel):
    name: str
    type: Literal["categorical"]
    count: int
    missing: int
    distinct: int


class NumericColumnProfile(BaseModel):
    """Statistics are null when the column holds no value (`std` also with a single value)."""

    name: str
    type: Literal["numeric"]
    count: int
    missing: int
    distinct: int
    mean: float | None
    std: float | None
    min: float | None
    max: float | None
    p25: float | None
    p50: float | None
    p75: float | None


class ProfileOut(BaseModel):
    row_count: int
    duplicate_rows: int
    columns: list[Annotated[NumericColumnProfile | CategoricalColumnProfile, Field(discriminator="type")]]


class DetectorOut(BaseModel):
    id: str
    tenant_id: str
    name: str
    algorithm: str
    features: list[str]
    params: dict[str, Any]  # {contamination, random_seed} or {threshold, random_seed}, numbers as sent
    status: Literal["untrained", "training", "trained", "failed"]
    version: int
    trained_at: str | None
    training_rows: int | None
    created_at: str


class TrainingAccepted(BaseModel):
    job_id: str
    status: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    detector_id: str
    dataset_id: str
    use_feedback: bool
    error: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class RowResult(TypedDict):
    """A dict, not a model: a detection answers up to 10,000 of them, and a model object each costs."""

    index: int
    score: float
    is_anomaly: bool


class DetectionResult(BaseModel):
    detector_id: str
    detector_version: int
    threshold: float
    anomaly_count: int
    results: list[RowResult]


class FeedbackOut(BaseModel):
    id: str
    detector_id: str
    row: dict[str, Any]
    label: str
    created_at: str


class EvaluationOut(BaseModel):
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int


DatasetPage = Page[DatasetOut]
DetectorPage = Page[DetectorOut]
