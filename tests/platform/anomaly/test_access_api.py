"""Roles, tenancy and authentication on every anomaly endpoint (contract §2, §5)."""

from __future__ import annotations

import pytest

from tests.platform.anomaly.conftest import World

MISSING = "00000000-0000-4000-8000-000000000000"
WRITES = [
    ("POST", "/api/v1/datasets", {"name": "x", "columns": ["a"], "rows": [[1]]}),
    ("DELETE", "/api/v1/datasets/{ds}", None),
    ("POST", "/api/v1/detectors", {"name": "d", "algorithm": "iqr", "features": ["x"]}),
    ("POST", "/api/v1/detectors/{det}/training", {"dataset_id": "{ds}"}),
    ("POST", "/api/v1/detectors/{det}/detections", {"rows": [{"x": 1, "y": 1}]}),
    ("POST", "/api/v1/detectors/{det}/feedback", {"row": {"x": 1, "y": 1}, "label": "normal"}),
    ("POST", "/api/v1/detectors/{det}/evaluations", {"dataset_id": "{ds}", "label_column": "y"}),
]
READS = [
    "/api/v1/datasets", "/api/v1/datasets/{ds}", "/api/v1/datasets/{ds}/profile", "/api/v1/detectors",
    "/api/v1/detectors/{det}", "/api/v1/jobs/{job}",
]


@pytest.fixture(scope="module")
def ids(world: World) -> dict[str, str]:
    ds = world.dataset(rows=[[1, 1], [2, 2], [3, 3], [4, 4]])
    det = world.detector()
    job = world.train(det["id"], ds["id"])
    return {"ds": ds["id"], "det": det["id"], "job": job["id"]}


def fill(template: object, ids: dict[str, str]) -> object:
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    return template


def call(world: World, who: str, method: str, path: str, body: object = None):
    return world.client.request(method, path, headers=world.h(who), json=body)


@pytest.mark.parametrize("who", ["rita", "maria", "oscar"])
def test_sales_roles_and_operator_get_403_on_every_call(world: World, ids: dict[str, str], who: str) -> None:
    for method, path, body in WRITES:
        for target in (ids, dict.fromkeys(ids, MISSING)):
            response = call(world, who, method, str(fill(path, target)), fill(body, target))
            assert response.status_code == 403, (method, path, response.text)
            assert response.json()["type"] == "https://problems.platform.example/forbidden"
    for path in READS:
        for target in (ids, dict.fromkeys(ids, MISSING)):
            assert call(world, who, "GET", str(fill(path, target))).status_code == 403, path
    stream = world.client.post(f"/api/v1/detectors/{MISSING}/stream", content=b"{}\n",
                               headers={**world.h(who), "Content-Type": "application/x-ndjson"})
    assert stream.status_code == 403


def test_auditor_reads_but_never_writes(world: World, ids: dict[str, str]) -> None:
    for path in READS:
        assert call(world, "otto", "GET", str(fill(path, ids))).status_code == 200, path
    for method, path, body in WRITES:
        response = call(world, "otto", method, str(fill(path, ids)), fill(body, ids))
        assert response.status_code == 403, (method, path)
    denied = world.client.get(f"/api/v1/audit-events?outcome=denied&actor_id={world.users['otto']}",
                              headers=world.h("alice")).json()
    assert denied["total"] >= len(WRITES)


def test_admin_may_do_what_analysts_do(world: World, ids: dict[str, str]) -> None:
    assert call(world, "alice", "GET", f"/api/v1/detectors/{ids['det']}").status_code == 200
    response = call(world, "alice", "POST", f"/api/v1/detectors/{ids['det']}/detections",
                    {"rows": [{"x": 1, "y": 1}]})
    assert response.status_code == 200


def test_another_tenants_resources_look_like_they_never_existed(world: World, ids: dict[str, str]) -> None:
    missing = dict.fromkeys(ids, MISSING)
    for path in [p for p in READS if "{" in p]:
        theirs = call(world, "bob", "GET", str(fill(path, ids)))
        never = call(world, "bob", "GET", str(fill(path, missing)))
        assert theirs.status_code == never.status_code == 404, path
        assert theirs.json() == never.json()
    for method, path, body in WRITES[1:]:
        if "{det}" not in path and "{ds}" not in path:
            continue
        theirs = call(world, "bob", method, str(fill(path, ids)), fill(body, ids))
        never = call(world, "bob", method, str(fill(path, missing)), fill(body, missing))
        assert theirs.status_code == never.status_code == 404, (method, path, theirs.text)


def test_a_dataset_id_of_another_tenant_is_an_unknown_reference(world: World, ids: dict[str, str]) -> None:
    theirs = world.detector("bob")
    response = call(world, "bob", "POST", f"/api/v1/detectors/{theirs['id']}/training", {"dataset_id": ids["ds"]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "dataset_id", "code": "unknown_reference", "message": "no such dataset"}]


def test_no_token_or_a_bad_token_is_401(world: World) -> None:
    response = world.client.get("/api/v1/datasets")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    response = world.client.get("/api/v1/datasets", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_current_roles_count_not_the_tokens(world: World) -> None:
    user = world.identity.add_user(world.tenants["acme"], ["analyst"])
    headers = world.identity.headers(user)
    assert world.client.get("/api/v1/detectors", headers=headers).status_code == 200
    world.identity.users[user]["roles"] = ["sales_rep"]
    import time

    time.sleep(1.1)  # identity's answer is cached for 1 s
    assert world.client.get("/api/v1/detectors", headers=headers).status_code == 403
