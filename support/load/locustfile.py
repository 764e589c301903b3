"""The Locust users of the load profiles: run by Locust in its own process, never imported by the suite.

The suite (`support.load.runner`) writes a plan (JSON, named by the LOAD_PLAN environment variable): the
services' URLs, the people signed in (their passes and, for renewals, their credentials), the think times
and, for shaped profiles, the stages. Users are modelled on the cast:
- `SalesRep`: a sales rep of the working tenant (Rita, Ravi): opens a client, then creates deals, reads
  them back and looks through their list, pausing to think between actions;
- `Flooder`: somebody of the flooding tenant (Gina of Globex) whose script sends requests as fast as its
  pace allows; being told to slow down is recorded as a failure named "told to slow down".
Every request is named "<Tenant> <service> <route template>" (Locust's Type column holds the method), the
key by which the suite judges it against the environment's budgets.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import FastHttpUser, LoadTestShape, between, constant_throughput, task

PLAN: dict[str, Any] = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
SLOW_DOWN = 429
RENEW = 401


class _Accounts:
    """The tenant's people, handed out in turn to the users that play them."""

    def __init__(self, people: list[dict[str, str]]) -> None:
        self._turns = itertools.cycle(people)

    def next(self) -> dict[str, str]:
        return dict(next(self._turns))


ACCOUNTS = {tenant: _Accounts(people) for tenant, people in PLAN["people"].items()}


class _Person(FastHttpUser):
    abstract = True
    tenant = ""
    host = PLAN["urls"]["sales"]

    def on_start(self) -> None:
        self.account = ACCOUNTS[self.tenant].next()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.account['token']}"}

    def _name(self, service: str, template: str) -> str:
        return f"{self.tenant} {service} {template}"

    def _renew(self) -> None:
        """The pass ran out (a long profile): sign in again, as the person would."""
        body = {"tenant": self.account["slug"], "email": self.account["email"], "password": self.account["password"]}
        with self.client.post(PLAN["urls"]["identity"] + "/api/v1/auth/token", json=body, catch_response=True,
                              name=self._name("identity", "/api/v1/auth/token")) as answer:
            if answer.status_code == 200:
                self.account["token"] = answer.json()["access_token"]
            else:
                answer.failure(f"sign-in refused: {answer.status_code}")

    def _call(self, method: str, path: str, template: str, expected: int, body: Any = None) -> Any:
        for attempt in (1, 2):
            with self.client.request(method, path, json=body, headers=self._headers(), catch_response=True,
                                     name=self._name("sales", template)) as answer:
                if answer.status_code == RENEW and attempt == 1:
                    answer.success()  # not the platform's fault: counted under the sign-in that follows
                    self._renew()
                    continue
                if answer.status_code == SLOW_DOWN:
                    answer.failure("told to slow down")
                    return None
                if answer.status_code != expected:
                    answer.failure(f"answered {answer.status_code}, expected {expected}")
                    return None
                return answer.json() if answer.text else {}
        return None


class SalesRep(_Person):
    tenant = PLAN["working_tenant"]
    wait_time = between(*PLAN["think_seconds"])

    def on_start(self) -> None:
        super().on_start()
        self.deals: list[str] = []
        self.client_id: str | None = None
        self._open_a_client()

    def _open_a_client(self) -> None:
        client = self._call("POST", "/api/v1/clients", "/api/v1/clients", 201,
                            {"name": f"Client {random.randrange(10**6)}", "email": "buyer@client.example",
                             "country": "DE"})
        self.client_id = client["id"] if client else None

    @task(1)
    def open_a_client(self) -> None:
        self._open_a_client()

    @task(2)
    def create_a_deal(self) -> None:
        if self.client_id is None:
            return self._open_a_client()
        deal = self._call("POST", "/api/v1/deals", "/api/v1/deals", 201,
                          {"client_id": self.client_id, "title": "Deal", "amount": f"{random.randint(1, 90)}000.00"})
        if deal:
            self.deals = [*self.deals, deal["id"]][-20:]
        return None

    @task(3)
    def read_a_deal(self) -> None:
        if self.deals:
            self._call("GET", f"/api/v1/deals/{random.choice(self.deals)}", "/api/v1/deals/{id}", 200)

    @task(2)
    def look_through_the_deals(self) -> None:
        self._call("GET", "/api/v1/deals?page_size=20", "/api/v1/deals", 200)


class Flooder(_Person):
    tenant = PLAN.get("flooding_tenant") or PLAN["working_tenant"]
    wait_time = constant_throughput(float(PLAN.get("flood_rps_per_user", 20)))
    fixed_count = int(PLAN.get("flooders", 0))

    @task
    def flood(self) -> None:
        self._call("GET", "/api/v1/deals?limit=5", "/api/v1/deals", 200)


if PLAN.get("flooders"):
    SalesRep.fixed_count = int(PLAN["reps"])

if PLAN.get("stages"):
    class PlannedShape(LoadTestShape):
        """The profile's stages: until second t, this many users, started at this rate."""

        stages = tuple((float(until), int(users), float(rate)) for until, users, rate in PLAN["stages"])

        def tick(self) -> tuple[int, float] | None:
            elapsed = self.get_run_time()
            for until, users, rate in self.stages:
                if elapsed < until:
                    return users, rate
            return None
