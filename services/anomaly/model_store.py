"""Trained models: saved in `detector_models`, kept unpickled in a small in-memory cache by version."""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.anomaly.algorithms import TrainedModel
from services.anomaly.models import Detector, DetectorModel
from services.common.problems import ProblemError


def not_trained() -> ProblemError:
    return ProblemError(409, "detector-not-trained", "The detector has no trained version yet; train it first.")


class ModelStore:
    def __init__(self, capacity: int = 32) -> None:
        self.capacity = capacity
        self._cache: OrderedDict[tuple[str, int], TrainedModel] = OrderedDict()
        self._lock = threading.Lock()

    def current(self, session: Session, detector: Detector) -> tuple[int, TrainedModel]:
        """The detector's newest trained model and its version; 409 `detector-not-trained` if none."""
        version = session.scalar(select(DetectorModel.version).where(DetectorModel.detector_id == detector.id))
        if version is None:
            raise not_trained()
        key = (detector.id, version)
        with self._lock:
            model = self._cache.get(key)
            if model is not None:
                self._cache.move_to_end(key)
                return version, model
        blob = session.scalar(select(DetectorModel.blob).where(DetectorModel.detector_id == detector.id,
                                                               DetectorModel.version == version))
        if blob is None:  # replaced by a newer version in between: take that one
            return self.current(session, detector)
        model = TrainedModel.from_bytes(blob)
        with self._lock:
            self._cache[key] = model
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        return version, model

    @staticmethod
    def save(session: Session, detector_id: str, version: int, model: TrainedModel) -> None:
        stored = session.get(DetectorModel, detector_id)
        if stored is None:
            session.add(DetectorModel(detector_id=detector_id, version=version, blob=model.to_bytes()))
        else:
            stored.version = version
            stored.blob = model.to_bytes()
