"""Wall time of each pinned guest boot on interp and on bt, in one run, and the ratio
bt / interp (below 1: bt is faster). Boots alternate between the engines so a noisy
machine slows both alike; each boot also checks it reached its milestone with the same
instruction count on both. A benchmark, not a test; the guests come from
``python ci/fetch_guests.py``.

    python ci/bench/boots.py [--repeat N] [NAME ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from conformance.boots.catalogue import GUESTS as PINNED  # noqa: E402

# the guests that take more than an instant (grub-invaders is done in 100,000 instructions)
GUESTS = {name: guest for name, guest in PINNED.items() if guest.slow and not guest.blocked}


def boot(name: str, engine: str) -> tuple[float, int]:
    log, _ = GUESTS[name].boot(engine)
    if log.reason != "milestone":
        raise SystemExit(f"boots.py: {name} on {engine} stopped: {log.summary()}")
    return log.wall_seconds, log.instructions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"guests (default: all of {', '.join(GUESTS)})")
    parser.add_argument("--repeat", type=int, default=1, help="boots per guest and engine (the best counts)")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(GUESTS))
    if unknown:
        parser.error(f"unknown guest {unknown[0]!r}")
    for name in args.names or GUESTS:
        try:
            GUESTS[name].prepare()
        except RuntimeError as exc:
            raise SystemExit(f"boots.py: {name}: {exc}") from None
    table = Table(title="boot wall time in seconds, best of each, from reset to the milestone")
    for column in ("guest", "instructions", "interp", "bt", "bt / interp"):
        table.add_column(column, justify="right")
    for name in args.names or GUESTS:
        best = {"interp": float("inf"), "bt": float("inf")}
        counts = set()
        for _ in range(args.repeat):
            for engine in best:
                seconds, instructions = boot(name, engine)
                best[engine] = min(best[engine], seconds)
                counts.add(instructions)
        if len(counts) != 1:
            raise SystemExit(f"boots.py: {name} retired different counts on the engines: {sorted(counts)}")
        table.add_row(
            name,
            f"{counts.pop():,}",
            f"{best['interp']:.1f}",
            f"{best['bt']:.1f}",
            f"{best['bt'] / best['interp']:.2f}",
        )
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
