"""Clients: fields, validation, ownership, search, delete rules (contract §4)."""

from __future__ import annotations

from tests.platform.sales.support import Org, World, codes, problem

URL = "/api/v1/clients"


def test_create_defaults_owner_to_caller(world: World, acme: Org) -> None:
    answer = world.http.post(URL, json={"name": "Initech", "email": "a@initech.example", "country": "DE"},
                             headers=acme.h("rita"))
    assert answer.status_code == 201
    body = answer.json()
    assert body["owner_id"] == acme.users["rita"]
    assert body["tenant_id"] == acme.tenant_id
    assert body["country"] == "DE"
    assert set(body) == {"id", "tenant_id", "name", "email", "country", "owner_id", "created_at", "updated_at"}
    assert body["created_at"].endswith("Z")
    assert answer.headers["location"].endswith(body["id"])
    assert answer.headers["cache-control"] == "no-store"


def test_invalid_fields_each_reported(world: World, acme: Org) -> None:
    answer = world.http.post(URL, json={"name": " ", "email": "nope", "country": "XX"}, headers=acme.h("rita"))
    assert codes(answer) == {("name", "blank"), ("email", "invalid_email"), ("country", "invalid_country")}


def test_missing_and_unknown_and_read_only_fields(world: World, acme: Org) -> None:
    answer = world.http.post(URL, json={"name": "A", "email": "a@b.example", "country": "DE", "id": "x",
                                        "colour": "red"}, headers=acme.h("alice"))
    assert codes(answer) == {("id", "read_only_field"), ("colour", "unknown_field")}
    answer = world.http.post(URL, json={"name": "A"}, headers=acme.h("alice"))
    assert {code for _, code in codes(answer)} == {"required"}


def test_rep_cannot_assign_another_owner(world: World, acme: Org) -> None:
    body = {"name": "A", "email": "a@b.example", "country": "FR", "owner_id": acme.users["ravi"]}
    problem(world.http.post(URL, json=body, headers=acme.h("rita")), 403, "forbidden")
    body["owner_id"] = acme.users["rita"]
    assert world.http.post(URL, json=body, headers=acme.h("rita")).status_code == 201


def test_manager_may_assign_any_owner(world: World, acme: Org) -> None:
    client = acme.client("maria", owner_id=acme.users["ravi"])
    assert client["owner_id"] == acme.users["ravi"]
    assert world.http.get(f"{URL}/{client['id']}", headers=acme.h("ravi")).status_code == 200


def test_rep_reads_and_changes_only_own(world: World, acme: Org) -> None:
    mine = acme.client("rita")
    url = f"{URL}/{mine['id']}"
    for verb, kwargs in (("get", {}), ("patch", {"json": {"name": "X"}}), ("delete", {})):
        problem(world.http.request(verb, url, headers=acme.h("ravi"), **kwargs), 403, "forbidden")
    assert world.http.get(url, headers=acme.h("rita")).status_code == 200
    assert world.http.get(url, headers=acme.h("maria")).status_code == 200
    assert world.http.get(url, headers=acme.h("alice")).status_code == 200
    assert world.http.get(url, headers=acme.h("otto")).status_code == 200


def test_rep_lists_only_own_and_foreign_owner_filter_is_empty(world: World, acme: Org) -> None:
    acme.client("rita", name="Rita's")
    acme.client("ravi", name="Ravi's")
    rita = world.http.get(URL, headers=acme.h("rita")).json()
    assert [c["name"] for c in rita["items"]] == ["Rita's"]
    other = world.http.get(URL, params={"owner_id": acme.users["ravi"]}, headers=acme.h("rita")).json()
    assert other["items"] == [] and other["total"] == 0
    everyone = world.http.get(URL, headers=acme.h("maria")).json()
    assert everyone["total"] == 2
    only_ravi = world.http.get(URL, params={"owner_id": acme.users["ravi"]}, headers=acme.h("maria")).json()
    assert [c["name"] for c in only_ravi["items"]] == ["Ravi's"]


def test_list_is_paged_oldest_first(world: World, acme: Org) -> None:
    for n in range(5):
        acme.client("rita", name=f"C{n}")
    page = world.http.get(URL, params={"page": 2, "page_size": 2}, headers=acme.h("rita")).json()
    assert [c["name"] for c in page["items"]] == ["C2", "C3"]
    assert (page["page"], page["page_size"], page["total"]) == (2, 2, 5)
    problem(world.http.get(URL, params={"page_size": 101}, headers=acme.h("rita")), 422, "validation-failed")
    problem(world.http.get(URL, params={"page": 0}, headers=acme.h("rita")), 422, "validation-failed")


def test_q_is_case_insensitive_substring_of_name_or_email(world: World, acme: Org) -> None:
    acme.client("rita", name="Umbrella Corp", email="ceo@umbrella.example")
    acme.client("rita", name="Wayne", email="bruce@WAYNE.example")
    acme.client("rita", name="100% Pure", email="x@pure.example")
    found = world.http.get(URL, params={"q": "UMBREL"}, headers=acme.h("rita")).json()
    assert [c["name"] for c in found["items"]] == ["Umbrella Corp"]
    found = world.http.get(URL, params={"q": "wayne.EX"}, headers=acme.h("rita")).json()
    assert [c["name"] for c in found["items"]] == ["Wayne"]
    found = world.http.get(URL, params={"q": "%"}, headers=acme.h("rita")).json()
    assert [c["name"] for c in found["items"]] == ["100% Pure"]


def test_patch_changes_fields_and_validates(world: World, acme: Org) -> None:
    client = acme.client("rita")
    url = f"{URL}/{client['id']}"
    answer = world.http.patch(url, json={"name": "Initrode", "country": "fr"}, headers=acme.h("rita"))
    assert answer.status_code == 200
    assert (answer.json()["name"], answer.json()["country"]) == ("Initrode", "FR")
    assert answer.json()["updated_at"] >= client["updated_at"]
    assert codes(world.http.patch(url, json={"email": "bad"}, headers=acme.h("rita"))) == {("email", "invalid_email")}
    assert codes(world.http.patch(url, json={"name": None}, headers=acme.h("rita"))) == {("name", "invalid_type")}
    assert codes(world.http.patch(url, json={"tenant_id": "x"}, headers=acme.h("rita"))) == {
        ("tenant_id", "read_only_field")}
    problem(world.http.patch(url, json={"owner_id": acme.users["ravi"]}, headers=acme.h("rita")), 403, "forbidden")
    moved = world.http.patch(url, json={"owner_id": acme.users["ravi"]}, headers=acme.h("maria"))
    assert moved.json()["owner_id"] == acme.users["ravi"]
    problem(world.http.get(url, headers=acme.h("rita")), 403, "forbidden")


def test_delete_refused_with_open_deal(world: World, acme: Org) -> None:
    client = acme.client("rita")
    deal = acme.deal("rita", client=client)
    url = f"{URL}/{client['id']}"
    problem(world.http.delete(url, headers=acme.h("rita")), 409, "conflict")
    acme.move(deal, "lost")
    answer = world.http.delete(url, headers=acme.h("rita"))
    assert answer.status_code == 204 and answer.content == b""
    problem(world.http.get(url, headers=acme.h("rita")), 404, "not-found")


def test_auditor_reads_only(world: World, acme: Org) -> None:
    client = acme.client("rita")
    assert world.http.get(URL, headers=acme.h("otto")).json()["total"] == 1
    problem(world.http.post(URL, json={"name": "A", "email": "a@b.example", "country": "DE"},
                            headers=acme.h("otto")), 403, "forbidden")
    problem(world.http.patch(f"{URL}/{client['id']}", json={"name": "Z"}, headers=acme.h("otto")), 403, "forbidden")
    problem(world.http.delete(f"{URL}/{client['id']}", headers=acme.h("otto")), 403, "forbidden")
