"""Traceability at the sentence level: every requirement quotes the contract and has scenarios written for it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from signoff.catalogue import Requirement, load_catalogue
from signoff.specification import with_written_scenarios

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "requirements"
CONTRACT = Path(os.environ.get("PLATFORM_CONTRACT") or ROOT.parent / "shared" / "platform-contract.md")
SECTION = re.compile(r"^§[1-6]\b")
REQUIREMENTS = with_written_scenarios(load_catalogue(CATALOGUE), ROOT / "features")


def plain(text: str) -> str:
    """Contract text as a quote may give it: no Markdown emphasis or code marks, one space between words."""
    return " ".join(re.sub(r"[`*]", "", text).split())


@pytest.fixture(scope="module")
def contract() -> str:
    assert CONTRACT.is_file(), (f"the contract is not at {CONTRACT}: put ../shared beside the repository "
                                "or name it with PLATFORM_CONTRACT")
    return plain(CONTRACT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda req: req.id)
def test_every_requirement_quotes_the_contract_word_for_word(requirement: Requirement, contract: str) -> None:
    assert requirement.quote, f"{requirement.id} ({requirement.area}.yaml) quotes no sentence of the contract"
    assert plain(requirement.quote) in contract, (
        f"{requirement.id}: its quote is not in the contract word for word: {requirement.quote!r}")
    assert SECTION.match(requirement.contract), f"{requirement.id}: contract section {requirement.contract!r}"


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda req: req.id)
def test_every_requirement_has_a_scenario(requirement: Requirement) -> None:
    assert requirement.written, f"{requirement.id} ({requirement.area}.yaml) has no scenario tagged with it"
