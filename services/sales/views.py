"""Answers: database rows to the answer models of contract §4 (money as exact decimal strings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from services.common.clock import rfc3339
from services.common.money import format_minor
from services.sales.models import Client, Deal, Notification, Payment
from services.sales.schemas import ClientOut, DealOut, NotificationOut, PaymentOut


def money(minor: int, currency: str) -> str:
    return format_minor(minor, currency)


def payment_status(deal: Deal | Row[Any]) -> str:
    if deal.paid_minor >= deal.net_minor:
        return "paid" if deal.paid_minor > 0 or deal.net_minor == 0 else "unpaid"
    return "partially_paid" if deal.paid_minor > 0 else "unpaid"


def etag(version: int) -> str:
    return f'"{version}"'


def client_view(client: Client) -> ClientOut:
    return ClientOut(
        id=client.id,
        tenant_id=client.tenant_id,
        name=client.name,
        email=client.email,
        country=client.country,
        owner_id=client.owner_id,
        created_at=rfc3339(client.created_at),
        updated_at=rfc3339(client.updated_at),
    )


def deal_view(deal: Deal | Row[Any]) -> DealOut:
    """A deal as answered, from its mapped object or its plain table row (the same names)."""
    return DealOut(
        id=deal.id,
        tenant_id=deal.tenant_id,
        client_id=deal.client_id,
        owner_id=deal.owner_id,
        title=deal.title,
        currency=deal.currency,
        amount=money(deal.amount_minor, deal.currency),
        discount_percent=deal.discount_percent,
        net_amount=money(deal.net_minor, deal.currency),
        stage=deal.stage,
        approval=deal.approval,
        paid_amount=money(deal.paid_minor, deal.currency),
        payment_status=payment_status(deal),
        version=deal.version,
        created_at=rfc3339(deal.created_at),
        updated_at=rfc3339(deal.updated_at),
    )


def payment_view(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.id,
        deal_id=payment.deal_id,
        amount=money(payment.amount_minor, payment.currency),
        currency=payment.currency,
        received_at=rfc3339(payment.received_at),
        created_at=rfc3339(payment.created_at),
    )


def notification_view(notification: Notification, *, read: bool) -> NotificationOut:
    return NotificationOut(
        id=notification.id,
        type=notification.type,
        deal_id=notification.deal_id,
        created_at=rfc3339(notification.created_at),
        read=read,
    )
