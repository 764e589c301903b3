"""Load profiles: how many people, for how long, at what pace; refused when over the environment's bounds."""

from __future__ import annotations

from dataclasses import dataclass

from support.runner.config import LoadSettings

Stage = tuple[float, int, float]  # until second t of the run: this many users, started at this rate per second


class LoadRefused(AssertionError):
    """A profile asks for more users, time or requests than the environment allows, or targets a stranger."""


@dataclass(frozen=True)
class LoadProfile:
    """`reps` sales reps of the working tenant (think time between actions) for `seconds`; optionally
    `flooders` people of another tenant sending `flood_rps_per_user` requests a second each; or `stages`
    (a shape: spike, steps) instead of a steady number of users."""

    name: str
    reps: int
    seconds: float
    think_seconds: tuple[float, float] = (0.5, 1.5)
    flooders: int = 0
    flood_rps_per_user: float = 25.0
    stages: tuple[Stage, ...] = ()
    allowance: int = 100  # requests/s per tenant the managed services run with (contract §3's default: 100)

    @property
    def users(self) -> int:
        return max([self.reps + self.flooders, *(users for _, users, _ in self.stages)])

    @property
    def duration(self) -> float:
        return max([self.seconds, *(until for until, _, _ in self.stages)])

    @property
    def spawn_rate(self) -> float:
        """Everybody at work within about five seconds (people arrive, they do not all press enter at once)."""
        return max(1.0, self.users / 5)

    def most_requests(self) -> int:
        """An upper bound of the requests the profile can send (reps at their quickest, flooders at pace)."""
        per_rep = 1 / max(self.think_seconds[0], 0.05)
        return int(self.duration * (self.users * per_rep + self.flooders * self.flood_rps_per_user)) + self.users


def check_bounds(profile: LoadProfile, bounds: LoadSettings) -> None:
    """Refuse, before anything starts, a profile over the environment's `load:` bounds."""
    faults = []
    if profile.users > bounds.max_users:
        faults.append(f"{profile.users} users (at most {bounds.max_users})")
    if profile.duration > bounds.max_seconds:
        faults.append(f"{profile.duration:g} s (at most {bounds.max_seconds:g} s)")
    if profile.most_requests() > bounds.max_requests:
        faults.append(f"up to {profile.most_requests()} requests (at most {bounds.max_requests})")
    if faults:
        raise LoadRefused(f"load profile '{profile.name}' refused: it asks for " + ", ".join(faults)
                          + " (config/environments.yaml, load:)")
