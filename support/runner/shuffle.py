"""`-D shuffle=SEED`: run the features, and the scenarios, Rules and outline rows inside each, in an order
drawn from SEED, to show that no scenario depends on another having run first.

behave runs `runner.features` in list order, each feature's `run_items` (scenarios, outlines, Rules) in
list order, and an outline's rows in `outline.scenarios` order; before_all runs before the first feature,
so shuffling those lists in place there is all it takes. The same seed gives the same order.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Mapping, MutableSequence
from typing import Any

from behave.model import Rule, ScenarioOutline

from support.runner.config import ConfigError

USERDATA_KEY = "shuffle"


def seed_of(userdata: Mapping[str, str]) -> int | None:
    text = str(userdata.get(USERDATA_KEY, "") or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"{USERDATA_KEY}: must be an integer seed, got '{text}'") from None


def shuffle(features: MutableSequence[Any], seed: int) -> None:
    """Reorder features and everything inside them, in place."""
    rng = random.Random(seed)
    rng.shuffle(features)
    for feature in features:
        _shuffle_items(feature.run_items, rng)


def apply(context: Any) -> int | None:
    """Shuffle the run's features when `-D shuffle=SEED` is given; returns the seed (None: file order)."""
    seed = seed_of(context.config.userdata)
    runner = getattr(context, "_runner", None)
    if seed is None or runner is None:
        return None
    shuffle(runner.features, seed)
    print(f"Shuffled order, seed {seed} (repeat it with -D shuffle={seed})", file=sys.stderr)
    return seed


def _shuffle_items(items: MutableSequence[Any], rng: random.Random) -> None:
    rng.shuffle(items)
    for item in items:
        if isinstance(item, Rule):
            _shuffle_items(item.run_items, rng)
        elif isinstance(item, ScenarioOutline):
            rng.shuffle(item.scenarios)
