"""Builders: seeded, unique where they must be, and the committed dataset is what its script makes."""

from __future__ import annotations

import importlib.util
import re
import uuid
from pathlib import Path

from support.data.builders import Builders, ghost_id_like, load_dataset
from support.data.secret import Secret
from support.screenplay.cast import CAST, TENANTS, check_casting

SCRIPT = Path(__file__).resolve().parents[2] / "data" / "datasets" / "make_sensor_readings.py"


def test_the_same_seed_builds_the_same_data() -> None:
    first, second = Builders(7), Builders(7)
    assert first.client() == second.client()
    assert first.deal_title() == second.deal_title()
    assert first.password().reveal() == second.password().reveal()


def test_slugs_are_valid_and_unique_even_for_the_same_seed() -> None:
    slugs = {Builders(7).slug("Acme") for _ in range(20)}
    assert len(slugs) == 20
    assert all(re.fullmatch(r"acme-[a-z0-9-]{3,27}", slug) and len(slug) <= 32 for slug in slugs)


def test_passwords_are_long_and_avoid_the_email_local_part() -> None:
    build = Builders(1)
    for _ in range(50):
        password = build.password(avoid="rita").reveal()
        assert 15 <= len(password) <= 128 and "rita" not in password.lower()


def test_secrets_never_show_themselves() -> None:
    secret = Secret("correct horse battery staple")
    assert "horse" not in repr(secret) and "horse" not in str(secret) and "horse" not in f"{secret}"


def test_ghost_ids_look_like_real_ones_but_are_new() -> None:
    real = str(uuid.uuid4())
    assert uuid.UUID(ghost_id_like(real)) and ghost_id_like(real) != real
    assert len(ghost_id_like("deal_0f3a")) == len("deal_0f3a") and ghost_id_like("deal_0f3a") != "deal_0f3a"


def test_the_cast_is_complete_and_consistent() -> None:
    assert {"Alice", "Maria", "Rita", "Ravi", "Ana", "Otto", "Bob"} <= set(CAST)
    assert all(CAST[profile.admin].tenant == name for name, profile in TENANTS.items())
    assert check_casting("Rita", "sales rep", "Acme").roles == ("sales_rep",)


def test_the_committed_sensor_readings_are_what_the_script_makes() -> None:
    spec = importlib.util.spec_from_file_location("make_sensor_readings", SCRIPT)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    dataset = load_dataset("sensor-readings")
    expected = [{key: str(value) for key, value in row.items()} for row in script.readings()]
    assert dataset.rows == expected
    assert len(dataset.rows) == 300 and dataset.indices_where("label", "1") == set(script.FAULTS)
    scores = script.robust_scores(script.readings())
    assert {i for i, score in enumerate(scores) if score > script.THRESHOLD} == set(script.FAULTS)
