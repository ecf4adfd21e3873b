"""The layout shows the architecture: contexts own subpackages, adapters sit at the edge, nothing loops.

Read from the source with ``ast``: every ``import`` of a postsale module, at module level or inside a function
(imports under ``if TYPE_CHECKING:`` are for type checkers only and do not count).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "postsale"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    found: set[str] = set()
    if isinstance(node, ast.Import):
        found.update(alias.name for alias in node.names)
        return {name for name in found if name in MODULES}
    base = node.module or ""
    if node.level:
        depth = len(module.split(".")) - node.level + (1 if MODULES[module].name == "__init__.py" else 0)
        package = module.split(".")[:depth]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        found.add(candidate if candidate in MODULES else base)
    return {name for name in found if name in MODULES}


GRAPH = {
    module: set().union(*(_targets(module, node) for node in _imports(ast.parse(path.read_text()))))
    for module, path in MODULES.items()
}


def _cycle_from(start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for target in GRAPH[node]:
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_no_import_cycles() -> None:
    """No postsale module imports itself back through others, even through imports inside functions."""
    cycles = {tuple(c) for m in MODULES if (c := _cycle_from(m)) is not None}
    assert set() == cycles


def test_core_never_imports_adapters() -> None:
    """Nothing outside postsale.adapters imports an adapter."""
    core = {m: sorted(t for t in GRAPH[m] if t.startswith("postsale.adapters")) for m in MODULES
            if not m.startswith("postsale.adapters")}
    assert {} == {m: t for m, t in core.items() if t}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_600_lines(module: str) -> None:
    """Every module stays readable: at most 600 lines."""
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES


def test_import_postsale_imports_no_context_and_no_optional_dependency() -> None:
    """``import postsale`` loads the kernel only; contexts load on first use, optional dependencies never."""
    code = (
        "import sys, postsale; "
        "print(sorted(m for m in sys.modules if m.startswith(('postsale.', 'narwhals', 'pandas', 'polars', "
        "'numpy', 'IPython', 'cattrs'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert ("['postsale._checks', 'postsale._errors', 'postsale._frozen', 'postsale._repr', 'postsale._version', "
            "'postsale._vocabulary', 'postsale.signals']") == loaded.strip()
    for heavy in ("narwhals", "pandas", "polars", "numpy", "IPython", "postsale.health", "postsale.adapters"):
        assert f"'{heavy}" not in loaded
