"""Seeded test data: the same scenario seed always builds the same names, titles and passwords.

Only the tenant slug also carries a random part, so a rerun with the same seed against the same
deployment still gets fresh tenants.
"""

from __future__ import annotations

import csv
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from support.data.secret import Secret

DATASETS_DIR = Path(__file__).resolve().parents[2] / "data" / "datasets"
COUNTRIES = ("DE", "FR", "ES", "IT", "NL", "PT", "SE", "PL", "IE", "GB", "US", "CA", "JP", "AU")


@dataclass(frozen=True)
class ClientDraft:
    name: str
    email: str
    country: str


@dataclass(frozen=True)
class Dataset:
    """A dataset read from data/datasets/: its columns and rows as text, like the CSV holds them."""

    name: str
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]

    def indices_where(self, column: str, value: str) -> set[int]:
        return {index for index, row in enumerate(self.rows) if row[column] == value}


class Builders:
    def __init__(self, seed: int) -> None:
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self._random = random.Random(seed)

    def slug(self, base: str) -> str:
        """A unique tenant slug such as `acme-3f9a1c2b7d`: seeded part + a uuid part, 3..32 chars."""
        prefix = "".join(ch for ch in base.lower() if ch.isalnum())[:16] or "tenant"
        return f"{prefix}-{self._random.getrandbits(16):04x}{uuid.uuid4().hex[:6]}"

    def email(self, first_name: str, slug: str) -> str:
        return f"{first_name.lower()}@{slug}.example.com"

    def password(self, *, avoid: str = "") -> Secret:
        """A 20-character password that does not contain `avoid` (an email's local part)."""
        while True:
            candidate = self.faker.password(length=20, special_chars=True, digits=True,
                                            upper_case=True, lower_case=True)
            if not avoid or avoid.lower() not in candidate.lower():
                return Secret(candidate)

    def client(self, name: str | None = None) -> ClientDraft:
        company = name or self.faker.company()
        domain = "".join(ch for ch in company.lower() if ch.isalnum())[:20] or "client"
        return ClientDraft(name=company, email=f"{self.faker.user_name()}@{domain}.example.com",
                           country=self.faker.random_element(COUNTRIES))

    def deal_title(self) -> str:
        return f"{self.faker.catch_phrase()} rollout"


def load_dataset(name: str) -> Dataset:
    """Read `data/datasets/<name>.csv`."""
    path = DATASETS_DIR / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = list(reader.fieldnames or [])
    return Dataset(name=name, path=path, columns=columns, rows=rows)


def ghost_id_like(real_id: str) -> str:
    """An id shaped like `real_id` that was never handed out (a fresh UUID4 for UUIDs)."""
    try:
        uuid.UUID(real_id)
    except ValueError:
        pass
    else:
        return str(uuid.uuid4())
    fresh = uuid.uuid4().hex * (len(real_id) // 32 + 1)
    ghost = "".join(fresh[i] if ch in "0123456789abcdef" else ch for i, ch in enumerate(real_id))
    return ghost if ghost != real_id else f"{real_id}0"
