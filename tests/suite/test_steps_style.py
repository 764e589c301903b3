"""Steps stay thin: one intent each, no HTTP, typed memory, typed records (issue 7's "done when", kept).

A step module is under 350 lines; a step body is at most 6 lines; steps hold no URLs, verbs or status
codes, no `["id"]` lookups, and no string keys for what the World mentions or an actor remembers.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

STEPS = sorted((Path(__file__).resolve().parents[2] / "steps").glob("*.py"))
MAX_MODULE_LINES = 350
MAX_STEP_LINES = 6
STRING_KEYED = re.compile(r"\.(mention|it|remember|recall|knows)\(\s*[\"'f]")
HTTP = re.compile(r"/api/|\bstatus_code\b|[\"'](GET|POST|PUT|PATCH|DELETE)[\"']|/health/|\.headers\b")
STEP_DECORATORS = {"given", "when", "then", "step"}


def _steps(tree: ast.Module) -> list[ast.FunctionDef]:
    return [node for node in tree.body if isinstance(node, ast.FunctionDef) and any(
        isinstance(dec, ast.Call) and getattr(dec.func, "id", "") in STEP_DECORATORS for dec in node.decorator_list)]


def _body_lines(function: ast.FunctionDef) -> int:
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
        first = function.body[1] if len(function.body) > 1 else first  # a docstring does not count
    return (function.end_lineno or first.lineno) - first.lineno + 1


@pytest.mark.parametrize("path", STEPS, ids=lambda path: path.name)
def test_step_module_is_short(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines < MAX_MODULE_LINES, f"{path.name} has {lines} lines: move logic into support/tasks and matchers"


@pytest.mark.parametrize("path", STEPS, ids=lambda path: path.name)
def test_each_step_is_one_intent_of_a_few_lines(path: Path) -> None:
    long = [f"{step.name} ({_body_lines(step)} lines)" for step in _steps(ast.parse(path.read_text(encoding="utf-8")))
            if _body_lines(step) > MAX_STEP_LINES]
    assert not long, f"{path.name}: steps over {MAX_STEP_LINES} lines: {', '.join(long)}"


@pytest.mark.parametrize("path", STEPS, ids=lambda path: path.name)
def test_steps_hold_no_http_no_raw_ids_and_no_string_keys(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    faults = [f"{path.name}:{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), start=1)
              if '["id"]' in line or "['id']" in line or STRING_KEYED.search(line) or HTTP.search(line)]
    assert not faults, "raw ids, string keys or HTTP in steps:\n" + "\n".join(faults)


@pytest.mark.parametrize("path", STEPS, ids=lambda path: path.name)
def test_step_modules_define_no_helpers(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    steps = set(map(id, _steps(tree)))
    helpers = [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and id(node) not in steps]
    assert not helpers, f"{path.name}: module-level helpers {helpers} belong in support/tasks or support/matchers"
