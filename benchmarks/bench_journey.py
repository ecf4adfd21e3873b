"""Journey engine benchmark: postsale vs `transitions` vs `python-statemachine`, side by side in one run.

The same 6-stage machine with 14 transitions (forward moves guarded by the domain-spec §1.2/§1.3/§1.7
checklists, skips, regressions and cycles), driven over one seeded random walk, with history kept by
every engine. Prints µs per transition, bytes per single-track journey before any event (tracemalloc),
and the speed-up ratios (peer time / postsale time) as the last lines:

    RATIO journey transitions <x>
    RATIO journey python-statemachine <x>

Run: ``python benchmarks/bench_journey.py`` (200 000 events) or ``--quick`` (20 000 events).

Timed loops run with the cyclic garbage collector paused, as ``timeit`` does, for every engine alike
(the history each engine keeps is long-lived, and full collections would otherwise dominate); the
postsale figure with the collector running is printed too.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from postsale import Segment, Stage
from postsale.journey import DEFAULT_JOURNEY_DEFINITION, Cause, Journey

O, A, R, E, N, V = (Stage.ONBOARDING, Stage.ADOPTION, Stage.RETENTION, Stage.EXPANSION, Stage.RENEWAL,
                    Stage.ADVOCACY)
# (source, target, cause) — 14 transitions: 5 forward, 3 skips, 6 backward (regressions and cycles).
TRANSITIONS: list[tuple[Stage, Stage, Cause]] = [
    (O, A, Cause.CRITERIA_MET), (A, R, Cause.CRITERIA_MET), (R, E, Cause.EXPANSION_OPPORTUNITY),
    (E, N, Cause.RENEWAL_WINDOW_OPENED), (N, V, Cause.ADVOCATE_QUALIFIED),
    (O, E, Cause.CRITERIA_MET), (A, E, Cause.CRITERIA_MET), (R, N, Cause.RENEWAL_WINDOW_OPENED),
    (A, O, Cause.NEW_PRODUCT_RELEASE), (R, A, Cause.CHAMPION_LEFT), (E, R, Cause.BUDGET_CUT),
    (N, R, Cause.RENEWAL_COMPLETED), (N, O, Cause.MERGER), (V, R, Cause.RENEWAL_COMPLETED),
]
EVIDENCE = {
    "implementation_complete": 1.0, "core_users_trained": 1.0, "use_case_live": 1.0,
    "first_value_documented": 1.0, "go_live_confirmed": 1.0, "seat_utilisation": 0.82,
    "features_beyond_initial": 4.0, "usage_pattern_established": 1.0, "additional_teams_onboarded": 2.0,
    "power_users": 3.0, "health_score": 81.0, "satisfaction": 9.0, "roi_documented": 1.0,
    "champion_willing": 1.0, "strategic_profile": 1.0, "renewals_completed": 1.0,
}


def walk(n: int, seed: int = 20261125) -> list[tuple[Stage, Stage, Cause, date]]:
    """One seeded random walk of ``n`` transitions over the 14 edges, with non-decreasing dates."""
    rng = random.Random(seed)
    out_edges: dict[Stage, list[tuple[Stage, Stage, Cause]]] = {}
    for edge in TRANSITIONS:
        out_edges.setdefault(edge[0], []).append(edge)
    state, day, steps = O, date(2020, 1, 1), []
    for _ in range(n):
        src, dst, cause = rng.choice(out_edges[state])
        day += timedelta(days=rng.randint(0, 3))
        steps.append((src, dst, cause, day))
        state = dst
    return steps


# ---- the guards, shared by the peers: the same checklists as postsale's default definition -------------

def _compile_guard(source: Stage, target: Stage) -> Callable[[], bool]:
    criteria = DEFAULT_JOURNEY_DEFINITION.guards(source, target)
    triples = [(c.signal, c.threshold) for c in criteria]

    def guard(*_args: Any, **_kwargs: Any) -> bool:
        get = EVIDENCE.get
        for signal, threshold in triples:
            value = get(signal)
            if value is None or value < threshold:
                return False
        return True

    return guard


class _Paused:
    """Pause the cyclic GC inside a timed loop (as ``timeit`` does), for every engine alike."""

    def __init__(self, enabled: bool = False) -> None:
        self.enabled = enabled

    def __enter__(self) -> None:
        gc.collect()
        if not self.enabled:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        gc.enable()


def run_postsale(steps: list[tuple[Stage, Stage, Cause, date]], *, with_gc: bool = False) -> tuple[float, Journey]:
    journey = Journey.start("acme", Segment.ENTERPRISE, on=date(2020, 1, 1))
    ev = EVIDENCE
    with _Paused(with_gc):
        t0 = time.perf_counter()
        for _src, dst, cause, day in steps:
            journey = journey.move("core", dst, on=day, cause=cause, evidence=ev)
        elapsed = time.perf_counter() - t0
    return elapsed, journey


def _name(edge: tuple[Stage, Stage, Cause]) -> str:
    return f"{edge[0].name.lower()}_to_{edge[1].name.lower()}"


def build_transitions_model() -> Any:
    from transitions import Machine

    class Model:
        def __init__(self) -> None:
            self.history: list[tuple[str, str, date]] = []

    model = Model()
    spec = []
    for edge in TRANSITIONS:
        spec.append({"trigger": _name(edge), "source": edge[0].name, "dest": edge[1].name,
                     "conditions": [_compile_guard(edge[0], edge[1])]})
    Machine(model=model, states=[s.name for s in Stage], transitions=spec, initial="ONBOARDING",
            auto_transitions=False, after_state_change="record", send_event=True)

    def record(event: Any) -> None:
        model.history.append((event.transition.source, event.transition.dest, event.kwargs.get("on")))

    model.record = record
    return model


def run_transitions(steps: list[tuple[Stage, Stage, Cause, date]]) -> float:
    model = build_transitions_model()
    names = [(_name((s, d, c)), day) for s, d, c, day in steps]
    with _Paused():
        t0 = time.perf_counter()
        for trigger, day in names:
            getattr(model, trigger)(on=day)
        elapsed = time.perf_counter() - t0
    assert len(model.history) == len(steps), "transitions refused a move"
    return elapsed


def build_statemachine_class() -> Any:
    from statemachine import State, StateMachine

    attrs: dict[str, Any] = {s.name.lower(): State(s.name, initial=(s is O)) for s in Stage}
    for edge in TRANSITIONS:
        source, target = attrs[edge[0].name.lower()], attrs[edge[1].name.lower()]
        guard = _compile_guard(edge[0], edge[1])
        attrs[_name(edge)] = source.to(target, cond=guard)

    def __init__(self: Any) -> None:
        self.history: list[tuple[str, str, date]] = []
        StateMachine.__init__(self)

    def after_transition(self: Any, source: Any, target: Any, on: date) -> None:
        self.history.append((source.id, target.id, on))

    attrs["__init__"] = __init__
    attrs["after_transition"] = after_transition
    return type("JourneyMachine", (StateMachine,), attrs)


def run_statemachine(steps: list[tuple[Stage, Stage, Cause, date]]) -> float:
    machine = build_statemachine_class()()
    names = [(_name((s, d, c)), day) for s, d, c, day in steps]
    with _Paused():
        t0 = time.perf_counter()
        for trigger, day in names:
            machine.send(trigger, on=day)
        elapsed = time.perf_counter() - t0
    assert len(machine.history) == len(steps), "python-statemachine refused a move"
    return elapsed


def bytes_per(factory: Callable[[], Any], n: int) -> float:
    """Average traced bytes of ``n`` objects built by ``factory`` (shared definitions excluded)."""
    factory()  # warm caches and shared class-level structures
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    keep = [factory() for _ in range(n)]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    total = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    del keep
    return total / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 000 events, 3 repeats (under a minute)")
    parser.add_argument("--events", type=int, default=None)
    args = parser.parse_args(argv)
    n = args.events or (20_000 if args.quick else 200_000)
    repeats = 3 if args.quick else 5
    steps = walk(n)
    print(f"journey benchmark: {n} events, median of {repeats}; Python {platform.python_version()} on "
          f"{platform.machine()} ({platform.processor() or 'cpu'}), {sys.platform}")

    results: dict[str, list[float]] = {"postsale": [], "transitions": [], "python-statemachine": []}
    final: Journey | None = None
    sm_steps = steps if n <= 50_000 else steps[:50_000]  # python-statemachine is ~80 µs/step: cap its share
    for _ in range(repeats):
        elapsed, final = run_postsale(steps)
        results["postsale"].append(elapsed / n)
        results["transitions"].append(run_transitions(steps) / n)
        results["python-statemachine"].append(run_statemachine(sm_steps) / len(sm_steps))
    assert final is not None and len(final) == n + 1
    assert final.stage("core") is steps[-1][1]

    sizes = {
        "postsale": bytes_per(lambda: Journey.start("acme", Segment.ENTERPRISE, on=date(2020, 1, 1)), 2000),
        "transitions": bytes_per(build_transitions_model, 200),
        "python-statemachine": bytes_per(build_statemachine_class(), 200),
    }
    median = {name: statistics.median(values) for name, values in results.items()}
    with_gc = statistics.median(run_postsale(steps, with_gc=True)[0] / n for _ in range(repeats))
    print(f"{'engine':<22}{'µs/transition':>15}{'bytes/journey':>16}")
    for name in results:
        print(f"{name:<22}{median[name] * 1e6:>15.3f}{sizes[name]:>16.0f}")
    print(f"postsale with the cyclic GC running: {with_gc * 1e6:.3f} µs/transition")
    print(f"history kept: postsale {len(final)} events in the journey; peers append to a list per model")
    for peer in ("transitions", "python-statemachine"):
        print(f"MEMORY journey {peer} {sizes[peer] / sizes['postsale']:.1f}x less in postsale")
    for peer in ("transitions", "python-statemachine"):
        print(f"RATIO journey {peer} {median[peer] / median['postsale']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
