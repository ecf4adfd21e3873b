"""The ``postsale`` command (an adapter: it reads arguments and prints; the core stays pure).

``postsale demo`` runs the main job on the embedded sample portfolio.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date

from postsale._errors import PostsaleError
from postsale._version import __version__
from postsale._vocabulary import Stage
from postsale.journey import Journey, TimingStatus, analyze, analyze_cohorts
from postsale.sample import sample_journeys

__all__ = ["main"]


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date such as 2026-11-01") from None


def _bar(share: float, width: int = 30) -> str:
    return "#" * round(share * width)


def _journey_report(journeys: list[Journey], as_of: date) -> list[str]:
    lines = [f"Journey review of {len(journeys)} accounts as of {as_of.isoformat()}", ""]
    tracks = [stage for j in journeys for stage in (j.stage(t) for t in j.tracks)]
    lines.append("Where customers are (open tracks per stage; several tracks per account = overlap)")
    counts = Counter(tracks)
    total = max(len(tracks), 1)
    for stage in Stage:
        lines.append(f"  {stage.label:<11}{counts[stage]:>6}  {_bar(counts[stage] / total)}")
    retention = sum(j.retention_ongoing for j in journeys)
    lines.append(f"  Retention ongoing (onboarding done) for {retention} of {len(journeys)} accounts")
    lines.append("")
    timing = Counter(t.status for j in journeys if j.tracks for t in j.timing(as_of))
    lines.append("Time in stage against the segment benchmark")
    for status in TimingStatus:
        lines.append(f"  {status.name:<9}{timing[status]:>6}")
    lines.append("")
    lines.append("Journey health (domain-spec §1.11)")
    lines.extend(f"  {line}" for line in analyze(journeys).explain())
    lines.append("")
    lines.append("By segment                 accounts  regressed  onboarding done  bottleneck")
    for name, stats in analyze_cohorts(journeys).items():
        onboarding = stats.completion[Stage.ONBOARDING].rate
        regressed = stats.regression.account_rate or 0.0
        bottleneck = stats.bottleneck.label if stats.bottleneck else "-"
        done = "-" if onboarding is None else f"{onboarding:.0%}"
        lines.append(f"  {name:<24}{stats.journeys:>10}{regressed:>11.0%}{done:>17}  {bottleneck}")
    stuck = [j for j in journeys if any(t.status is TimingStatus.STUCK for t in j.timing(as_of))]
    if stuck:
        example = stuck[0]
        lines.append("")
        lines.append(f"Example: {example.account_id} ({example.segment.name}) is stuck")
        lines.extend(f"  {e.explain()}" for e in example.history)
        lines.extend(f"  {t.explain()}" for t in example.timing(as_of))
        for suggestion in example.suggest({}, as_of=as_of)[:1]:
            lines.extend(f"  {line}" for line in suggestion.explain()[:2])
    return lines


def _demo(args: argparse.Namespace) -> int:
    journeys = sample_journeys(args.accounts, seed=args.seed, as_of=args.as_of)
    print("\n".join(_journey_report(journeys, args.as_of)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser (exposed for the docs and tests)."""
    parser = argparse.ArgumentParser(prog="postsale", description="Post-sale customer success engine.")
    parser.add_argument("--version", action="version", version=f"postsale {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="review the embedded sample portfolio")
    demo.add_argument("--accounts", type=int, default=2000, help="number of sample accounts (default 2000)")
    demo.add_argument("--seed", type=int, default=7, help="sample seed (default 7)")
    demo.add_argument("--as-of", type=_iso_date, default=date(2026, 11, 1), help="review date (ISO)")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PostsaleError as exc:
        print(f"postsale: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
