"""Datasets over HTTP: uploads, clear 422s, plan quota, profile, list, delete, audit (contract §5)."""

from __future__ import annotations

from tests.platform.anomaly.conftest import World


def upload_csv(world: World, data: bytes, who: str = "ana", name: str = "sales") -> object:
    return world.client.post("/api/v1/datasets", headers=world.h(who), data={"name": name},
                             files={"file": ("data.csv", data, "text/csv")})


def fields(response: object) -> list[tuple[str, str]]:
    body = response.json()  # type: ignore[attr-defined]
    assert body["type"] == "https://problems.platform.example/validation-failed", body
    return [(e["field"], e["code"]) for e in body["errors"]]


def test_csv_upload_answers_201_dataset(world: World) -> None:
    response = upload_csv(world, b"amount,country\n10,FR\n12.5,DE\n,FR\n")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "tenant_id", "name", "row_count", "columns", "created_at"}
    assert body["row_count"] == 3 and body["name"] == "sales"
    assert body["tenant_id"] == world.tenants["acme"]
    assert body["columns"] == [{"name": "amount", "type": "numeric"}, {"name": "country", "type": "categorical"}]
    assert body["created_at"].endswith("Z")
    assert response.headers["location"] == f"/api/v1/datasets/{body['id']}"
    assert world.client.get(response.headers["location"], headers=world.h("otto")).json() == body


def test_json_upload_with_array_and_object_rows(world: World) -> None:
    response = world.client.post("/api/v1/datasets", headers=world.h("alice"), json={
        "name": "j", "columns": ["a", "b"], "rows": [[1, "x"], {"a": 2, "b": "y"}]})
    assert response.status_code == 201, response.text
    assert response.json()["columns"] == [{"name": "a", "type": "numeric"}, {"name": "b", "type": "categorical"}]


def test_empty_file_and_header_only_are_empty_dataset(world: World) -> None:
    for data in (b"", b"a,b\n"):
        response = upload_csv(world, data)
        assert response.status_code == 422
        assert fields(response)[0][1] == "empty_dataset"
    response = world.client.post("/api/v1/datasets", headers=world.h("ana"),
                                 json={"name": "j", "columns": ["a"], "rows": []})
    assert fields(response) == [("rows", "empty_dataset")]


def test_ragged_row_is_named(world: World) -> None:
    response = upload_csv(world, b"a,b,c,d\n1,2,3,4\n" * 1 + b"1,2,3,4\n" * 15 + b"1,2,3\n")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "rows[17]" and error["code"] == "ragged_row"
    assert "row 17 has 3 values, expected 4" in error["message"]
    response = world.client.post("/api/v1/datasets", headers=world.h("ana"),
                                 json={"name": "j", "columns": ["a", "b"], "rows": [[1, 2], [1, 2, 3]]})
    assert fields(response) == [("rows[1]", "ragged_row")]


def test_non_utf8_and_bad_column_names(world: World) -> None:
    assert fields(upload_csv(world, "a\ncafé\n".encode("latin-1"))) == [("file", "invalid_encoding")]
    assert fields(upload_csv(world, b"a,a\n1,2\n")) == [("columns[1]", "duplicate_column")]
    assert fields(upload_csv(world, b"a,\n1,2\n")) == [("columns[1]", "blank_column")]
    response = world.client.post("/api/v1/datasets", headers=world.h("ana"),
                                 json={"name": "j", "columns": ["a", "a"], "rows": [[1, 2]]})
    assert fields(response) == [("columns[1]", "duplicate_column")]


def test_missing_parts_unknown_fields_and_media_types(world: World) -> None:
    response = world.client.post("/api/v1/datasets", headers=world.h("ana"), data={"name": "x"},
                                 files={"other": ("a.csv", b"a\n1\n", "text/csv")})
    assert ("file", "required") in fields(response)
    response = world.client.post("/api/v1/datasets", headers=world.h("ana"),
                                 json={"name": "j", "columns": ["a"], "rows": [[1]], "id": "x"})
    assert fields(response) == [("id", "read_only_field")]
    response = world.client.post("/api/v1/datasets", headers={**world.h("ana"), "Content-Type": "text/csv"},
                                 content=b"a\n1\n")
    assert response.status_code == 415
    assert response.json()["type"].endswith("/unsupported-media-type")
    response = world.client.post("/api/v1/datasets", headers={**world.h("ana"), "Content-Type": "application/json"},
                                 content=b"{not json")
    assert fields(response) == [("body", "malformed_json")]


def test_rows_over_the_plan_are_quota_exceeded(world: World) -> None:
    data = b"x\n" + b"1\n" * 10_001
    response = upload_csv(world, data, who="sam")  # starter: 10,000 rows per dataset
    assert response.status_code == 403
    assert response.json()["type"] == "https://problems.platform.example/quota-exceeded"
    assert upload_csv(world, b"x\n" + b"1\n" * 10_000, who="sam").status_code == 201


def test_uploads_may_exceed_1_mib_but_not_10_mib(world: World) -> None:
    row = b"1.000000,2.000000,3.000000,4.000000\n"
    big = b"a,b,c,d\n" + row * (2 * 1024 * 1024 // len(row))
    assert upload_csv(world, big, who="alice").status_code == 201
    huge = b"a,b,c,d\n" + row * (11 * 1024 * 1024 // len(row))
    response = upload_csv(world, huge, who="alice")
    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")


def test_profile_endpoint(world: World) -> None:
    ds = world.dataset(columns=["x", "c"], rows=[[1, "a"], [2, "b"], [2, "b"], [None, "a"]])
    profile = world.client.get(f"/api/v1/datasets/{ds['id']}/profile", headers=world.h("ana")).json()
    assert profile["row_count"] == 4 and profile["duplicate_rows"] == 1
    x = profile["columns"][0]
    assert {k: x[k] for k in ("name", "type", "count", "missing", "distinct")} == {
        "name": "x", "type": "numeric", "count": 3, "missing": 1, "distinct": 2}
    assert set(x) >= {"mean", "std", "min", "max", "p25", "p50", "p75"}
    assert set(profile["columns"][1]) == {"name", "type", "count", "missing", "distinct"}


def test_list_is_paged_oldest_first_and_tenant_scoped(world: World) -> None:
    first = world.dataset("bob", name="g1")
    second = world.dataset("bob", name="g2")
    page = world.client.get("/api/v1/datasets?page_size=1&page=2", headers=world.h("bob")).json()
    assert page["page"] == 2 and page["page_size"] == 1 and page["total"] == 2
    assert [item["id"] for item in page["items"]] == [second["id"]]
    every = world.client.get("/api/v1/datasets?page_size=100", headers=world.h("ana")).json()["items"]
    assert first["id"] not in [item["id"] for item in every]
    assert world.client.get("/api/v1/datasets?page_size=101", headers=world.h("ana")).status_code == 422


def test_delete_answers_204_then_404_and_is_audited(world: World) -> None:
    ds = world.dataset(name="to-delete")
    response = world.client.delete(f"/api/v1/datasets/{ds['id']}", headers=world.h("ana"))
    assert response.status_code == 204 and response.content == b""
    assert world.client.get(f"/api/v1/datasets/{ds['id']}", headers=world.h("ana")).status_code == 404
    assert world.client.delete(f"/api/v1/datasets/{ds['id']}", headers=world.h("ana")).status_code == 404
    events = world.client.get(f"/api/v1/audit-events?resource_id={ds['id']}", headers=world.h("otto")).json()
    assert [e["action"] for e in events["items"]] == ["dataset.created", "dataset.deleted"]
    assert {e["actor_id"] for e in events["items"]} == {world.users["ana"]}
