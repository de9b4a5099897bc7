"""The human-readable summary: a table per engine x category, then each failure."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rich.console import Console
from rich.table import Table

from ..runner import STATUSES, Outcome

_COLUMNS = STATUSES
_STYLE = {
    "pass": "green",
    "fail": "red",
    "known": "yellow",
    "stale": "red",
    "error": "red",
    "timeout": "red",
    "unjudged": "red",
    "n/a": "dim",
    "skip": "dim",
}


def summary_table(outcomes: list[Outcome], engines: list[str]) -> Table:
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    categories = sorted({o.category for o in outcomes})
    for o in outcomes:
        counts[(o.engine, o.category)][o.status] += 1
        counts[(o.engine, "total")][o.status] += 1
    table = Table(title="conformance results", show_lines=False)
    table.add_column("engine")
    table.add_column("category")
    seen = {o.status for o in outcomes}
    columns = [c for c in _COLUMNS if c in ("pass", "fail", "error") or c in seen]  # the rest when used
    for c in columns:
        table.add_column(c, justify="right", style=_STYLE[c])
    for engine in engines:
        for cat in [*categories, "total"]:
            row = counts.get((engine, cat))
            if not row:
                continue
            table.add_row(
                engine if cat == categories[0] or len(categories) == 1 else "",
                f"[bold]{cat}[/bold]" if cat == "total" else cat,
                *(str(row.get(c, 0) or "") for c in columns),
            )
        table.add_section()
    return table


def print_failures(console: Console, outcomes: list[Outcome], max_diffs: int = 12) -> None:
    for o in outcomes:
        if o.ok:
            continue
        head = f"{o.status.upper()} {o.test_id} [{o.engine}]" + (f": {o.message}" if o.message else "")
        console.print(head, style="red", markup=False, soft_wrap=True)
        for d in o.differences[:max_diffs]:
            console.print(f"    {d}", markup=False, soft_wrap=True)
        if len(o.differences) > max_diffs:
            console.print(f"    ... {len(o.differences) - max_diffs} more")
        console.print(f"    reproduce: {o.reproduce}", markup=False, soft_wrap=True)


def engine_facts(outcomes: list[Outcome], engines: list[str]) -> dict[str, dict]:
    """Per engine that ran: the tests it could run (not ``n/a``), its speed on them, and
    the host CPU it reported (for the oracles that are the hardware)."""
    facts: dict[str, dict] = {}
    for engine in engines:
        mine = [o for o in outcomes if o.engine == engine and o.status != "skip"]
        if not mine:
            continue
        ran = [o for o in mine if o.status != "n/a"]
        seconds = sum(o.seconds for o in ran)
        entry: dict = {"tests": len(mine), "eligible": len(ran)}
        if seconds > 0:
            entry["tests_per_second"] = round(len(ran) / seconds, 1)
        hosts = sorted({o.state.extra["host_cpu"] for o in ran if o.state and "host_cpu" in o.state.extra})
        if hosts:
            entry["host_cpu"] = hosts[0] if len(hosts) == 1 else hosts
        reasons = Counter(_reason_kind(o.message) for o in mine if o.status == "n/a")
        if reasons:
            entry["not_applicable"] = dict(reasons.most_common())
        facts[engine] = entry
    return facts


def _reason_kind(message: str) -> str:
    """A not-applicable reason without where it was found, to count alike ones."""
    text = re.sub(r"\s*\(at 0x[0-9a-f]+[^)]*\)", "", message.removeprefix("not applicable: "))
    return re.sub(r"0x[0-9a-f]+", "N", text)


def print_engine_facts(console: Console, facts: dict[str, dict]) -> None:
    for engine, entry in facts.items():
        if "host_cpu" in entry:
            console.print(f"host CPU ({engine}): {entry['host_cpu']}", markup=False, soft_wrap=True)
        if "not_applicable" not in entry:
            continue
        share = 100.0 * entry["eligible"] / entry["tests"]
        rate = entry.get("tests_per_second")
        speed = f", {rate:g} tests/s in one worker" if rate else ""
        console.print(
            f"{engine}: {entry['eligible']} of {entry['tests']} tests eligible ({share:.1f} %){speed}",
            markup=False,
            soft_wrap=True,
        )
        for reason, count in list(entry["not_applicable"].items())[:8]:
            console.print(f"    n/a {count:>6}  {reason}", markup=False, soft_wrap=True)
