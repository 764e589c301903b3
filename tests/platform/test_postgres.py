"""The three services on PostgreSQL (contract §6: "PostgreSQL accepted"), in-process like the other platform tests.

Every test runs twice, on SQLite and on a throwaway PostgreSQL cluster (tools/postgres.py, started once for the
module): the same expectations must hold on both. The cluster's server time zone is not UTC, so that any
timestamp that leans on the server's zone shows. The checks are the places where PostgreSQL and SQLite differ:
types and lengths are enforced, NUL is refused in text, sums come back as numeric, writers do not queue behind
one lock. Where PostgreSQL is not installed the `postgresql` half is skipped, with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from services.anomaly.app import create_app as create_anomaly
from services.anomaly.models import Base as AnomalyBase
from services.common.settings import load_settings
from services.common.testing import FakeIdentity
from services.identity.app import create_app as create_identity
from services.identity.models import Base as IdentityBase
from services.sales.app import create_app as create_sales
from services.sales.models import Base as SalesBase
from tests.platform.anomaly.conftest import World as AnomalyWorld
from tests.platform.anomaly.conftest import wait_for_job
from tests.platform.identity.support import Api, make_settings
from tests.platform.sales.support import Org
from tests.platform.sales.support import World as SalesWorld
from tools import postgres as pg

# One process builds this module's expensive fixture (pytest-xdist --dist loadgroup, .ci/run).
pytestmark = pytest.mark.xdist_group("postgres")

UNAVAILABLE = pg.available()
SERVER_TIMEZONE = "Asia/Kathmandu"  # UTC+05:45: no accident makes a local time look like UTC


@dataclass(frozen=True)
class Backend:
    name: str  # sqlite | postgresql
    urls: dict[str, str]
    cluster: pg.Cluster | None = None


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        yield Backend("sqlite", {name: f"sqlite:///{folder / name}.db" for name in pg.DEFAULT_DATABASES})
        return
    if UNAVAILABLE is not None:
        pytest.skip(f"PostgreSQL is not available: {UNAVAILABLE}")
    cluster = pg.start(timezone=SERVER_TIMEZONE)
    try:
        yield Backend("postgresql", cluster.urls(), cluster)
    finally:
        pg.stop(cluster.directory)


@pytest.fixture(scope="module")
def identity(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = make_settings(tmp_path_factory.mktemp("identity"), DATABASE_URL=backend.urls["identity"])
    app = create_identity(settings)
    with TestClient(app) as client:
        yield Api(client, settings)
    app.state.db.dispose()


@pytest.fixture(scope="module")
def sales(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SalesWorld]:
    settings = load_settings("sales", {"DATABASE_URL": backend.urls["sales"], "RATE_LIMIT_PER_TENANT": "10000",
                                       "DATA_DIR": str(tmp_path_factory.mktemp("sales"))})
    fake = FakeIdentity()
    app = create_sales(settings, identity=fake)
    with TestClient(app) as http:
        yield SalesWorld(fake, http, app)
    app.state.db.dispose()


@pytest.fixture(scope="module")
def anomaly(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnomalyWorld]:
    settings = load_settings("anomaly", {"DATABASE_URL": backend.urls["anomaly"], "RATE_LIMIT_PER_TENANT": "10000",
                                         "DATA_DIR": str(tmp_path_factory.mktemp("anomaly"))})
    fake = FakeIdentity()
    app = create_anomaly(settings, identity=fake)
    acme = fake.add_tenant(plan="growth", slug="acme")
    users = {"ana": fake.add_user(acme, ["analyst"], name="Ana"),
             "alice": fake.add_user(acme, ["admin"], name="Alice"),
             "rita": fake.add_user(acme, ["sales_rep"], name="Rita")}
    with TestClient(app) as client:
        yield AnomalyWorld(client, fake, {"acme": acme}, users)
    app.state.db.dispose()


@pytest.fixture
def acme(sales: SalesWorld) -> Org:
    return sales.org()


def assert_utc_z(value: str, *, near: datetime | None = None) -> datetime:
    assert isinstance(value, str) and value.endswith("Z"), value
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.utcoffset() == timedelta(0), value
    if near is not None:
        assert abs(parsed - near) < timedelta(seconds=60), (value, near)
    return parsed


# -- schema -----------------------------------------------------------------------------------------
def test_each_service_creates_all_its_tables_in_its_own_database(
        backend: Backend, identity: Api, sales: SalesWorld, anomaly: AnomalyWorld) -> None:
    for app, base in ((identity.client.app, IdentityBase), (sales.app, SalesBase), (anomaly.client.app, AnomalyBase)):
        engine = app.state.db.engine  # type: ignore[attr-defined]
        assert engine.dialect.name == backend.name
        assert set(base.metadata.tables) <= set(inspect(engine).get_table_names())
        assert app.state.db.ping()  # type: ignore[attr-defined]
    for client in (identity.client, sales.http, anomaly.client):
        ready = client.get("/health/ready")
        assert ready.status_code == 200, ready.text


# -- timestamps -------------------------------------------------------------------------------------
def test_timestamps_are_utc_with_z_although_the_server_zone_is_not_utc(
        backend: Backend, identity: Api, sales: SalesWorld, acme: Org) -> None:
    now = datetime.now(UTC)
    if backend.name == "postgresql":
        with sales.app.state.db.engine.connect() as connection:
            assert connection.execute(text("SHOW TimeZone")).scalar() == SERVER_TIMEZONE
    org = identity.create_tenant()
    assert_utc_z(org.tenant["created_at"], near=now)
    client = acme.client("rita")
    assert_utc_z(client["created_at"], near=now)
    read = sales.http.get(f"/api/v1/clients/{client['id']}", headers=acme.h("rita")).json()
    assert read["created_at"] == client["created_at"]  # the same instant after a round trip
    events = sales.http.get("/api/v1/audit-events", headers=acme.h("alice")).json()["items"]
    assert events and all(assert_utc_z(e["occurred_at"], near=now) for e in events)


def test_a_payment_at_a_quarter_boundary_keeps_its_instant_and_its_quarter(sales: SalesWorld, acme: Org) -> None:
    deal = acme.won_deal("rita")
    # 23:30 on 31 March at UTC-02:00 is 01:30 UTC on 1 April: the second quarter.
    answer = sales.http.post(f"/api/v1/deals/{deal['id']}/payments", headers=acme.h("maria"),
                             json={"amount": "100.00", "received_at": "2026-03-31T23:30:00-02:00"})
    assert answer.status_code == 201, answer.text
    instant = datetime(2026, 4, 1, 1, 30, tzinfo=UTC)
    assert assert_utc_z(answer.json()["received_at"]) == instant
    listed = sales.http.get(f"/api/v1/deals/{deal['id']}/payments", headers=acme.h("maria")).json()
    assert listed["items"][0]["received_at"] == answer.json()["received_at"]
    owner = deal["owner_id"]
    q2 = sales.http.get("/api/v1/commissions", params={"owner_id": owner, "period": "2026-Q2"},
                        headers=acme.h("maria")).json()
    q1 = sales.http.get("/api/v1/commissions", params={"owner_id": owner, "period": "2026-Q1"},
                        headers=acme.h("maria")).json()
    assert [line["payment_id"] for line in q2["lines"]] == [answer.json()["id"]]
    assert q1["lines"] == [] and q1["total"] == "0.00"
    assert q2["total"] == "7.00"  # 12,000 net -> 7 % of 100.00


# -- JSON columns -----------------------------------------------------------------------------------
def test_json_columns_round_trip_lists_unicode_and_nested_values(
        identity: Api, anomaly: AnomalyWorld) -> None:
    org = identity.create_tenant()
    user, _ = identity.create_user(org, ["sales_manager", "auditor"])
    read = identity.get(f"/api/v1/users/{user['id']}", org.admin_token).json()
    assert sorted(read["roles"]) == ["auditor", "sales_manager"]

    columns = ["größe 📈", 'naïve "quoted"', "Ω\\back"]
    dataset = anomaly.dataset(columns=columns, rows=[[1, 2, 3], [2, 3, 4], [3, 4, 50], [4, 5, 6]])
    again = anomaly.client.get(f"/api/v1/datasets/{dataset['id']}", headers=anomaly.h("ana")).json()
    assert [c["name"] for c in again["columns"]] == columns
    detector = anomaly.detector(name="unicode", features=columns, threshold=2.5)
    anomaly.train(detector["id"], dataset["id"])
    fetched = anomaly.client.get(f"/api/v1/detectors/{detector['id']}", headers=anomaly.h("ana")).json()
    assert fetched["features"] == columns and fetched["params"] == detector["params"]
    feedback = anomaly.client.post(f"/api/v1/detectors/{detector['id']}/feedback", headers=anomaly.h("ana"),
                                   json={"row": {"größe 📈": 1.5, 'naïve "quoted"': 2, "Ω\\back": 1e-9},
                                         "label": "anomaly"})
    assert feedback.status_code == 201, feedback.text


# -- money ------------------------------------------------------------------------------------------
def test_money_round_trips_at_the_largest_amount_and_in_jpy(sales: SalesWorld) -> None:
    eur = sales.org(threshold="50")
    big = eur.deal("rita", amount="1000000000", discount_percent="12.5")
    assert (big["amount"], big["net_amount"]) == ("1000000000.00", "875000000.00")
    odd = eur.deal("rita", amount="999999999.99", discount_percent="0.5")
    assert odd["net_amount"] == "994999999.99"  # 994,999,999.990 05 half-up
    read = sales.http.get(f"/api/v1/deals/{odd['id']}", headers=eur.h("rita")).json()
    assert (read["amount"], read["net_amount"], read["paid_amount"]) == ("999999999.99", "994999999.99", "0.00")
    report = sales.http.get("/api/v1/reports/pipeline", headers=eur.h("maria")).json()
    assert report["stages"]["lead"] == {"count": 2, "net_amount": "1869999999.99"}  # a SUM beyond 32 bits
    assert report["stages"]["won"] == {"count": 0, "net_amount": "0.00"}

    jpy = sales.org(currency="JPY")
    deal = jpy.won_deal("rita", amount="1500")
    assert (deal["amount"], deal["net_amount"], deal["currency"]) == ("1500", "1500", "JPY")
    paid = sales.http.post(f"/api/v1/deals/{deal['id']}/payments", headers=jpy.h("maria"), json={"amount": "1499"})
    assert paid.status_code == 201 and paid.json()["amount"] == "1499", paid.text
    over = sales.http.post(f"/api/v1/deals/{deal['id']}/payments", headers=jpy.h("maria"), json={"amount": "2"})
    assert over.status_code == 422 and "overpayment" in over.text
    final = sales.http.get(f"/api/v1/deals/{deal['id']}", headers=jpy.h("rita")).json()
    assert (final["paid_amount"], final["payment_status"]) == ("1499", "partially_paid")


# -- concurrency ------------------------------------------------------------------------------------
def _together(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


@pytest.mark.parametrize("targets", [("won", "lost"), ("won", "won")])
def test_of_two_concurrent_transitions_exactly_one_wins(sales: SalesWorld, acme: Org, targets: tuple[str, str]) -> None:
    for _ in range(3):
        deal = acme.move(acme.deal("rita"), "qualified", "proposal")
        path = f"/api/v1/deals/{deal['id']}/transitions"
        answers = _together([lambda to=to, path=path: sales.http.post(path, json={"to": to}, headers=acme.h("rita"))
                             for to in targets])
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        assert next(a for a in answers if a.status_code == 409).json()["type"].endswith("/invalid-transition")
        final = sales.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")).json()
        assert final["version"] == deal["version"] + 1


def test_concurrent_payments_never_overpay(sales: SalesWorld, acme: Org) -> None:
    deal = acme.won_deal("rita", amount="1000")
    path = f"/api/v1/deals/{deal['id']}/payments"
    answers = _together([lambda: sales.http.post(path, json={"amount": "600"}, headers=acme.h("maria"))
                         for _ in range(2)])
    assert sorted(a.status_code for a in answers) == [201, 422], [a.text for a in answers]
    assert sales.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")).json()["paid_amount"] == "600.00"


# -- idempotency ------------------------------------------------------------------------------------
def test_an_idempotent_payment_replays_and_records_once(sales: SalesWorld, acme: Org) -> None:
    deal = acme.won_deal("rita")
    path = f"/api/v1/deals/{deal['id']}/payments"
    headers = acme.h("maria", **{"Idempotency-Key": "pay-once-" + deal["id"]})
    first = sales.http.post(path, json={"amount": "100.00"}, headers=headers)
    again = sales.http.post(path, json={"amount": "100.00"}, headers=headers)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.content == first.content
    other = sales.http.post(path, json={"amount": "101.00"}, headers=headers)
    assert other.status_code == 409 and other.json()["type"].endswith("/idempotency-key-reused")
    payments = sales.http.get(path, headers=acme.h("maria")).json()
    assert payments["total"] == 1


def test_a_concurrent_replay_of_one_idempotency_key_answers_the_same_201(sales: SalesWorld, acme: Org) -> None:
    for attempt in range(3):
        deal = acme.won_deal("rita")
        path = f"/api/v1/deals/{deal['id']}/payments"
        headers = acme.h("maria", **{"Idempotency-Key": f"race-{attempt}-{deal['id']}"})
        def pay(path: str = path, headers: dict[str, str] = headers) -> httpx.Response:
            return sales.http.post(path, json={"amount": "100.00"}, headers=headers)

        answers = _together([pay] * 3)
        assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
        assert len({a.content for a in answers}) == 1
        assert sales.http.get(path, headers=acme.h("maria")).json()["total"] == 1


# -- identity: refresh tokens ----------------------------------------------------------------------
def test_a_reused_refresh_token_kills_its_family(identity: Api) -> None:
    org = identity.create_tenant()
    first = identity.tokens(org.slug, org.admin_email)
    second = identity.post("/api/v1/auth/refresh", None, {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    reuse = identity.post("/api/v1/auth/refresh", None, {"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    newest = identity.post("/api/v1/auth/refresh", None, {"refresh_token": second.json()["refresh_token"]})
    assert newest.status_code == 401
    assert identity.tokens(org.slug, org.admin_email)["refresh_token"]  # a new sign-in still works


# -- anomaly: upload, training, detection -----------------------------------------------------------
def test_a_csv_upload_trains_and_detects(anomaly: AnomalyWorld) -> None:
    lines = ["amount,hour,label"] + [f"{100 + i % 7},{8 + i % 10},0" for i in range(300)] + ["9000,3,1"]
    upload = anomaly.client.post("/api/v1/datasets", headers=anomaly.h("ana"), data={"name": "payments"},
                                 files={"file": ("payments.csv", "\n".join(lines).encode(), "text/csv")})
    assert upload.status_code == 201, upload.text
    dataset = upload.json()
    assert dataset["row_count"] == 301
    profile = anomaly.client.get(f"/api/v1/datasets/{dataset['id']}/profile", headers=anomaly.h("ana")).json()
    assert profile["row_count"] == 301 and profile["columns"][0]["max"] == 9000
    for algorithm in ("isolation_forest", "robust_zscore", "iqr"):
        detector = anomaly.detector(name=algorithm, algorithm=algorithm, features=["amount", "hour"], random_seed=7)
        response = anomaly.client.post(f"/api/v1/detectors/{detector['id']}/training", headers=anomaly.h("ana"),
                                       json={"dataset_id": dataset["id"]})
        assert response.status_code == 202, response.text
        job = wait_for_job(anomaly.client, response.json()["job_id"], anomaly.h("ana"))
        assert job["status"] == "succeeded", job
        assert assert_utc_z(job["created_at"]) <= assert_utc_z(job["finished_at"])
        detected = anomaly.client.post(f"/api/v1/detectors/{detector['id']}/detections", headers=anomaly.h("ana"),
                                       json={"rows": [{"amount": 103, "hour": 12}, {"amount": 9000, "hour": 3}]})
        assert detected.status_code == 200, detected.text
        result = detected.json()
        assert result["detector_version"] == 1
        assert [r["is_anomaly"] for r in result["results"]] == [False, True], (algorithm, result)
        evaluation = anomaly.client.post(f"/api/v1/detectors/{detector['id']}/evaluations", headers=anomaly.h("ana"),
                                         json={"dataset_id": dataset["id"], "label_column": "label"})
        assert evaluation.status_code == 200 and evaluation.json()["true_positives"] == 1, evaluation.text


# -- pagination -------------------------------------------------------------------------------------
def test_pages_count_all_rows_and_keep_creation_order(sales: SalesWorld) -> None:
    org = sales.org()
    created = [org.client("alice", name=f"Client {i:02d}")["id"] for i in range(25)]
    seen: list[str] = []
    for page in (1, 2, 3):
        body = sales.http.get("/api/v1/clients", params={"page": page, "page_size": 10}, headers=org.h("alice")).json()
        assert (body["page"], body["page_size"], body["total"]) == (page, 10, 25)
        seen += [item["id"] for item in body["items"]]
        stamps = [item["created_at"] for item in body["items"]]
        assert stamps == sorted(stamps)
    assert seen == created
    past = sales.http.get("/api/v1/clients", params={"page": 10**12, "page_size": 100}, headers=org.h("alice"))
    assert past.status_code in (200, 422), past.text
    if past.status_code == 200:
        assert past.json()["items"] == [] and past.json()["total"] == 25
    search = sales.http.get("/api/v1/clients", params={"q": "CLIENT 1", "page_size": 5}, headers=org.h("alice")).json()
    assert search["total"] == 10 and len(search["items"]) == 5


# -- NUL and very long strings ----------------------------------------------------------------------
NUL_ID = "abc\x00def"  # as a query value (httpx encodes it as %00)
NUL_PATH = "abc%00def"  # the same id as a path segment


def _nul_cases(identity: Api, sales: SalesWorld, acme: Org, anomaly: AnomalyWorld) -> list[tuple[str, Any]]:
    org = identity.create_tenant()
    admin = {"Authorization": f"Bearer {org.admin_token}"}
    ident, sale, anom = identity.client, sales.http, anomaly.client
    return [
        ("identity GET user", lambda: ident.get(f"/api/v1/users/{NUL_PATH}", headers=admin)),
        ("identity PATCH user", lambda: ident.patch(f"/api/v1/users/{NUL_PATH}", json={"name": "x"}, headers=admin)),
        ("identity audit id", lambda: ident.get(f"/api/v1/audit-events/{NUL_PATH}", headers=admin)),
        ("identity audit filter", lambda: ident.get("/api/v1/audit-events", params={"action": NUL_ID}, headers=admin)),
        ("sales GET client", lambda: sale.get(f"/api/v1/clients/{NUL_PATH}", headers=acme.h("rita"))),
        ("sales DELETE client", lambda: sale.delete(f"/api/v1/clients/{NUL_PATH}", headers=acme.h("alice"))),
        ("sales GET deal", lambda: sale.get(f"/api/v1/deals/{NUL_PATH}", headers=acme.h("rita"))),
        ("sales transition", lambda: sale.post(f"/api/v1/deals/{NUL_PATH}/transitions", json={"to": "won"},
                                               headers=acme.h("rita"))),
        ("sales payments", lambda: sale.get(f"/api/v1/deals/{NUL_PATH}/payments", headers=acme.h("maria"))),
        ("sales pay", lambda: sale.post(f"/api/v1/deals/{NUL_PATH}/payments", json={"amount": "1"},
                                        headers=acme.h("maria"))),
        ("sales read notification", lambda: sale.post(f"/api/v1/notifications/{NUL_PATH}/read",
                                                      headers=acme.h("rita"))),
        ("sales denied (403 audited)", lambda: sale.get(f"/api/v1/deals/{NUL_PATH}", headers=acme.h("ana"))),
        ("sales q", lambda: sale.get("/api/v1/clients", params={"q": NUL_ID}, headers=acme.h("rita"))),
        ("sales owner filter", lambda: sale.get("/api/v1/deals", params={"owner_id": NUL_ID}, headers=acme.h("maria"))),
        ("sales stage filter", lambda: sale.get("/api/v1/deals", params={"stage": NUL_ID}, headers=acme.h("maria"))),
        ("sales commissions", lambda: sale.get("/api/v1/commissions", params={"owner_id": NUL_ID},
                                               headers=acme.h("maria"))),
        ("sales audit filters", lambda: sale.get("/api/v1/audit-events", headers=acme.h("alice"),
                                                 params={"actor_id": NUL_ID, "resource_id": NUL_ID,
                                                         "outcome": NUL_ID})),
        ("anomaly dataset", lambda: anom.get(f"/api/v1/datasets/{NUL_PATH}", headers=anomaly.h("ana"))),
        ("anomaly delete", lambda: anom.delete(f"/api/v1/datasets/{NUL_PATH}", headers=anomaly.h("ana"))),
        ("anomaly detector", lambda: anom.get(f"/api/v1/detectors/{NUL_PATH}", headers=anomaly.h("ana"))),
        ("anomaly training", lambda: anom.post(f"/api/v1/detectors/{NUL_PATH}/training", json={"dataset_id": "x"},
                                               headers=anomaly.h("ana"))),
        ("anomaly job", lambda: anom.get(f"/api/v1/jobs/{NUL_PATH}", headers=anomaly.h("ana"))),
        ("anomaly denied (403 audited)", lambda: anom.get(f"/api/v1/datasets/{NUL_PATH}", headers=anomaly.h("rita"))),
        ("anomaly training body", lambda: anom.post(f"/api/v1/detectors/{NUL_PATH}/training",
                                                    json={"dataset_id": NUL_ID}, headers=anomaly.h("ana"))),
    ]


def _matches_nothing(answer: httpx.Response) -> bool:
    body = answer.json() if answer.status_code == 200 else {}
    return (body.get("items") == [] and body.get("total") == 0) or body.get("lines") == []


def test_nul_in_ids_is_a_4xx_and_in_filters_a_4xx_or_an_empty_answer_never_a_500(
        identity: Api, sales: SalesWorld, acme: Org, anomaly: AnomalyWorld) -> None:
    """As pinned for SQLite in test_fuzz_regressions: a NUL id is 404, a NUL filter matches nothing."""
    failures = []
    for name, call in _nul_cases(identity, sales, acme, anomaly):
        answer = call()
        if not (400 <= answer.status_code < 500 or _matches_nothing(answer)):
            failures.append(f"{name}: {answer.status_code} {answer.text[:200]}")
        elif "/" + NUL_PATH in str(answer.request.url) and answer.status_code != 404:
            failures.append(f"{name}: {answer.status_code}, expected 404 for a NUL id")
    assert not failures, "\n".join(failures)
    for client in (identity.client, sales.http, anomaly.client):  # and nothing broke the pools
        assert client.get("/health/ready").status_code == 200


def test_very_long_strings_are_stored_whole_or_refused_with_a_4xx(
        identity: Api, sales: SalesWorld, acme: Org, anomaly: AnomalyWorld) -> None:
    long_id = "x" * 5000
    failures = []
    probes = {
        "sales GET long id": sales.http.get(f"/api/v1/clients/{long_id}", headers=acme.h("rita")),
        "sales denied long id": sales.http.get(f"/api/v1/deals/{long_id}", headers=acme.h("ana")),
        "sales q long": sales.http.get("/api/v1/clients", params={"q": long_id}, headers=acme.h("rita")),
        "sales owner filter long": sales.http.get("/api/v1/deals", params={"owner_id": long_id},
                                                  headers=acme.h("maria")),
        "sales audit filter long": sales.http.get("/api/v1/audit-events", params={"action": long_id},
                                                  headers=acme.h("alice")),
        "sales client long name": sales.http.post("/api/v1/clients", headers=acme.h("rita"),
                                                  json={"name": "n" * 5000, "email": "a@b.example", "country": "DE"}),
        "sales client long email": sales.http.post("/api/v1/clients", headers=acme.h("rita"),
                                                   json={"name": "n", "email": "a" * 400 + "@b.example",
                                                         "country": "DE"}),
        "sales deal long title": sales.http.post("/api/v1/deals", headers=acme.h("rita"),
                                                 json={"client_id": acme.client("rita")["id"], "title": "t" * 5000,
                                                       "amount": "1"}),
        "sales deal long client id": sales.http.post("/api/v1/deals", headers=acme.h("rita"),
                                                     json={"client_id": long_id, "title": "t", "amount": "1"}),
        "sales long idempotency key": sales.http.post(f"/api/v1/deals/{long_id}/payments", json={"amount": "1"},
                                                      headers=acme.h("maria", **{"Idempotency-Key": long_id})),
        "identity user long id": identity.get(f"/api/v1/users/{long_id}", identity.operator_token),
        "identity sign-in long tenant": identity.sign_in(long_id, "a@b.example", "x" * 20),
        "identity long refresh token": identity.post("/api/v1/auth/refresh", None, {"refresh_token": long_id}),
        "anomaly long id": anomaly.client.get(f"/api/v1/detectors/{long_id}", headers=anomaly.h("ana")),
        "anomaly denied long id": anomaly.client.get(f"/api/v1/detectors/{long_id}", headers=anomaly.h("rita")),
        "anomaly long dataset name": anomaly.client.post("/api/v1/datasets", headers=anomaly.h("ana"),
                                                         json={"name": "d" * 5000, "columns": ["x"], "rows": [[1]]}),
        "anomaly long column name": anomaly.client.post("/api/v1/datasets", headers=anomaly.h("ana"),
                                                        json={"name": "d", "columns": ["c" * 5000], "rows": [[1]]}),
    }
    for name, answer in probes.items():
        if not 200 <= answer.status_code < 500:
            failures.append(f"{name}: {answer.status_code} {answer.text[:200]}")
    assert not failures, "\n".join(failures)
    denied = sales.http.get("/api/v1/audit-events", params={"outcome": "denied", "resource_id": long_id[:64]},
                            headers=acme.h("alice")).json()
    assert denied["total"] >= 1, "the 403 on a 5000-character id was not audited"

    # At the limits, multi-byte text is stored whole: PostgreSQL counts characters, not bytes.
    name = "名" * 199 + "📈"
    client = acme.client("rita", name=name)
    assert sales.http.get(f"/api/v1/clients/{client['id']}", headers=acme.h("rita")).json()["name"] == name
    dataset = anomaly.dataset(name=name)
    assert anomaly.client.get(f"/api/v1/datasets/{dataset['id']}", headers=anomaly.h("ana")).json()["name"] == name
    deal = acme.won_deal("rita")
    key = "k" * 255
    paid = sales.http.post(f"/api/v1/deals/{deal['id']}/payments", json={"amount": "1"},
                           headers=acme.h("maria", **{"Idempotency-Key": key}))
    assert paid.status_code == 201, paid.text
    org = identity.create_tenant()
    email = "u" * 64 + "@" + "d" * 240 + ".example"
    created = identity.post("/api/v1/users", org.admin_token,
                            {"email": email, "name": name, "password": "p" * 128, "roles": ["auditor"]})
    assert created.status_code == 201, created.text
    assert identity.sign_in(org.slug, email, "p" * 128).status_code == 200


def test_the_cluster_is_ours_on_loopback_and_answers(backend: Backend) -> None:
    if backend.cluster is None:
        pytest.skip("SQLite: no cluster")
    assert pg.running(backend.cluster) and backend.cluster.host == "127.0.0.1"
    assert pg.Cluster.load(backend.cluster.directory) == backend.cluster
