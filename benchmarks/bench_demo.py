"""Time of `postsale demo` on the full embedded sample (3 000 accounts), and where the time goes.

Run: ``python benchmarks/bench_demo.py`` (also ``--quick`` for 500 accounts). Prints the wall time of the
whole command in a fresh process, then the in-process split: generating the sample, drawing each
account's 13 weeks of snapshots, and the portfolio review (health, touch model, renewal status and
forecast, trigger fold with hygiene, agenda, summary). The last line is ``DEMO seconds <s>``.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time

from postsale.adapters.sample import sample_portfolio
from postsale.review import AccountInput, review_portfolio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 accounts")
    args = parser.parse_args(argv)
    n = 500 if args.quick else 3000
    print(f"demo benchmark: {n} accounts; Python {platform.python_version()} on {platform.machine()}")

    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "postsale.adapters.cli", "demo", "--once", "--accounts", str(n)],
                          capture_output=True, text=True, check=True)
    command = time.perf_counter() - t0
    assert "accounts reviewed." in done.stdout

    t0 = time.perf_counter()
    portfolio = sample_portfolio(n)
    generated = time.perf_counter()
    inputs = [AccountInput(a.snapshot_on(portfolio.as_of), journey=a.journey, contract=a.contract,
                           history=a.history(as_of=portfolio.as_of, weeks=13)[:-1],
                           completed_milestones=a.completed_milestones, intent=a.intent)
              for a in portfolio.active]
    drawn = time.perf_counter()
    review = review_portfolio(inputs, ledger=portfolio.ledger)
    reviewed = time.perf_counter()
    accounts = len(review.accounts)
    print(f"  sample generation       {generated - t0:7.2f} s")
    print(f"  13 weekly snapshots     {drawn - generated:7.2f} s  ({len(inputs) * 13} snapshots)")
    print(f"  portfolio review        {reviewed - drawn:7.2f} s  ({(reviewed - drawn) / accounts * 1e3:.2f} ms "
          f"per account, {accounts} active accounts)")
    print(f"  whole command (fresh process, including imports and printing) {command:.2f} s")
    print(f"DEMO seconds {command:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
