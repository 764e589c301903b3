"""The sales service's tables (its own SQLAlchemy Base). Money is stored as integer minor units."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.audit import AuditEventMixin
from services.common.db import UtcDateTime


class Base(DeclarativeBase):
    pass


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_tenant_created", "tenant_id", "created_at", "id"),
        # A rep's own list (the commonest), in page order: no sort, and a covering count.
        Index("ix_clients_tenant_owner_created", "tenant_id", "owner_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    country: Mapped[str] = mapped_column(String(2))
    owner_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_tenant_created", "tenant_id", "created_at", "id"),
        Index("ix_deals_tenant_client", "tenant_id", "client_id"),
        # A rep's own list (the commonest), in page order: no sort, and a covering count.
        Index("ix_deals_tenant_owner_created", "tenant_id", "owner_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(36))
    owner_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    discount_percent: Mapped[str] = mapped_column(String(16))
    net_minor: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str] = mapped_column(String(16))
    approval: Mapped[str] = mapped_column(String(16))
    approval_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    approval_decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_deal_created", "tenant_id", "deal_id", "created_at", "id"),
        Index("ix_payments_owner_received", "tenant_id", "owner_id", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    deal_id: Mapped[str] = mapped_column(String(36))
    owner_id: Mapped[str] = mapped_column(String(64))  # the deal's owner, who earns the commission
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IdempotencyRecord(Base):
    """The first 201 answer to a request with an Idempotency-Key, replayed byte for byte for 24 h."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_idempotency_tenant_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Notification(Base):
    """Addressed either to one user (`user_id`) or to everyone holding `audience_role` when reading."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_tenant_created", "tenant_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    deal_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    audience_role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # A role-addressed notice skips this user, who already has a personal copy of the same event.
    exclude_user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NotificationRead(Base):
    __tablename__ = "notification_reads"

    notification_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditEvent(Base, AuditEventMixin):
    """Sales' own append-only audit log (columns from common)."""
