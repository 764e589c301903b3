"""Support layer of the acceptance suite: configuration, launcher, HTTP, reporting, drivers."""
