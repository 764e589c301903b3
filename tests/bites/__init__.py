"""The suite bites: mutants of the platform and the scenarios that must catch them (docs/BITES.md)."""
