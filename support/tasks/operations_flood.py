"""Several people of one company flood a service while somebody of another company works as usual (§3).

The flood goes out in waves of concurrent reads, round robin over the flooding people, until the
company has been refused at least once and one more wave has gone out (so the bystander also works
while the company is held back), or until so many reads were answered that a keeper of the limit must
have refused some ("conclusive"), or until the bounds are reached. A flood that could not outpace the
limit is not a pass: its check fails with the rate the machine reached. Because the reads come from
several people in equal shares, a limiter that counts per person instead of per company lets each
person's share through and fails the check.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from support.drivers.burst import LightCaller, flood_caller
from support.http.client import describe
from support.matchers.answers import told_to_wait
from support.matchers.conventions import EchoesReference, NotToBeSniffed, NotToBeStored
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World

DEFAULT_RATE = 100.0          # contract §3: RATE_LIMIT_PER_TENANT default 100 requests/s
BURST_PER_RATE = 2.0          # contract §3: "default 100, burst 200"
CONCLUSIVE_MARGIN = 1.2       # answered more than 1.2 x what the allowance permits: a keeper must have refused
SERVED_SHARE = 0.9            # the share of its burst a company must be served before it is held back
THREADS = 32
MAX_SECONDS = 30.0
MAX_REQUESTS = 4000
BYSTANDER_CALLS_PER_WAVE = 3   # spread through each wave, so that they meet the flood at the service


@dataclass(frozen=True)
class Limit:
    """A company's allowance: `rate` requests per second, with bursts of up to `burst`."""

    rate: float
    burst: float

    @classmethod
    def configured(cls, env: Mapping[str, str]) -> Limit:
        """The deployment's RATE_LIMIT_PER_TENANT when the suite knows it, else the contract's default."""
        rate = float(env.get("RATE_LIMIT_PER_TENANT") or DEFAULT_RATE)
        return cls(rate=rate, burst=BURST_PER_RATE * rate)

    def most_allowed(self, seconds: float) -> float:
        """The most requests a keeper of this allowance may let through in `seconds` (a token bucket lets
        `burst + rate * seconds`; one more second of slack covers limiters that count per whole second)."""
        return self.burst + self.rate * (seconds + 1.0)

    @property
    def wave(self) -> int:
        """Reads sent at once: half a burst (10 to 100), so that the flood stops soon after it has shown."""
        return int(min(100, max(10, self.burst / 2)))


@dataclass
class Flood:
    limit: Limit
    people: Sequence[str]
    answers: list[httpx.Response] = field(default_factory=list)
    bystander: list[tuple[int, httpx.Response]] = field(default_factory=list)   # (wave, answer)
    seconds: float = 0.0
    waves: int = 0
    first_refused_wave: int | None = None

    @property
    def slowed(self) -> list[httpx.Response]:
        return [answer for answer in self.answers if answer.status_code == 429]

    @property
    def served(self) -> int:
        return sum(1 for answer in self.answers if answer.status_code == 200)

    @property
    def conclusive(self) -> bool:
        """More reads answered than the allowance permits in the time taken: a keeper of it must have refused."""
        return len(self.answers) > self.limit.most_allowed(self.seconds) * CONCLUSIVE_MARGIN

    @property
    def bystander_while_held_back(self) -> list[httpx.Response]:
        """The bystander's answers in the waves after the company was first refused."""
        if self.first_refused_wave is None:
            return []
        return [answer for wave, answer in self.bystander if wave > self.first_refused_wave]

    def summary(self) -> str:
        counts = collections.Counter(answer.status_code for answer in self.answers)
        shown = ", ".join(f"{count} x {status}" for status, count in sorted(counts.items()))
        rate = len(self.answers) / self.seconds if self.seconds else 0.0
        return (f"{', '.join(self.people)} sent {len(self.answers)} reads in {self.waves} waves of "
                f"{self.limit.wave}, answered in {self.seconds:.1f} s ({rate:.0f} per second; a limit of "
                f"{self.limit.rate:g}/s with bursts of {self.limit.burst:g} lets at most "
                f"{self.limit.most_allowed(self.seconds):.0f} through in that time): {shown}")

    def slowdown_faults(self) -> list[str]:
        """Why the company was not held back as promised: never refused, refused too early, or refused badly."""
        if not self.slowed:
            verdict = ("so many reads were answered that a keeper of the limit must have refused some"
                       if self.conclusive else
                       "this machine could not outpace the limit, so the check cannot decide: it fails rather "
                       "than pass unproven (run it on a less loaded machine, or configure a lower "
                       "RATE_LIMIT_PER_TENANT)")
            return [f"No read was refused: {verdict}. {self.summary()}"]
        faults = []
        if self.served < SERVED_SHARE * self.limit.burst:
            faults.append(f"Only {self.served} reads were served before the company was held back, not at least "
                          f"{SERVED_SHARE:.0%} of its burst of {self.limit.burst:g}. {self.summary()}")
        for answer in self.slowed:
            wrong = [fault for matcher in (told_to_wait("rate-limited"), EchoesReference(),
                                           NotToBeSniffed(), NotToBeStored()) for fault in matcher.faults(answer)]
            if wrong:
                faults.append(f"{'; '.join(wrong)}: {describe(answer)}")
        return faults

    def other_faults(self) -> list[str]:
        return [describe(answer) for answer in self.answers if answer.status_code not in (200, 429)]

    def bystander_faults(self, who: str) -> list[str]:
        held = self.bystander_while_held_back
        if not held:
            return [f"{who} made no request while the company was held back. {self.summary()}"]
        return [f"{who} was not served: {describe(answer)}" for _, answer in self.bystander
                if answer.status_code != 200]


FLOOD: Note[Flood] = Note("flood")


def flood(world: World, service: str, people: Sequence[Actor], bystander: Actor) -> Flood:
    """`people` flood `service` together with its flood read while `bystander` makes the same read as usual."""
    config = world.config
    callers = [flood_caller(config.base_url(service), service, who.access_token(), timeout=config.timeouts.read)
               for who in (*people, bystander)]
    for caller in callers:
        world.on_close(caller.close)
    outcome = Flood(Limit.configured(config.services[service].env), [who.name for who in people])
    return world.mention(FLOOD, run(outcome, callers[:-1], callers[-1]))


def run(outcome: Flood, callers: Sequence[LightCaller | Callable[[], httpx.Response]],
        usual: Callable[[], httpx.Response], *, max_seconds: float = MAX_SECONDS,
        max_requests: int = MAX_REQUESTS) -> Flood:
    """Waves of `outcome.limit.wave` reads at once, round robin over `callers`, until the flood has shown;
    the bystander's `usual` reads go out among the reads of each wave."""
    started = time.monotonic()
    size = outcome.limit.wave
    spread = {size * (call + 1) // (BYSTANDER_CALLS_PER_WAVE + 1) for call in range(BYSTANDER_CALLS_PER_WAVE)}
    with ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="flood") as pool:
        while len(outcome.answers) < max_requests and time.monotonic() - started < max_seconds:
            outcome.waves += 1
            first, wave, calm = len(outcome.answers), [], []
            for index in range(size):
                wave.append(pool.submit(callers[(first + index) % len(callers)]))
                if index in spread:
                    calm.append(pool.submit(usual))
            answered = [future.result() for future in wave]
            outcome.bystander += [(outcome.waves, future.result()) for future in calm]
            outcome.answers += answered
            outcome.seconds = time.monotonic() - started
            if outcome.first_refused_wave is None and any(answer.status_code == 429 for answer in answered):
                outcome.first_refused_wave = outcome.waves
            elif outcome.first_refused_wave is not None or outcome.conclusive:
                break
    return outcome
