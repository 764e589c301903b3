"""Speed work that must not change what the platform says (RFC 3339 times, money, NUL filters that match nothing)
or how test processes behave (only a serving process tunes its garbage collector)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common import app as common_app
from services.common.clock import parse_rfc3339, rfc3339
from services.common.money import MINOR_UNITS, format_minor, format_money
from services.common.settings import load_settings
from services.common.testing import FakeIdentity
from services.common.unstorable import may_match
from services.sales.app import create_app


@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05.000000Z"),
    (datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=timezone(timedelta(hours=2))), "2026-01-02T01:04:05.000007Z"),
    (datetime(2026, 1, 2, 3, 4, 5, 120000), "2026-01-02T03:04:05.120000Z"),  # naive: stored UTC
])
def test_times_are_utc_with_microseconds_and_a_z(moment: datetime, text: str) -> None:
    assert rfc3339(moment) == text
    assert parse_rfc3339(text) == moment.replace(tzinfo=moment.tzinfo or UTC)


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    owner: Mapped[str] = mapped_column(String)


def test_a_filter_holding_nul_matches_nothing_wherever_it_sits() -> None:
    assert may_match(select(Thing).where(Thing.owner == "rita"))
    assert not may_match(select(Thing).where(Thing.owner == "ri\x00ta"))
    assert not may_match(select(Thing).where(Thing.id == "a", Thing.owner.in_(["b", "\x00"])))
    assert not may_match(select(Thing).where(Thing.owner == "a").where(Thing.id.like("%\x00%")))


@pytest.mark.parametrize(("served", "tuned"), [("1", True), (None, False)])
def test_only_a_serving_process_tunes_its_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: str | None,
                                                    tuned: bool) -> None:
    calls: list[str] = []
    monkeypatch.setattr(common_app, "tune_collector", lambda: calls.append("tuned"))
    if served is None:
        monkeypatch.delenv(common_app.SERVED_ENV, raising=False)
    else:
        monkeypatch.setenv(common_app.SERVED_ENV, served)
    settings = load_settings("sales", {"DATABASE_URL": f"sqlite:///{tmp_path / 'sales.db'}", "DATA_DIR": str(tmp_path)})
    with TestClient(create_app(settings, identity=FakeIdentity())) as http:
        assert http.get("/health/live").status_code == 200
    assert calls == (["tuned"] if tuned else [])


@pytest.mark.parametrize("currency", sorted(MINOR_UNITS))
def test_minor_units_read_as_the_money_they_are(currency: str) -> None:
    units = MINOR_UNITS[currency]
    for minor in [*range(-1005, 1006), 10**15 + 7, -(10**15) - 7, 99_999_999_999]:
        assert format_minor(minor, currency) == format_money(Decimal(minor).scaleb(-units), currency), minor
