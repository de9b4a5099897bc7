"""The virtualization holes table: an unsound engine's failures (naive-de's) grouped by
the sensitive instructions it ran directly.

An engine that deprivileges guest kernel code and emulates only what traps is wrong
exactly where the x86 is not virtualizable: at Robin and Irvine's seventeen
instructions (and IRET and the x87 environment stores, ``refvmm.cpu.properties.HOLES``),
which run without trapping. Each failure goes to the first of these that explains it:
  - the backend's: the backend (Unicorn) is listed wrong on every field that differs,
    as the Unicorn oracle or as de+bt, which runs the same code on it
    (``divergences.toml``), in values (a listing that covers the exceptions or CS, which
    the engine's own privilege handling changes, is looked at last);
  - the holes run directly in the test's body: the table shows, per hole, how many
    failing tests ran it and how many passing ones did (a hole is wrong only in some
    contexts: PUSHF at CPL 3 with IOPL 0 is right);
  - the runtime's: the runtime around the body ran a hole beyond its start-up's, the
    IRET into user mode of a ``user`` test (the engine then takes CPL 3 code for CPL 0,
    and privileged instructions succeed there) or the segment pushes of its handler.
Anything else is an outlier, listed with its first difference.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.table import Table

from refvmm.cpu.properties import OTHER_HOLES, ROBIN_IRVINE

from .. import divergences
from ..runner import Outcome
from ..vmm import HOLES_RUN, HOLES_RUN_BY_RUNTIME

ROWS = (*ROBIN_IRVINE, *OTHER_HOLES)
# the runtime's start-up runs these in every protected-mode test: a failure is not theirs
RUNTIME_START = frozenset({"far jmp", "mov sreg", "popf"})
# engines that run code on the same backend, whose listed divergences are the backend's
BACKEND_LISTS = ("unicorn", "de+bt")


def _names(outcome: Outcome, key: str) -> set[str] | None:
    if outcome.state is None or key not in outcome.state.extra:
        return None
    text = outcome.state.extra[key]
    return {item.rpartition("@")[0] for item in text.split(", ")} if text else set()


def _backend_listed(outcome: Outcome, listed: dict, values_only: bool) -> bool:
    """Every difference is in a listed divergence of the backend on this test; with
    ``values_only``, in one of values (that does not cover the exceptions or CS: those
    the engine's own privilege handling changes)."""
    entries = [listed[(e, outcome.test_id)] for e in BACKEND_LISTS if (e, outcome.test_id) in listed]
    if values_only:
        entries = [e for e in entries if not (e.covers("exceptions") or e.covers("cs"))]
    return bool(entries) and all(any(e.covers(d.field) for e in entries) for d in outcome.differences)


def holes(outcomes: list[Outcome], listed: dict | None = None) -> dict[str, dict]:
    """Per engine that reported holes: per hole, the failing and passing tests that ran it
    in their body (ids); the failures explained otherwise, by cause; the outliers."""
    listed = divergences.load() if listed is None else listed
    found: dict[str, dict] = {}
    for o in outcomes:
        body = _names(o, HOLES_RUN)
        if body is None or o.status not in ("pass", "fail"):
            continue
        entry = found.setdefault(
            o.engine,
            {
                "holes": defaultdict(lambda: {"fail": [], "pass": []}),
                "causes": defaultdict(list),
                "outliers": [],
            },
        )
        backend = "the backend's (a listed Unicorn divergence)"
        if o.status == "fail" and _backend_listed(o, listed, values_only=True):
            entry["causes"][backend].append(o.test_id)
            continue
        for name in body:
            entry["holes"][name][o.status].append(o.test_id)
        if o.status != "fail" or body:
            continue
        runtime = (_names(o, HOLES_RUN_BY_RUNTIME) or set()) - RUNTIME_START
        if runtime:
            entry["causes"][f"the runtime's {', '.join(sorted(runtime))}"].append(o.test_id)
        elif _backend_listed(o, listed, values_only=False):
            entry["causes"][backend].append(o.test_id)
        else:
            first = str(o.differences[0]) if o.differences else o.message
            entry["outliers"].append({"test": o.test_id, "first_difference": first})
    return {
        engine: {
            "holes": {name: e["holes"][name] for name in ROWS if name in e["holes"]},
            "causes": dict(e["causes"]),
            "outliers": e["outliers"],
        }
        for engine, e in found.items()
    }


def print_holes(console: Console, found: dict[str, dict]) -> None:
    for engine, entry in found.items():
        table = Table(title=f"virtualization holes ({engine}): failures by the hole run directly in the body")
        table.add_column("instruction")
        table.add_column("failing tests", justify="right", style="red")
        table.add_column("passing tests", justify="right", style="green")
        table.add_column("first failing test")
        for name in ROWS:
            tests = entry["holes"].get(name, {"fail": [], "pass": []})
            failing = sorted(tests["fail"])
            table.add_row(
                name if name in ROBIN_IRVINE else f"{name} (not in Robin and Irvine's list)",
                str(len(failing)),
                str(len(tests["pass"])),
                failing[0] if failing else "[bold red]none[/bold red]",
            )
        console.print(table)
        missing = [name for name in ROBIN_IRVINE if not entry["holes"].get(name, {}).get("fail")]
        if missing:
            console.print(f"{engine}: no failing test ran {', '.join(missing)}", markup=False)
        for cause, tests in entry["causes"].items():
            console.print(
                f"{engine}: {len(tests)} failing through {cause}: {', '.join(sorted(tests))}",
                markup=False,
                soft_wrap=True,
            )
        for outlier in entry["outliers"]:
            console.print(
                f"{engine}: outlier, no hole run: {outlier['test']}: {outlier['first_difference']}",
                markup=False,
                soft_wrap=True,
            )
