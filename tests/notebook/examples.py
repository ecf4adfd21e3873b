"""Instances of public postsale classes, harvested from the contexts' own documented examples.

The guides in ``docs/`` and the doctests in ``src/postsale`` build real values; running them once and
keeping every attrs instance they leave behind (and the values nested inside them) gives the HTML tests an
instance of nearly every public class without re-inventing any example.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import io
import pkgutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

import postsale

ROOT = Path(__file__).resolve().parents[2]
CONTEXTS = ("journey", "health", "renewal", "touch", "kpi", "cadence", "triggers")
GUIDES_SKIPPED = frozenset({"notebook.md", "cli.md"})
"""Guides not harvested: this adapter's own, and the command line's (it runs processes)."""


def _walk(value: Any, found: dict[type, Any], depth: int) -> None:
    """Keep the first instance of each postsale attrs class met in ``value`` (and inside it)."""
    if depth > 4:
        return
    if attrs.has(type(value)):
        if not type(value).__module__.startswith("postsale"):
            return
        found.setdefault(type(value), value)
        for field in attrs.fields(type(value)):
            if not field.name.startswith("_"):
                _walk(getattr(value, field.name), found, depth + 1)
    elif isinstance(value, Mapping):
        for item in list(value.values())[:20]:
            _walk(item, found, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in list(value)[:20]:
            _walk(item, found, depth + 1)


def _run(test: doctest.DocTest, found: dict[type, Any]) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=io.StringIO().write, clear_globs=False)
    for value in test.globs.values():
        _walk(value, found, 0)


def harvest() -> dict[type, Any]:
    """Run the documented examples and return one instance per postsale attrs class met."""
    found: dict[type, Any] = {}
    parser = doctest.DocTestParser()
    for path in sorted((ROOT / "docs").glob("*.md")):
        if path.name not in GUIDES_SKIPPED:
            text = path.read_text(encoding="utf-8")
            _run(parser.get_doctest(text, {}, path.stem, str(path), 0), found)
    finder = doctest.DocTestFinder()
    modules = []
    for name in CONTEXTS:
        package = importlib.import_module(f"postsale.{name}")
        modules.extend(f"postsale.{name}.{info.name}" for info in pkgutil.iter_modules(package.__path__))
    for name in ("postsale.review", "postsale.adapters.sample"):
        if importlib.util.find_spec(name) is not None:
            modules.append(name)
    for name in modules:
        for test in finder.find(importlib.import_module(name)):
            _run(test, found)
    return found


def public_classes() -> list[type]:
    """Every public attrs class exported by postsale, its contexts, the review and the sample."""
    classes: list[type] = []
    names = [*CONTEXTS, *(n for n in ("review", "sample") if importlib.util.find_spec(f"postsale.{n}") is not None)]
    for module in [postsale] + [importlib.import_module(f"postsale.{n}") for n in names]:
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and attrs.has(obj) and obj not in classes:
                classes.append(obj)
    return classes
