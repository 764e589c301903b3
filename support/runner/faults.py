"""Crashing and restarting a managed service (the launcher's ManagedPlatform) for resilience scenarios."""

from __future__ import annotations

from typing import Any

from support.runner.launcher import ManagedPlatform


class CannotRestart(AssertionError):
    """A resilience step ran where the suite does not manage the services (tag it @needs.restart)."""


def managed(context: Any) -> ManagedPlatform:
    platform = getattr(context, "platform", None)
    if platform is None:
        raise CannotRestart("This environment's services are not managed by the suite, so none can be "
                            "crashed or restarted; the scenario should carry @needs.restart")
    return platform


def crash(context: Any, service: str) -> None:
    """SIGKILL the service now; whatever happens, it runs again when the scenario ends."""
    platform = managed(context)
    context.add_cleanup(bring_back, platform, service)
    platform.kill_service(service)


def bring_back(platform: ManagedPlatform, service: str) -> None:
    """Start the service again (same port, same data) and wait until it is ready, if it is down."""
    if not platform.is_running(service):
        platform.start_service(service)
