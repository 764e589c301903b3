"""Resilience: what people and the operator see while a database or a service is away, and when it returns.

The faults themselves (a database taken away, a slowed link, a crash) are the runner's (`support/runner/faults.py`),
always undone when the scenario ends; this module says what is tried meanwhile and how it is judged.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from support.drivers.base import ServiceUnreachable
from support.http.exchanges import allure_test_running
from support.http.polling import NotYet, eventually
from support.matchers.answers import is_problem
from support.matchers.conventions import leaks
from support.runner.faults import crash, managed
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks import auth
from support.tasks.operations import health

UNAVAILABLE = "service-unavailable"
PASSPHRASE = "violet tangerine harbour 2026"
ROWS = [[20.0 + index / 10, index % 3] for index in range(20)]
# Seconds a service may take to notice that its database is back (its next connection opens it again).
NOTICE_RETURN_S = 5.0
# How long identity is made to take per answer when it is slowed: longer than the services' own wait for it.
SLOW_IDENTITY_S = 12.0


@dataclass
class Tries:
    """Answers to what was tried during an outage, by label, and the pid of the service then."""

    answers: dict[str, httpx.Response] = field(default_factory=dict)
    pid: int | None = None

    def faults(self, expected: str) -> list[str]:
        """What is wrong with each answer, against "refused as unavailable" or "served"."""
        found = []
        for label, answer in self.answers.items():
            if expected == "served":
                if answer.status_code >= 400:
                    found.append(f"{label}: {answer.status_code} {answer.text[:200]} "
                                 f"(request {answer.headers.get('x-request-id')})")
                continue
            matcher = is_problem(UNAVAILABLE)
            if not matcher.matches(answer):
                found.append(f"{label}: expected a {UNAVAILABLE} problem, got {answer.status_code} "
                             f"{answer.text[:200]} (request {answer.headers.get('x-request-id')})")
            shown = leaks(answer)
            if shown:
                found.append(f"{label}: the refusal shows the service's insides {shown}")
        return found


TRIED: Note[Tries] = Note("what was tried during the outage")


def try_sales_while_away(world: World, who: Actor, new: str, known: str) -> Tries:
    """`who` tries to add the client `new` and to find `known` among her clients, while the database is away."""
    draft = world.build.client(new)
    tries = Tries(pid=managed(world).pid("sales"))
    tries.answers[f"{who.name} adds {new}"] = who.tries_to(who.sales.create_client, name=draft.name,
                                                            email=draft.email, country=draft.country)
    tries.answers[f"{who.name} looks for {known}"] = who.tries_to(who.sales.list_clients, q=known)
    return world.mention(TRIED, tries)


def clients_kept(who: Actor, kept: str, lost: str) -> list[str]:
    """What is wrong with `who`'s clients: `kept` (confirmed before the outage) must be there exactly once with
    the details confirmed, `lost` (refused during it) not at all."""
    confirmed = who.recall(auth.ADDED_CLIENT)
    found = []
    named = [client for client in who.sales.list_clients(q=kept).items if client.name == kept]
    if len(named) != 1:
        found.append(f"{who.name} finds {len(named)} clients called {kept!r}, not 1")
    elif named[0].id != confirmed.id:
        found.append(f"{kept!r} has the id {named[0].id}, not the confirmed {confirmed.id}")
    if any(client.name == lost for client in who.sales.list_clients(q=lost).items):
        found.append(f"{lost!r}, refused while the database was away, was saved after all")
    return found


def served_again(world: World, who: Actor, service: str) -> list[str]:
    """Wait (bounded) until the service serves `who` again; return what is wrong about how it came back."""

    def serves() -> None:
        answer = who.tries_to(who.sales.list_clients)
        if answer.status_code != 200:
            raise NotYet(f"sales answers {answer.status_code}: {answer.text[:160]}")

    eventually(serves, within=NOTICE_RETURN_S, awaiting=f"{service} to serve {who.name} again once its database "
                                                          "is back")
    tried = world.it(TRIED)
    now = managed(world).pid(service)
    return [] if now == tried.pid else [f"{service} was restarted meanwhile (pid {tried.pid} -> {now})"]


def readiness(world: World, service: str) -> httpx.Response:
    return health(world, service, "ready")


def not_ready_for(answer: httpx.Response, check: str) -> list[str]:
    """What is wrong with a readiness answer that should say "not ready" because of `check`."""
    found = [] if is_problem(UNAVAILABLE).matches(answer) else [
        f"expected a 503 {UNAVAILABLE} problem, got {answer.status_code} {answer.text[:200]}"]
    body: Any = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
    checks = body.get("checks") if isinstance(body, dict) else None
    detail = str(body.get("detail", "")) if isinstance(body, dict) else ""
    if not (isinstance(checks, dict) and checks.get(check) not in (None, "ok")) and check not in detail:
        found.append(f"the answer does not name the failing check {check!r}: {answer.text[:200]}")
    return found


# -- people at work while another service is away -----------------------------------------------------------
def everyday_work(world: World, who: Actor, service: str, label: str) -> httpx.Response:
    """One ordinary change `who` makes on `service`: a new client on sales, a new dataset on anomaly, a new
    colleague on identity."""
    if service == "sales":
        draft = world.build.client(label)
        return who.tries_to(who.sales.create_client, name=draft.name, email=draft.email, country=draft.country)
    if service == "anomaly":
        return who.tries_to(who.anomaly.create_dataset, label, columns=["temperature", "line"], rows=ROWS)
    if service == "identity":
        email = world.build.client(label).email
        return who.tries_to(who.identity.create_user, email=email, name=label,
                            password=PASSPHRASE, roles=["sales_rep"])
    raise ValueError(f"no everyday work is known on {service!r}")


@dataclass(frozen=True)
class Timed:
    answer: httpx.Response | None
    seconds: float
    error: str = ""


def timed(call: Any) -> Timed:
    started = time.monotonic()
    try:
        answer = call()
    except (httpx.HTTPError, ServiceUnreachable) as exc:  # the suite's own read timeout: the service hung
        return Timed(None, time.monotonic() - started, str(exc).splitlines()[0])
    return Timed(answer, time.monotonic() - started)


def work_of(world: World, pairs: tuple[tuple[str, str], ...], *, new_pass: bool = False) -> dict[str, Timed]:
    """Each named person does one everyday change on the service paired with them, timed; with `new_pass`, on a
    pass just handed out (signed in with identity directly), which the service has never seen and must check."""
    done = {}
    for name, service in pairs:
        who = world.person(name)
        if new_pass:
            who.sign_in()
        label = f"{who.name}'s {world.build.faker.bothify('work ??##')}"
        done[f"{who.name} on {service}"] = timed(lambda who=who, service=service, label=label:
                                                 everyday_work(world, who, service, label))
    return done


def work_faults(done: dict[str, Timed], *, within: float | None = None) -> list[str]:
    found = []
    for label, work in done.items():
        if work.answer is None:
            found.append(f"{label}: {work.error} after {work.seconds:.1f} s")
        elif work.answer.status_code != 201:
            found.append(f"{label}: {work.answer.status_code} {work.answer.text[:200]} "
                         f"(request {work.answer.headers.get('x-request-id')})")
        if within is not None and work.seconds > within:
            found.append(f"{label}: answered after {work.seconds:.1f} s, over the {within:g} s budget")
    return found


def not_ready(world: World, services: tuple[str, ...]) -> list[str]:
    found = []
    for service in services:
        answer = readiness(world, service)
        if answer.status_code != 200:
            found.append(f"{service} is not ready: {answer.status_code} {answer.text[:200]}")
    return found


# -- recovery time ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recovery:
    service: str
    ready_s: float
    first_call_s: float

    def __str__(self) -> str:
        return (f"{self.service}: ready {self.ready_s:.2f} s after it was started, first business call answered "
                f"after {self.first_call_s:.2f} s")


RECOVERY: Note[Recovery] = Note("how long the service took to serve again")
STARTED: Note[tuple[str, float]] = Note("service started again, and when (monotonic clock)")


def recovery_faults(recovery: Recovery, budget_s: float) -> list[str]:
    return [] if recovery.first_call_s <= budget_s else [f"{recovery}, over the {budget_s:g} s budget"]


def report(recovery: Recovery, budget_s: float) -> None:
    """The measured recovery, in the output and in the Allure report (a no-op outside an Allure test)."""
    line = f"recovery time: {recovery} (budget {budget_s:g} s)"
    print(line)
    import allure

    if allure_test_running():
        allure.attach(line, name=f"recovery time of {recovery.service}", attachment_type=allure.attachment_type.TEXT)


def measure_recovery(world: World, who: Actor, service: str, started: float, budget_s: float) -> Recovery:
    """From `started` (the service was started again): until it is ready, and until `who`'s first business call."""

    def ready() -> None:
        try:
            answer = readiness(world, service)
        except httpx.HTTPError as exc:
            raise NotYet(f"{service} does not answer yet ({type(exc).__name__})") from None
        if answer.status_code != 200:
            raise NotYet(f"{service} answers readiness {answer.status_code}")

    def business() -> None:
        try:
            answer = first_business_call(who, service)
        except httpx.HTTPError as exc:
            raise NotYet(f"{service} does not answer yet ({type(exc).__name__})") from None
        if answer.status_code != 200:
            raise NotYet(f"{service} answers {answer.status_code}")

    eventually(ready, within=budget_s, awaiting=f"{service} to be ready again", interval=0.1)
    ready_s = time.monotonic() - started
    eventually(business, within=max(budget_s - ready_s, 0.5), awaiting=f"{service} to serve {who.name} again",
               interval=0.1)
    return who.remember(RECOVERY, Recovery(service, ready_s, time.monotonic() - started))


def first_business_call(who: Actor, service: str) -> httpx.Response:
    if service == "sales":
        return who.tries_to(who.sales.list_clients)
    if service == "anomaly":
        return who.tries_to(who.anomaly.list_datasets)
    return sign_in_attempt(who)


def sign_in_attempt(who: Actor) -> httpx.Response:
    return who.tries_to(who.gate.sign_in, tenant=who.tenant.slug, email=who.email, password=who.password.reveal())


# -- revocations made before an outage -----------------------------------------------------------------------
def signed_out_and_refused(world: World, who: Actor, tenant: str) -> None:
    """`who` signs in, signs out, and sales and anomaly have refused the old pass (so they know of it)."""
    auth.has_signed_in(who, tenant)
    auth.signs_out(who)
    auth.refused_within(world, who, who.recall(auth.HELD_PASS), what="the signed-out pass")


def old_pass_answers(who: Actor) -> dict[str, httpx.Response]:
    passes = who.with_pass(who.recall(auth.HELD_PASS))
    return {service: who.tries_to(auth.HARMLESS_CALLS[service](passes)) for service in ("sales", "anomaly")}


# -- a crash in the middle of a burst of writes --------------------------------------------------------------
BURST_PER_PERSON = 40
CRASH_AFTER = 10  # confirmed writes, all people together, before the crash
BURST_WAIT_S = 30.0


@dataclass
class Burst:
    """The clients each person was told were saved (id by name), and how many tries got no confirmation."""

    confirmed: dict[str, dict[str, str]] = field(default_factory=dict)
    unconfirmed: int = 0

    def total(self) -> int:
        return sum(len(ids) for ids in self.confirmed.values())


BURST: Note[Burst] = Note("clients confirmed during a burst cut short by a crash")


def burst_cut_by_crash(world: World, people: list[Actor], service: str = "sales") -> Burst:
    """Every person adds clients as fast as they can; once CRASH_AFTER are confirmed the service is killed;
    each person stops at the first call that gets no answer."""
    burst = Burst({who.name: {} for who in people})
    drafts = {who.name: [world.build.client(f"{who.name} burst {index:02d}") for index in range(BURST_PER_PERSON)]
              for who in people}
    lock = threading.Lock()

    def add_all(who: Actor) -> None:
        for draft in drafts[who.name]:
            try:
                client = who.sales.create_client(name=draft.name, email=draft.email, country=draft.country)
            except ServiceUnreachable:
                return
            except AssertionError:
                with lock:
                    burst.unconfirmed += 1
                continue
            with lock:
                burst.confirmed[who.name][draft.name] = client.id

    def enough() -> None:
        if burst.total() < CRASH_AFTER:
            raise NotYet(f"{burst.total()} clients confirmed so far")

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        running = [pool.submit(add_all, who) for who in people]
        eventually(enough, within=BURST_WAIT_S, awaiting=f"{CRASH_AFTER} clients confirmed before the crash")
        crash(world, service)
        for each in running:
            each.result(timeout=BURST_WAIT_S)
    return world.mention(BURST, burst)


def burst_losses(world: World) -> list[str]:
    """Every confirmed client of the burst, looked up by its owner after the restart: the ones missing."""
    burst = world.it(BURST)
    missing = []
    for name, ids in burst.confirmed.items():
        who = world.person(name)
        for client_name, client_id in ids.items():
            if who.tries_to(who.sales.get_client, client_id).status_code != 200:
                missing.append(f"{client_name} ({client_id})")
    kept = burst.total() - len(missing)
    report_line(f"burst cut by a crash: {kept} of {burst.total()} confirmed clients kept "
                f"({burst.unconfirmed} tries unconfirmed)")
    return [f"{len(missing)} of {burst.total()} confirmed clients lost: {', '.join(missing[:10])}"] if missing else []


def report_line(line: str) -> None:
    print(line)
    import allure

    if allure_test_running():
        allure.attach(line, name="counted", attachment_type=allure.attachment_type.TEXT)
