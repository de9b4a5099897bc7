"""``conformance fuzz``: the command line of the fuzzer."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console

from ..engines import EngineError, resolve
from . import campaign, report
from .catalogue import TARGETS
from .contexts import MODES
from .random_bytes import NAME as RANDOM

DEFAULT_ENGINES = ("interp", "bt", "de+bt")
ORACLES = ("unicorn", "native", "kvm")  # each where it is available; Unicorn always


def add_parser(sub, positive_int, jobs_default: int) -> None:
    fuzz = sub.add_parser(
        "fuzz",
        help="fuzz sensitive and privileged instructions against the oracles",
        description="Draw programs around sensitive and privileged instructions (hypothesis), run "
        "each on the engines and the oracles, and shrink and save what differs.",
    )
    fuzz.add_argument(
        "--engine", "-e", action="append", help=f"engine (repeatable; default: {', '.join(DEFAULT_ENGINES)})"
    )
    budget = fuzz.add_mutually_exclusive_group()
    budget.add_argument("--examples", type=positive_int, help="examples in all (default: 1000)")
    budget.add_argument("--seconds", type=positive_int, help="run for this long instead")
    fuzz.add_argument("--seed", type=int, default=0, help="the campaign's seed (default 0)")
    fuzz.add_argument(
        "--target", "-t", action="append", help="an instruction of the catalogue (repeatable; default: all)"
    )
    fuzz.add_argument(
        "--mode",
        "-m",
        action="append",
        help=f"start modes to draw from (repeatable; default: {', '.join(MODES)})",
    )
    fuzz.add_argument(
        "--save", default="fuzz-findings", help="folder for the findings, as tests (default: fuzz-findings)"
    )
    fuzz.add_argument("--json", help="write the report as JSON")
    fuzz.add_argument("-j", "--jobs", type=positive_int, default=jobs_default, help="worker processes")
    fuzz.add_argument(
        "--random-bytes",
        action="store_true",
        help="random instruction bytes in every mode instead of the catalogue",
    )
    fuzz.add_argument("--list", action="store_true", help="list the target instructions and exit")


def _check(args) -> str | None:
    """A one-line reason the arguments cannot run, or None."""
    unknown = [t for t in args.target or () if t not in TARGETS]
    if unknown:
        return f"--target {unknown[0]!r}: not in the catalogue (conformance fuzz --list)"
    modes = [m for m in args.mode or () if m not in MODES]
    if modes:
        return f"--mode {modes[0]!r}: one of {', '.join(MODES)}"
    if args.json and not Path(args.json).parent.is_dir():
        return f"--json {args.json}: no such folder {Path(args.json).parent}"
    save = Path(args.save)
    if save.exists() and not save.is_dir():
        return f"--save {args.save}: not a folder"
    return None


def run(args: argparse.Namespace, console: Console, workers: int) -> int:
    if args.list:
        for t in TARGETS.values():
            console.print(f"{t.name:<18} {t.group}", markup=False)
        return 0
    problem = _check(args)
    if problem:
        console.print(f"error: {problem}", markup=False, soft_wrap=True)
        return 2
    engines, oracles = [], []
    for name in args.engine or DEFAULT_ENGINES:
        try:
            engine = resolve(name)
        except EngineError as exc:
            console.print(f"error: {exc}", markup=False, soft_wrap=True)
            return 2
        reason = engine.unavailable()
        if reason:
            console.print(f"error: {name}: unavailable here: {reason}", markup=False, soft_wrap=True)
            return 2
        if name.partition(":")[0] not in ORACLES:
            engines.append(name)
    for name in ORACLES:
        reason = resolve(name).unavailable()
        if not reason:
            oracles.append(name)
        elif name == "unicorn":
            console.print(f"error: the Unicorn oracle is unavailable: {reason}", markup=False)
            return 2
        else:
            console.print(f"note: oracle {name} not used: {reason}", markup=False, soft_wrap=True)
    if not engines:
        console.print("error: no engine under test (the oracles run anyway)", markup=False)
        return 2
    if args.random_bytes and args.target:
        console.print("error: --random-bytes draws no targets: leave out --target", markup=False)
        return 2
    targets = [RANDOM] if args.random_bytes else args.target or list(TARGETS)
    examples = None if args.seconds else args.examples or 1000
    modes = tuple(args.mode or MODES)
    began = time.time()
    done, total = [0], [0]

    def progress(result: campaign.BatchResult) -> None:
        done[0] += result.examples
        total[0] += len(result.findings)
        if result.findings:
            console.print(
                f"  {result.target}: {total[0]} finding(s) in {done[0]:,} examples so far", markup=False
            )

    results = campaign.run(
        targets, engines, oracles, examples, args.seconds, args.seed, workers, progress, modes
    )
    summary = report.Summary(
        args.seed,
        engines,
        oracles,
        time.time() - began,
        targets,
        results,
        {t.name: t.group for t in TARGETS.values()},
    )
    if summary.findings():
        report.save(summary, Path(args.save))
    report.print_report(console, summary)
    if args.json:
        report.write_json(Path(args.json), summary)
    return 1 if summary.findings() or summary.program_errors() else 0
