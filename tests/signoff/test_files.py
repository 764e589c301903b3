"""The sign-off's one YAML reader and its status words."""

from pathlib import Path

import pytest

from signoff.errors import SignoffError
from signoff.files import read_yaml_mapping
from signoff.statuses import Mark, Status, Verdict


def test_a_mapping_is_read_and_an_empty_file_is_an_empty_mapping(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("criteria: []\n")
    (tmp_path / "empty.yaml").write_text("")
    assert read_yaml_mapping(tmp_path / "a.yaml", "gate configuration") == {"criteria": []}
    assert read_yaml_mapping(tmp_path / "empty.yaml", "gate configuration") == {}


@pytest.mark.parametrize(("text", "message"), [
    (None, r"^no gate configuration at .*missing\.yaml$"),
    ("a: [", r"is not valid YAML"),
    ("- a\n- b\n", r"must be a mapping \(gate configuration\)$"),
])
def test_every_problem_is_one_signoff_error_naming_the_file(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "missing.yaml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(SignoffError, match=message):
        read_yaml_mapping(path, "gate configuration")


def test_status_words_are_allures_and_anything_else_is_unknown() -> None:
    assert Status.of("passed") is Status.PASSED and Status.of("passed") == "passed"
    assert Status.of(None) is Status.UNKNOWN and Status.of("exploded") is Status.UNKNOWN
    assert f"{Verdict.NOT_RUN:<8}|" == "not run |"
    assert (Mark.of(True), Mark.of(False).word) == ("PASS", "FAILED")
