"""The catalogue may be split into one file per area; ids stay unique across the files."""

from pathlib import Path

import pytest

from signoff.catalogue import load_catalogue
from signoff.errors import SignoffError

ENTRY = "requirements:\n  - id: {id}\n    title: t\n    area: {area}\n    contract: \"§1\"\n    severity: normal\n"


def test_a_folder_of_area_files_is_one_catalogue(tmp_path: Path) -> None:
    (tmp_path / "sales.yaml").write_text(ENTRY.format(id="REQ-SALES-X-01", area="sales"))
    (tmp_path / "auth.yaml").write_text(ENTRY.format(id="REQ-AUTH-X-01", area="auth"))
    assert {req.id for req in load_catalogue(tmp_path)} == {"REQ-SALES-X-01", "REQ-AUTH-X-01"}


def test_an_id_listed_in_two_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ENTRY.format(id="REQ-SALES-X-01", area="sales"))
    (tmp_path / "b.yaml").write_text(ENTRY.format(id="REQ-SALES-X-01", area="sales"))
    with pytest.raises(SignoffError, match="listed twice"):
        load_catalogue(tmp_path)


def test_the_shipped_catalogue_loads() -> None:
    assert load_catalogue(Path(__file__).resolve().parents[2] / "data" / "requirements")


def test_run_metadata_keys_are_read_whatever_their_case() -> None:
    from signoff.results import RunMetadata

    suite_written = RunMetadata(environment={"Environment": "local", "Git.commit": "6e2a980f", "Seed": "20261121"})
    assert (suite_written.environment_name, suite_written.commit, suite_written.seed) == ("local", "6e2a980f",
                                                                                         "20261121")
