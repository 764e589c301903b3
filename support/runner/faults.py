"""Faults the suite injects into a managed platform (a crashed or reconfigured service), always undone when the
scenario ends."""

from __future__ import annotations

from support.runner.launcher import ManagedPlatform
from support.screenplay.world import World


class CannotRestart(AssertionError):
    """A resilience step ran where the suite does not manage the services (tag it @needs.restart)."""


def managed(world: World) -> ManagedPlatform:
    if world.platform is None:
        raise CannotRestart("This environment's services are not managed by the suite, so none can be "
                            "crashed or restarted; the scenario should carry @needs.restart")
    return world.platform


def crash(world: World, service: str) -> None:
    """SIGKILL the service now; whatever happens, it runs again when the scenario ends."""
    platform = managed(world)
    world.on_close(lambda: bring_back(platform, service))
    platform.kill_service(service)


def bring_back(platform: ManagedPlatform, service: str) -> None:
    """Start the service again (same port, same data) and wait until it is ready, if it is down."""
    if not platform.is_running(service):
        platform.start_service(service)


def reconfigure(world: World, service: str, **settings: str) -> None:
    """Restart the service with these environment variables (e.g. LOCKOUT_SECONDS="3") on top of its configured
    ones; whatever happens, it runs with its configured environment again when the scenario ends."""
    platform = managed(world)
    world.on_close(lambda: platform.reconfigure_service(service, {}))
    platform.reconfigure_service(service, settings)


def service_settings(world: World, service: str) -> dict[str, str]:
    """The environment variables the service runs with: the managed platform's, or what the configuration of an
    external deployment says about it (its services' `env`)."""
    if world.platform is None:
        return dict(world.config.services[service].env)
    return world.platform.service_settings(service)


def take_database_away(world: World, service: str) -> None:
    """The service's database is gone from under it (support/runner/databases.py says how, per kind of
    database); whatever happens, it is given back when the scenario ends."""
    platform = managed(world)
    world.on_close(lambda: platform.give_database_back(service))
    platform.take_database_away(service)


def give_database_back(world: World, service: str) -> None:
    managed(world).give_database_back(service)


def slow_link_to_identity(world: World, service: str, delay_s: float) -> None:
    """Everything between the service and identity now takes `delay_s` each way; healed when the scenario ends."""
    link = managed(world).link(service)
    world.on_close(link.heal)
    link.slow(delay_s)


def heal_link_to_identity(world: World, service: str) -> None:
    managed(world).link(service).heal()


def start_without_waiting(world: World, service: str) -> None:
    """Start the (crashed) service again without waiting for it: the scenario watches it come up."""
    platform = managed(world)
    world.on_close(lambda: bring_back(platform, service))
    if not platform.is_running(service):
        platform.spawn_service(service)
