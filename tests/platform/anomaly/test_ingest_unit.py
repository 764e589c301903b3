"""CSV / JSON ingestion and type inference (pure functions)."""

from __future__ import annotations

import pytest

from services.anomaly.ingest import parse_csv, parse_json_table
from services.anomaly.tabular import infer_type, parse_number
from services.common.problems import ProblemError


def codes(exc: pytest.ExceptionInfo[ProblemError]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors or []]


@pytest.mark.parametrize(("raw", "value"), [("1", 1.0), (" -2.5 ", -2.5), ("1e3", 1000.0), (".5", 0.5), (3, 3.0)])
def test_finite_numbers(raw: object, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity", "1_000", "1e999", "abc", True, "", None, float("nan")])
def test_not_finite_numbers(raw: object) -> None:
    assert parse_number(raw) is None


def test_numeric_when_every_non_empty_value_is_a_finite_number() -> None:
    assert infer_type(["1", "", "2.5", None, "  "]) == "numeric"
    assert infer_type(["1", "x"]) == "categorical"
    assert infer_type(["1", "nan"]) == "categorical"


def test_csv_with_header_types_and_missing_values() -> None:
    table = parse_csv(b"\xef\xbb\xbfa,b,c\r\n1,x,\r\n2.5,y,3\n\n")
    assert table.columns == ("a", "b", "c")
    assert table.types == ("numeric", "categorical", "numeric")
    assert table.rows == [[1.0, "x", None], [2.5, "y", 3.0]]


def test_quoted_fields_may_hold_commas_and_newlines() -> None:
    table = parse_csv(b'name,v\n"Smith, J",1\n"two\nlines",2\n')
    assert table.rows == [["Smith, J", 1.0], ["two\nlines", 2.0]]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"a,b\n", b"a,b\r\n\r\n"])
def test_empty_file_or_header_only_is_empty_dataset(data: bytes) -> None:
    with pytest.raises(ProblemError) as exc:
        parse_csv(data)
    assert exc.value.status == 422
    assert codes(exc)[0][1] == "empty_dataset"


def test_ragged_row_is_named() -> None:
    with pytest.raises(ProblemError) as exc:
        parse_csv(b"a,b,c,d\n1,2,3,4\n1,2,3\n")
    error = exc.value.errors[0]  # type: ignore[index]
    assert (error.field, error.code) == ("rows[2]", "ragged_row")
    assert error.message.startswith("row 2 has 3 values, expected 4")


def test_non_utf8_is_refused() -> None:
    with pytest.raises(ProblemError) as exc:
        parse_csv("a,b\ncafé,1\n".encode("latin-1"))
    assert codes(exc) == [("file", "invalid_encoding")]


@pytest.mark.parametrize(("header", "code"), [(b"a,a\n", "duplicate_column"), (b"a,,b\n", "blank_column"),
                                              (b"a, a \n", "duplicate_column")])
def test_bad_column_names(header: bytes, code: str) -> None:
    with pytest.raises(ProblemError) as exc:
        parse_csv(header + b"1,2,3\n"[: 2 * header.count(b",") + 1] + b"\n")
    assert code in [c for _f, c in codes(exc)]


def test_json_rows_as_arrays_or_objects() -> None:
    table = parse_json_table(["a", "b"], [[1, "x"], {"a": 2, "b": None}, {"b": "z"}])
    assert table.types == ("numeric", "categorical")
    assert table.rows == [[1.0, "x"], [2.0, None], [None, "z"]]


def test_json_ragged_and_bad_cells() -> None:
    with pytest.raises(ProblemError) as exc:
        parse_json_table(["a", "b"], [[1, 2], [1], [1, [2]], {"c": 1}])
    assert codes(exc) == [("rows[1]", "ragged_row"), ("rows[2][1]", "invalid_value"), ("rows[3]", "unknown_column")]


def test_json_empty() -> None:
    with pytest.raises(ProblemError) as exc:
        parse_json_table(["a"], [])
    assert codes(exc) == [("rows", "empty_dataset")]
    with pytest.raises(ProblemError) as exc:
        parse_json_table([], [[1]])
    assert codes(exc) == [("columns", "empty_dataset")]
