"""Health: the unauthenticated liveness, readiness, metrics and interface description of one service."""

from __future__ import annotations

import httpx

from support.drivers.base import Driver
from support.drivers.records import Health


class HealthDriver(Driver):
    def __init__(self, client: httpx.Client, *, service: str) -> None:
        super().__init__(client)
        self.service = service

    def live(self) -> Health:
        return Health.of(self._json("GET", "/health/live", intent=f"ask {self.service} whether it is live"))

    def ready(self) -> Health:
        return Health.of(self._json("GET", "/health/ready", intent=f"ask {self.service} whether it is ready"))

    def description(self) -> httpx.Response:
        """The service's description of its own interface (its OpenAPI document), as answered."""
        return self._request("GET", "/openapi.json", intent=f"read how {self.service} describes its interface")

    def metrics(self) -> str:
        return self._request("GET", "/metrics", intent=f"read the metrics of {self.service}").text
