"""The architecture table names every support module, and the layers only import downwards."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "ARCHITECTURE.md"
SUPPORT = ROOT / "support"
# What each lower layer may not import.
FORBIDDEN = {
    "data": ("support.http", "support.drivers", "support.matchers", "support.screenplay", "support.tasks",
             "support.phrases"),
    "http": ("support.drivers", "support.matchers", "support.screenplay", "support.tasks", "support.phrases"),
    "drivers": ("support.matchers", "support.screenplay", "support.tasks", "support.phrases"),
    "matchers": ("support.screenplay", "support.tasks", "support.phrases"),
    "screenplay": ("support.tasks", "support.phrases"),
    "tasks": ("support.phrases",),
}


def table_rows() -> dict[str, str]:
    """The architecture table's rows by folder (`support/drivers/` -> the row's text)."""
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `(?P<folder>[^`]+)` \|", line)
        if match:
            rows[match["folder"]] = line
    return rows


def support_modules() -> list[Path]:
    return sorted(path for path in SUPPORT.rglob("*.py")
                  if path.name != "__init__.py" or path.read_text(encoding="utf-8").strip())


@pytest.mark.parametrize("module", support_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_support_module_is_in_the_architecture_table(module: Path) -> None:
    folder = f"{module.parent.relative_to(ROOT)}/"
    rows = table_rows()
    assert folder in rows, f"docs/ARCHITECTURE.md has no row for {folder}"
    assert f"`{module.stem}`" in rows[folder], f"docs/ARCHITECTURE.md's row for {folder} does not name `{module.stem}`"


def test_every_step_module_is_in_the_architecture_table() -> None:
    row = table_rows()["steps/"]
    missing = [path.stem for path in (ROOT / "steps").glob("*.py") if f"`{path.stem}`" not in row]
    assert not missing, f"docs/ARCHITECTURE.md's steps/ row does not name {missing}"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", support_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_layers_only_import_downwards(module: Path) -> None:
    layer = module.relative_to(SUPPORT).parts[0]
    imported = imports_of(module)
    leaks = sorted(name for name in imported if name.split(".")[0] in ("steps", "services"))
    assert not leaks, f"{module.relative_to(ROOT)} imports {leaks}: the suite talks HTTP only"
    upward = sorted(name for name in imported for higher in FORBIDDEN.get(layer, ()) if name.startswith(higher))
    assert not upward, f"{module.relative_to(ROOT)} ({layer}) imports the higher layers {upward}"
