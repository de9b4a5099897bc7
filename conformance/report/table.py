"""The human-readable summary: a table per engine x category, then each failure."""

from __future__ import annotations

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
