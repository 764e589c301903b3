"""Which bite cases a run makes: every one, or (BITES_SAMPLE=N) a share that fits CI's time.

A full bite run starts the platform once per case (over a hundred of them): `make bites` and release runs do
that. CI runs a sample of N cases chosen by a seed (CI passes the commit, so every commit tries another share):
at least one case of every area, the rest drawn at random, in their usual order. The sign-off says that the
score is a sample's and of how many cases.
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence

from tests.bites.case import Case


def sample(groups: Sequence[Sequence[Case]], size: int | None, seed: str) -> list[Case]:
    """`size` cases of `groups` (all when `size` is None or not smaller): one of each group first."""
    cases = [case for group in groups for case in group]
    if size is None or size >= len(cases):
        return cases
    if size < len([group for group in groups if group]):
        raise ValueError(f"a sample of {size} cannot hold one case of each of the {len(groups)} areas")
    draw = random.Random(seed)
    chosen = {id(draw.choice(list(group))) for group in groups if group}
    rest = [case for case in cases if id(case) not in chosen]
    chosen |= {id(case) for case in draw.sample(rest, size - len(chosen))}
    return [case for case in cases if id(case) in chosen]


def requested_size() -> int | None:
    """BITES_SAMPLE (a number of cases) or None: every case."""
    text = os.environ.get("BITES_SAMPLE", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"BITES_SAMPLE must be a positive number of cases, got {text!r}")
    return int(text)
