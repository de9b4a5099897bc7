"""``conformance boots``: boot the pinned guests on engines, append each boot to the
history, compare with an earlier record, draw the history and write the HTML report.
Exit status: 0 when every boot is as expected and nothing regressed, 1 otherwise (or when
no guest could be had), 2 for bad arguments."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from refvmm.engines import ENGINES, make_engine

from . import catalogue, history, plots, record, report
from .compare import SLOWER, compare_all
from .run import boot_all, status

DEFAULT_ENGINES = ("interp", "bt")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "guests", nargs="*", help=f"pinned guests (default: all: {', '.join(catalogue.GUESTS)})"
    )
    parser.add_argument(
        "--engine",
        "-e",
        action="append",
        help="a VMM engine configuration (repeatable; default: interp and bt; de+bt too)",
    )
    parser.add_argument(
        "--history", type=Path, help=f"the history folder (default: {history.default_folder()})"
    )
    parser.add_argument(
        "--compare",
        metavar="REV|FILE",
        help="report what regressed against a git revision's records in the history, 'previous' (the"
        " run before), or a file of records",
    )
    parser.add_argument(
        "--slower",
        type=float,
        default=SLOWER,
        metavar="RATIO",
        help=f"report a boot this many times slower, relative to the reference workload (default {SLOWER})",
    )
    parser.add_argument(
        "--plots", choices=plots.FORMATS, help="draw the history per guest (needs matplotlib)"
    )
    parser.add_argument("--report", type=Path, help="the HTML report (default: DIR/report.html)")
    parser.add_argument("--list", action="store_true", help="list the pinned guests and their milestones")


def _error(console: Console, message: str) -> int:
    console.print(f"error: {message}", markup=False, soft_wrap=True)
    return 2


def _list(console: Console) -> int:
    for guest in catalogue.GUESTS.values():
        console.print(f"{guest.name}: {guest.about}", markup=False, soft_wrap=True)
        console.print("    milestones: " + " | ".join(guest.milestones), markup=False, soft_wrap=True)
        if guest.blocked:
            console.print(f"    blocked: {guest.blocked}", markup=False, soft_wrap=True)
    return 0


def _engines(names: list[str]) -> list[str]:
    for name in names:
        make_engine(name)  # ValueError: unknown, or bad options
        if getattr(ENGINES[name.partition(":")[0]], "unsound", False):
            raise ValueError(f"engine {name!r} is unsound by design: boots are tracked on sound engines")
    return names


def _tables(guests: dict[str, catalogue.Guest], records: list[dict]) -> tuple[list[Table], bool]:
    """The boots (one row each), and the milestones with the count on each engine side by side."""
    boots = Table(title="boots")
    # speed: the boot's wall time in units of the reference workload's, run just before it
    for column in ("guest", "engine", "status", "instructions", "wall s", "MIPS", "speed"):
        boots.add_column(column, justify="left" if column in ("guest", "engine", "status") else "right")
    good = True
    for rec in records:
        said, ok = status(guests[rec["guest"]], rec)
        good &= ok
        boots.add_row(
            rec["guest"],
            rec["engine"],
            ("" if ok else "FAIL: ") + said,
            f"{rec['instructions']:,}",
            f"{rec['wall_seconds']:.1f}",
            f"{rec['mips']:.2f}",
            f"{rec['speed']}",
        )
    engines = list(dict.fromkeys(rec["engine"] for rec in records))
    milestones = Table(title="instructions to each milestone")
    for column in ("guest", "milestone", *engines):
        milestones.add_column(column, justify="right" if column in engines else "left")
    for name in dict.fromkeys(rec["guest"] for rec in records):
        counts = {rec["engine"]: rec["milestones"] for rec in records if rec["guest"] == name}
        for text in guests[name].milestones:
            row = [f"{counts[e][text]:,}" if text in counts.get(e, {}) else "-" for e in engines]
            milestones.add_row(name, text, *row)
    return [boots, milestones], good


def main(args: argparse.Namespace, console: Console) -> int:
    if args.list:
        return _list(console)
    try:
        guests = catalogue.select(args.guests)
        engines = _engines(args.engine or list(DEFAULT_ENGINES))
    except ValueError as exc:
        return _error(console, exc)
    if args.slower <= 1:
        return _error(console, f"--slower {args.slower}: give a ratio above 1")
    if args.plots and plots.unavailable():
        return _error(console, f"--plots: {plots.unavailable()}")
    folder = args.history or history.default_folder()
    if folder.exists() and not folder.is_dir():
        return _error(console, f"--history {folder}: not a folder")
    report_path = args.report or folder / "report.html"
    if not report_path.parent.is_dir() and report_path.parent != folder:
        return _error(console, f"--report {report_path}: no such folder {report_path.parent}")
    run = record.run_id()
    baseline = None
    if args.compare:  # read before booting: a bad --compare costs no boot
        try:
            compared_with, baseline = history.baseline(args.compare, folder, run)
        except history.HistoryError as exc:
            return _error(console, exc)
    try:
        history.read_folder(folder)
    except history.HistoryError as exc:
        return _error(console, exc)

    records, unavailable = boot_all(
        guests, engines, folder, run, lambda line: console.print(line, markup=False, soft_wrap=True)
    )
    if not records:
        console.print("no guest could be booted here", markup=False)
        return 1
    path = history.append(folder, records)
    tables, good = _tables(catalogue.GUESTS, records)
    for table in tables:
        console.print(table)
    for name in dict.fromkeys(rec["guest"] for rec in records):
        if catalogue.GUESTS[name].blocked:
            console.print(
                f"{name} is blocked: {catalogue.GUESTS[name].blocked}", markup=False, soft_wrap=True
            )
    console.print(f"history: {path} (run {run})", markup=False, soft_wrap=True)

    changes = None
    if baseline is not None:
        changes = compare_all(baseline, records, args.slower)
        _print_changes(console, compared_with, changes)
        good &= not any(c.regression for c in changes)
    drawn = []
    if args.plots:
        drawn = plots.write(history.read_folder(folder), folder / "plots", args.plots)
        for plot in drawn:
            console.print(f"plot: {plot}", markup=False, soft_wrap=True)
    finals = {name: guest.final for name, guest in catalogue.GUESTS.items()}
    report.write(
        report_path, records, folder, finals, changes, compared_with if changes is not None else "", drawn
    )
    console.print(f"report: {report_path}", markup=False, soft_wrap=True)
    return 0 if good else 1


def _print_changes(console: Console, compared_with: str, changes) -> None:
    regressions = [c for c in changes if c.regression]
    console.print(
        f"compared with {compared_with}: {len(regressions)} regression(s),"
        f" {len(changes) - len(regressions)} other change(s)",
        markup=False,
        soft_wrap=True,
    )
    if not changes:
        return
    table = Table(title="what changed")
    for column in ("guest", "engine", "change", "detail"):
        table.add_column(column)
    for change in changes:
        table.add_row(
            change.guest,
            change.engine,
            ("REGRESSION: " if change.regression else "") + change.kind,
            change.detail,
        )
    console.print(table)
