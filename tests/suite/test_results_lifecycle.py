"""Each run reports on itself only: an earlier run's Allure results are cleared unless kept on purpose."""

from pathlib import Path

from support.runner.reporting import clear_previous_results


def test_an_earlier_runs_results_are_cleared_and_other_files_kept(tmp_path: Path) -> None:
    for name in ("a-result.json", "b-container.json", "c-attachment.txt", "environment.properties",
                 "executor.json", "categories.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "README.txt").write_text("not a result")
    assert clear_previous_results(tmp_path) == 6
    assert [p.name for p in tmp_path.iterdir()] == ["README.txt"]


def test_an_empty_folder_needs_nothing(tmp_path: Path) -> None:
    assert clear_previous_results(tmp_path) == 0
