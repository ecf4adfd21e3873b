"""Mutation testing of postsale's core contexts with mutmut (see docs/mutation.md).

Usage, from the repository root::

    .venv/bin/python scripts/mutation.py health              # one context, every mutant
    .venv/bin/python scripts/mutation.py all --sample 150    # every core context, 150 mutants each
    .venv/bin/python scripts/mutation.py kernel touch --sample 200 --seed 7

Each context is tested in its own copy of the tree (``--workdir``, default /tmp/postsale-mutation/<context>),
never in the working tree: the copy's ``[tool.mutmut]`` section is the repository's, with ``only_mutate`` and
the test selection narrowed to that context (its tests/ folder and its doctests). mutmut runs with one worker.

``--only GLOB`` restricts the run to the mutants whose name matches (to re-check survivors after adding tests).
``--sample N`` runs a seeded random sample of N mutants instead of all of them (the score is then an estimate,
reported with its 95 % Wilson interval). The score counts killed and timed-out mutants as killed; mutants no
test reaches count as survivors. Survivors, with their diffs, are written to <workdir>/survivors.md and the
figures to <workdir>/score.json; the last line printed is the row for the table of docs/mutation.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"

KERNEL = ["_checks", "_vocabulary", "_convert", "_columnar", "_frozen", "_errors"]

#: context -> (files to mutate, tests that judge them)
CONTEXTS: dict[str, tuple[list[str], list[str]]] = {
    name: ([f"src/postsale/{name}/*"], [f"tests/{name}", f"src/postsale/{name}"])
    for name in ("health", "touch", "renewal", "triggers", "journey", "cadence", "kpi", "review")
}
CONTEXTS["kernel"] = (
    [f"src/postsale/{module}.py" for module in KERNEL],
    [
        "tests/test_convert.py",
        "tests/test_errors.py",
        "tests/test_vocabulary.py",
        "tests/columnar/test_kernel.py",
        "tests/kernel",
        *[f"src/postsale/{module}.py" for module in KERNEL],
    ],
)

KILLED = {"killed", "timeout", "caught by type check"}


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def prepare_copy(context: str, workdir: Path) -> None:
    """Copy the tree to ``workdir`` and narrow its [tool.mutmut] section to ``context``."""
    workdir.mkdir(parents=True, exist_ok=True)
    skip = {".git", ".venv", "mutants", ".hypothesis", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    for entry in workdir.iterdir():  # a fresh copy, but mutmut's cache (mutants/) is kept
        if entry.name != "mutants":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for entry in ROOT.iterdir():
        if entry.name in skip:
            continue
        if entry.is_dir():
            shutil.copytree(entry, workdir / entry.name, ignore=shutil.ignore_patterns(*skip))
        else:
            shutil.copy2(entry, workdir / entry.name)
    mutate, tests = CONTEXTS[context]
    tests = [path for path in tests if (workdir / path).exists()]
    pyproject = workdir / "pyproject.toml"
    text = pyproject.read_text("utf-8")
    text = re.sub(r"^only_mutate = .*$", f"only_mutate = {toml_list(mutate)}", text, count=1, flags=re.M)
    text = re.sub(
        r"^pytest_add_cli_args_test_selection = .*$",
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}",
        text,
        count=1,
        flags=re.M,
    )
    pyproject.write_text(text, "utf-8")


def generate(workdir: Path) -> list[str]:
    """Generate the mutants of the copy (mutmut's own first step) and return their names, sorted."""
    code = (
        "import mutmut.__main__ as m\n"
        "from pathlib import Path\n"
        "Path('mutants').mkdir(exist_ok=True)\n"
        "m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths(); m.create_mutants(1)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    return sorted(exit_codes(workdir))


def exit_codes(workdir: Path) -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in (workdir / "mutants").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text("utf-8"))["exit_code_by_key"])
    return codes


def wilson(killed: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if total == 0:
        return (0.0, 1.0)
    p = killed / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def run_context(
    context: str, *, sample: int | None, seed: int, workdir: Path, only: list[str] | None = None
) -> dict[str, object]:
    from mutmut.stats import status_by_exit_code

    started = time.monotonic()
    prepare_copy(context, workdir)
    names = generate(workdir)
    if only:
        names = [name for name in names if any(fnmatch.fnmatchcase(name, pattern) for pattern in only)]
    chosen = names
    if sample is not None and sample < len(names):
        chosen = sorted(random.Random(f"{seed}:{context}").sample(names, sample))
    env = {**os.environ, "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "dev")}
    # Naming the mutants makes mutmut rerun them even when it holds a cached result.
    subprocess.run([str(MUTMUT), "run", "--max-children", "1", *chosen], cwd=workdir, env=env, check=True)
    codes = exit_codes(workdir)
    statuses = {name: status_by_exit_code[codes.get(name)] for name in chosen}
    killed = sum(status in KILLED for status in statuses.values())
    survivors = sorted(name for name, status in statuses.items() if status not in KILLED)
    with (workdir / "survivors.md").open("w", encoding="utf-8") as out:
        for name in survivors:
            diff = subprocess.run(
                [str(MUTMUT), "show", name], cwd=workdir, capture_output=True, text=True, check=False
            ).stdout
            out.write(f"## {name} ({statuses[name]})\n\n```diff\n{diff.strip()}\n```\n\n")
    low, high = wilson(killed, len(chosen))
    result: dict[str, object] = {
        "context": context,
        "mode": ("full" if chosen is names else f"sample (seed {seed})") + (f", only {' '.join(only)}" if only else ""),
        "generated": len(names),
        "tested": len(chosen),
        "killed": killed,
        "score": killed / len(chosen) if chosen else 1.0,
        "interval95": [low, high],
        "survivors": {name: statuses[name] for name in survivors},
        "seconds": round(time.monotonic() - started),
    }
    (workdir / "score.json").write_text(json.dumps(result, indent=2), "utf-8")
    return result


def row(result: dict[str, object]) -> str:
    low, high = result["interval95"]  # type: ignore[misc]
    interval = "" if result["mode"] == "full" else f" (95 %: {low:.0%}–{high:.0%})"
    return (
        f"| {result['context']} | {result['mode']} | {result['killed']} / {result['tested']} "
        f"of {result['generated']} | {result['score']:.1%}{interval} | {result['seconds']} s |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("contexts", nargs="+", help=f"'all' or any of: {', '.join(CONTEXTS)}")
    parser.add_argument("--sample", type=int, default=None, help="test a seeded random sample of N mutants")
    parser.add_argument("--seed", type=int, default=12, help="seed of the sample (default 12)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/postsale-mutation"))
    parser.add_argument("--only", action="append", metavar="GLOB",
                        help="only mutants whose name matches, e.g. 'postsale.review._review.x__summary*' (repeatable)")
    parser.add_argument("--clean", action="store_true", help="forget mutmut's cached results first")
    args = parser.parse_args()
    contexts = list(CONTEXTS) if args.contexts == ["all"] else args.contexts
    unknown = [name for name in contexts if name not in CONTEXTS]
    if unknown:
        parser.error(f"unknown context(s) {unknown}; choose among {', '.join(CONTEXTS)} or 'all'")
    results = []
    for context in contexts:
        workdir = args.workdir / context
        if args.clean and (workdir / "mutants").exists():
            shutil.rmtree(workdir / "mutants")
        results.append(run_context(context, sample=args.sample, seed=args.seed, workdir=workdir, only=args.only))
        print(row(results[-1]), flush=True)
    print("\n| context | run | killed / tested of generated | score | time |\n|---|---|---|---|---|")
    for result in results:
        print(row(result))
    return 0 if all(float(result["score"]) >= 0.85 for result in results) else 1  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
