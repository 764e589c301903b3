"""Mutants of resilience: a readiness that lies about its database, a lost database file nobody notices, writes
confirmed before they are stored, a service that forgets identity's keys when identity is down, a service that
waits as long as a slow identity.

Guarded by the scenarios of `features/resilience/` (they need the capabilities restart, database_faults and
network_faults, which the managed `local` environment declares).
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.bites.case import Case
from tests.bites.mutants import AppFactory, Mutant, _replace


def readiness_ignores_database(factory: AppFactory) -> AppFactory:
    """§6: readiness reports its database "ok" without asking it."""
    original = importlib.import_module("services.common.app")._readiness_checks

    def checks(db: Any, verifier: Any) -> dict[str, Any]:
        return {**original(db, verifier), "database": lambda: True}

    _replace("services.common.app", "_readiness_checks", checks)
    return factory


def lost_database_file_unnoticed(factory: AppFactory) -> AppFactory:
    """§6: the reference as it was: pooled connections keep writing into the vanished SQLite file, and a new
    connection creates an empty database where the old one was."""

    def creating(path: Path) -> Any:
        return lambda: sqlite3.connect(str(path), check_same_thread=False, timeout=30)

    _replace("services.common.db", "_read_write_only", creating)
    _replace("services.common.db", "_same_file", lambda path: (lambda *_args: None))
    return factory


def acknowledged_writes_kept_in_memory(factory: AppFactory) -> AppFactory:
    """§1/§6: writes are confirmed (2xx) while they live only in the process's memory (an in-memory database
    standing in for a write-behind cache that a crash empties): what was confirmed before a crash is gone."""

    def in_memory(_path: Path) -> Any:
        return lambda: sqlite3.connect("file:acknowledged-in-memory?mode=memory&cache=shared", uri=True,
                                       check_same_thread=False, timeout=30)

    _replace("services.common.db", "_read_write_only", in_memory)
    _replace("services.common.db", "_remember_file", lambda path: (lambda *_args: None))
    _replace("services.common.db", "_same_file", lambda path: (lambda *_args: None))
    return factory


def idempotency_records_kept_in_memory(factory: AppFactory) -> AppFactory:
    """§1/§4: a payment's Idempotency-Key is remembered in the process only: a repeat after a restart records the
    payment a second time."""
    problems = importlib.import_module("services.common.problems")
    seen: dict[tuple[str, str], tuple[str, int, bytes]] = {}

    def earlier_answer(_session: Any, tenant_id: str, key: str, request: str) -> Any:
        if (tenant_id, key) not in seen:
            return None
        fingerprint, status_code, body = seen[(tenant_id, key)]
        if fingerprint != request:
            raise problems.ProblemError(409, "idempotency-key-reused", "This Idempotency-Key was already used.")
        return SimpleNamespace(status_code=status_code, body=body.decode())

    def remember(_session: Any, tenant_id: str, key: str, request: str, status_code: int, body: bytes) -> None:
        seen[(tenant_id, key)] = (request, status_code, body)

    _replace("services.sales.idempotency", "earlier_answer", earlier_answer)
    _replace("services.sales.idempotency", "remember", remember)
    return factory


def trained_models_kept_in_memory(factory: AppFactory) -> AppFactory:
    """§1/§5: a trained model lives in the process's cache only (its stored copy is empty): the detector still
    says version 1 after a restart, but cannot detect with it."""
    store = importlib.import_module("services.anomaly.model_store")

    class Forgetting(store.ModelStore):  # type: ignore[name-defined, misc]
        def save(self, session: Any, detector_id: str, version: int, model: Any) -> None:  # type: ignore[override]
            with self._lock:
                self._cache[(detector_id, version)] = model
            stored = session.get(store.DetectorModel, detector_id)
            if stored is None:
                session.add(store.DetectorModel(detector_id=detector_id, version=version, blob=b""))
            else:
                stored.version, stored.blob = version, b""

    _replace("services.anomaly.app", "ModelStore", Forgetting)
    return factory


def cached_keys_forgotten(factory: AppFactory) -> AppFactory:
    """§2: every pass is checked against keys fetched afresh; with identity down no key is known."""
    auth = importlib.import_module("services.common.auth")

    class Forgetful(auth.JwksCache):  # type: ignore[name-defined, misc]
        async def key(self, kid: str) -> Any | None:
            self._keys.clear()
            await self.refresh()
            return self._keys.get(kid)

    class RemembersNothing(auth.VerifiedTokens):  # type: ignore[name-defined, misc]
        def get(self, token: str) -> None:  # no pass is known verified without its key either
            return None

    _replace("services.common.auth", "JwksCache", Forgetful)
    _replace("services.common.auth", "VerifiedTokens", RemembersNothing)
    return factory


def waits_as_long_as_identity(factory: AppFactory) -> AppFactory:
    """§2: sales and anomaly wait 30 s for each answer of identity, and ask it again at every call."""
    client = importlib.import_module("services.common.identity_client").HttpIdentityClient

    class Patient(client):  # type: ignore[misc, valid-type]
        def __init__(self, base_url: str, **kwargs: Any) -> None:
            super().__init__(base_url, **{**kwargs, "timeout": 30.0, "cooldown": 0.0})

    for module in ("services.sales.app", "services.anomaly.app"):
        _replace(module, "HttpIdentityClient", Patient)
    return factory


MUTANTS: tuple[Mutant, ...] = (
    Mutant("readiness_ignores_database", ("identity", "sales", "anomaly"),
           "§6 503 service-unavailable naming the failing check (database)", readiness_ignores_database),
    Mutant("lost_database_file_unnoticed", ("identity", "sales", "anomaly"),
           "§6 503 naming the failing check (database); §1 a 2xx means the change survives",
           lost_database_file_unnoticed),
    Mutant("acknowledged_writes_kept_in_memory", ("identity", "sales", "anomaly"),
           "§1 a 2xx answer means the change is stored: it survives a crash", acknowledged_writes_kept_in_memory),
    Mutant("idempotency_records_kept_in_memory", ("sales",),
           "§4 a repeat with the same Idempotency-Key replays the first answer; §1 it survives a crash",
           idempotency_records_kept_in_memory),
    Mutant("trained_models_kept_in_memory", ("anomaly",),
           "§1 a 2xx answer means the change survives a crash: a trained detector version",
           trained_models_kept_in_memory),
    Mutant("cached_keys_forgotten", ("sales", "anomaly"),
           "§2 while identity is down, tokens signed by a cached key keep working", cached_keys_forgotten),
    Mutant("waits_as_long_as_identity", ("sales", "anomaly"),
           "§2 sales and anomaly keep answering while identity is down or slow", waits_as_long_as_identity),
)

CASES: tuple[Case, ...] = (
    Case("readiness_ignores_database", "sales", "@REQ-RES-DB-01",
         r"^the operator sees that sales has lost its database", r"expected a 503 service-unavailable problem"),
    Case("lost_database_file_unnoticed", "sales", "@REQ-RES-DB-01 or @REQ-RES-DB-02",
         r"lost its database|refused while the sales database is away", r"service-unavailable"),
    Case("acknowledged_writes_kept_in_memory", "sales", "@REQ-RES-DUR-01",
         r"^Rita's and Ravi's clients confirmed during a burst cut short by a crash are all kept"),
    Case("acknowledged_writes_kept_in_memory", "identity", "@REQ-RES-DUR-02",
         r"^Ravi's change of his password, confirmed just before identity crashed"),
    Case("idempotency_records_kept_in_memory", "sales", "@REQ-RES-DUR-03",
         r"^Maria's payment, sent again with its reference once sales is back, is recorded once",
         r"the repeat answered 201|payments: confirmed"),
    Case("trained_models_kept_in_memory", "anomaly", "@REQ-RES-DUR-02",
         r"^Ana's detector trained on her night shift readings, confirmed just before anomaly crashed",
         r"detection: confirmed"),
    Case("cached_keys_forgotten", "anomaly", "@REQ-RES-ID-01",
         r"^Rita and Ana keep working while the identity service is down", r"Ana on anomaly: 401"),
    Case("waits_as_long_as_identity", "anomaly", "@REQ-RES-SLOW-01",
         r"^Rita and Ana are answered in time while identity answers slowly", r"Ana on anomaly"),
)
