"""The parallel runner shares feature files out evenly, by past durations when it has them."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("parallel_behave", ROOT / "tools" / "parallel_behave.py")
assert spec is not None and spec.loader is not None
parallel = importlib.util.module_from_spec(spec)
spec.loader.exec_module(parallel)


def _feature(folder: Path, name: str, steps: int) -> Path:
    path = folder / name
    path.write_text("Feature: f\n  Scenario: s\n" + "    Given a step\n" * steps)
    return path


def test_heaviest_first_each_to_the_least_loaded_worker(tmp_path: Path) -> None:
    heavy, mid, light, tiny = (_feature(tmp_path, f"{n}.feature", s) for n, s in
                               (("heavy", 40), ("mid", 25), ("light", 15), ("tiny", 10)))
    shares = parallel.share_out([tiny, light, mid, heavy], 2, {})
    assert shares == [[heavy, tiny], [mid, light]]  # loads 10 + 2.5 and 6.25 + 3.75 (0.25 s a step)


def test_past_durations_outweigh_step_counts(tmp_path: Path) -> None:
    slow, quick = _feature(tmp_path, "slow.feature", 1), _feature(tmp_path, "quick.feature", 50)
    shares = parallel.share_out([slow, quick], 2, {slow: 100.0})
    assert shares[0] == [slow]


def test_durations_are_read_from_behaves_junit_files(tmp_path: Path) -> None:
    (tmp_path / "TESTS-features.sales.sales.payments.xml").write_text(
        '<testsuite name="x" time="0.0"><testcase name="a" time="2.5"/><testcase name="b" time="1.5"/></testsuite>')
    (tmp_path / "TESTS-auth.auth.sessions.xml").write_text('<testsuite><testcase name="a" time="3"/></testsuite>')
    durations = parallel.past_durations(tmp_path)
    assert durations == {ROOT / "features" / "sales" / "sales.payments.feature": 4.0,
                         ROOT / "features" / "auth" / "auth.sessions.feature": 3.0}


def test_fewer_files_than_workers_leaves_no_idle_worker(tmp_path: Path) -> None:
    only = _feature(tmp_path, "only.feature", 3)
    assert parallel.share_out([only], 4, {}) == [[only]]
