"""``conformance``: run guest tests on engines and report, or show one test in detail."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import capstone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import divergences, generate
from .boots import command as boots_command
from .engines import DEFAULT_ENGINES, EngineError, known, resolve
from .format import TestFormatError, parse_file
from .fuzz import command as fuzz_command
from .report.files import write_json, write_junit
from .report.holes import holes, print_holes
from .report.table import engine_facts, print_engine_facts, print_failures, summary_table
from .runner import JUDGED_STATUSES, discover, run_image, run_many, test_root
from .runtime import build_image, default_registers
from .state import REGISTER_ORDER
from .undefined import describe, final_mask


def _error(console: Console, message) -> None:
    """One line, whatever the terminal width."""
    console.print(f"error: {message}", markup=False, soft_wrap=True)


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (``prog: error: ...``), status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def positive_int(text: str) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def count_or_all(text: str):
    """--generated's value: a positive number, or "all" (what the option alone means:
    argparse passes a string const through the type too)."""
    return "all" if text == "all" else positive_int(text)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _workers(console: Console, jobs: int) -> int:
    cpus = available_cpus()
    if jobs > cpus:
        console.print(f"note: -j {jobs}: running {cpus} workers, the CPUs this process may use", markup=False)
        return cpus
    return jobs


def _report_path(option: str, text: str | None) -> str | None:
    """A one-line reason when ``text`` cannot be written as a report file."""
    if text is None:
        return None
    path = Path(text)
    if path.is_dir():
        return f"{option} {text}: is a folder; give a file name"
    folder = path.parent
    if not folder.is_dir():
        return f"{option} {text}: no such folder {folder}"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{option} {text}: not writable"
    return None


def _generated_ids(count) -> list[str]:
    return list(generate.ids(None if count == "all" else count))


def _default_paths() -> list[str]:
    here = Path("guest_tests")
    if here.is_dir():
        return [str(here)]
    bundled = Path(__file__).resolve().parent.parent / "guest_tests"
    return [str(bundled)]


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    engines = args.engine or list(DEFAULT_ENGINES)
    for name in engines:
        try:
            resolve(name)
        except EngineError as exc:
            _error(console, exc)
            return 2
    try:
        divergences.load()
    except divergences.DivergenceListError as exc:
        _error(console, exc)
        return 2
    for option, text in (("--json", args.json), ("--junit", args.junit)):
        reason = _report_path(option, text)
        if reason:
            _error(console, reason)
            return 2
    try:
        generated = [generate.materialise(i) for i in args.id or ()]
        if args.generated is not None:
            generated += [generate.materialise(i) for i in _generated_ids(args.generated)]
    except ValueError as exc:
        _error(console, exc)
        return 2
    named = args.paths or ([] if generated else _default_paths())
    paths = discover(named) + generated
    missing = [p for p in paths if not p.exists()]
    if missing:
        _error(console, f"no such test file: {missing[0]}")
        return 2
    if not paths:
        console.print("error: no .asm tests found", markup=False)
        return 2
    jobs = _workers(console, args.jobs)
    outcomes = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=len(paths) < 10 or not console.is_terminal,
    ) as progress:
        task = progress.add_task("running", total=len(paths))
        for result in run_many(paths, engines, jobs):
            outcomes.extend(result)
            progress.advance(task)
    console.print(summary_table(outcomes, engines))
    skipped = {o.engine: o.message for o in outcomes if o.status == "skip"}
    for engine, reason in skipped.items():
        console.print(f"{engine}: skipped, {reason}", markup=False, soft_wrap=True)
    facts = engine_facts(outcomes, engines)
    print_engine_facts(console, facts)
    print_failures(console, outcomes)
    extra = {"engine_facts": facts}
    found = holes(outcomes)
    if found:
        print_holes(console, found)
        extra["virtualization_holes"] = found
    for option, path, write in (
        ("--json", args.json, lambda p: write_json(p, outcomes, engines, extra)),
        ("--junit", args.junit, lambda p: write_junit(p, outcomes)),
    ):
        if path:
            try:
                write(Path(path))
            except OSError as exc:
                _error(console, f"{option} {path}: {exc.strerror or exc}")
                return 1
    bad = [o for o in outcomes if not o.ok]
    judged = [o for o in outcomes if o.status in JUDGED_STATUSES]
    summary = f"{len(paths)} tests x {len(engines)} engines: "
    if bad:
        console.print(summary + f"{len(bad)} unexpected results", markup=False)
        return 1
    if not judged:
        counts = Counter(o.status for o in outcomes)
        why = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        console.print(summary + f"nothing was compared ({why}): not a success", markup=False)
        return 1
    console.print(summary + "all as expected", markup=False)
    return 0


def _disassemble(code: bytes, origin: int, bits: int, labels: dict[str, int]) -> list[str]:
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    by_addr: dict[int, list[str]] = {}
    for name, addr in labels.items():
        by_addr.setdefault(addr, []).append(name)
    lines = []
    for insn in md.disasm(code, origin):
        for name in by_addr.get(insn.address, []):
            lines.append(f"{name}:")
        lines.append(f"  {insn.address:08x}  {insn.bytes.hex():<20} {insn.mnemonic} {insn.op_str}".rstrip())
    return lines


def cmd_show(args: argparse.Namespace, console: Console) -> int:
    path = Path(args.test)
    if args.test.startswith("gen/") and not path.exists():
        try:
            path = generate.materialise(args.test)
        except ValueError as exc:
            _error(console, exc)
            return 2
    try:
        spec = parse_file(path, test_root(path))
        image = build_image(spec)
    except TestFormatError as exc:
        _error(console, exc)
        return 2
    engines = args.engine or list(DEFAULT_ENGINES)
    console.print(f"[bold]{spec.test_id}[/bold]: {spec.title}")
    console.print(f"mode {spec.mode}, {len(image.body)} bytes of body at {image.body_origin:#x}")
    regs = default_registers(spec.mode)
    regs.update(spec.regs)
    console.print("initial: " + " ".join(f"{k}={v:#x}" for k, v in regs.items()), markup=False)
    for addr, blob in spec.data:
        console.print(f"data {addr:#x}: {blob.hex(' ')}", markup=False)
    console.print(
        "undefined flags at the end: " + describe(final_mask(image.body, image.body_origin, image.bits))
    )
    console.print(
        "\n".join(_disassemble(image.body, image.body_origin, image.bits, image.labels)),
        markup=False,
    )
    states = []
    for name in engines:
        try:
            engine = resolve(name)
        except EngineError as exc:
            _error(console, exc)
            return 2
        reason = engine.unavailable()
        if reason:
            console.print(f"{name}: skipped ({reason})", markup=False)
            continue
        states.append(run_image(engine, image))
    table = Table(title="final state")
    table.add_column("field")
    for s in states:
        table.add_column(s.engine)
    table.add_row("exit", *(f"{s.exit} {s.message}".strip() for s in states))
    for reg in REGISTER_ORDER:
        values = [f"{s.regs[reg]:#x}" if reg in s.regs else "-" for s in states]
        table.add_row(reg, *values, style="red" if len(set(values)) > 1 else None)
    table.add_row("exceptions", *(" ".join(e.brief() for e in s.exceptions) or "none" for s in states))
    table.add_row("ports", *(" ".join(f"{p:#x}={v:#x}" for p, _z, v in s.ports) or "none" for s in states))
    for addr, size in image.compare:
        table.add_row(f"mem {addr:#x}+{size}", *(s.memory.get(addr, b"").hex(" ") for s in states))
    if any(s.debug for s in states):
        table.add_row("debug", *(repr(s.debug) for s in states))
    console.print(table)
    return 0


def cmd_coverage(args: argparse.Namespace, console: Console) -> int:
    from . import coverage

    paths = discover(args.paths or _default_paths())
    missing = [p for p in paths if not p.exists()]
    if missing:
        _error(console, f"no such test file: {missing[0]}")
        return 2
    if args.generated is not None:
        paths += [generate.materialise(i) for i in _generated_ids(args.generated)]
    cov = coverage.measure(paths, _workers(console, args.jobs))
    table = Table(
        title=f"coverage of {len(paths)} tests (instructions executed by the body, decoded by capstone)"
    )
    for column in ("what", "covered", "of", "percent"):
        table.add_column(column, justify="right" if column != "what" else "left")
    reports = {
        "opcodes x operand size": coverage.opcode_report(cov),
        "of which x87 forms (D8-DF)": coverage.opcode_report(cov, x87_only=True),
        "ModRM/SIB addressing forms": coverage.addressing_report(cov),
    }
    for name, report in reports.items():
        table.add_row(name, str(report.covered), str(report.total), f"{report.percent:.1f} %")
    console.print(table)
    for name, report in reports.items():
        if report.missing and not name.startswith("of which"):  # listed with the whole
            console.print(f"not covered ({name}): " + ", ".join(report.missing), markup=False, soft_wrap=True)
    return 0


def cmd_engines(args: argparse.Namespace, console: Console) -> int:
    for name in known():
        try:
            engine = resolve(name)
        except EngineError as exc:
            console.print(f"{name:<12} {'?':<8} cannot be loaded: {exc}", markup=False, soft_wrap=True)
            continue
        reason = engine.unavailable()
        console.print(
            f"{name:<12} {engine.kind:<8} {'available' if not reason else 'unavailable: ' + reason}",
            markup=False,
        )
    return 0


def cmd_fuzz(args: argparse.Namespace, console: Console) -> int:
    return fuzz_command.run(args, console, _workers(console, args.jobs))


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="conformance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    run = sub.add_parser("run", help="run guest tests on engines and report")
    run.add_argument("paths", nargs="*", help="test files or folders (default: guest_tests)")
    run.add_argument(
        "--engine",
        "-e",
        action="append",
        help="engine configuration (repeatable; default: unicorn, interp and bt)",
    )
    run.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        default=available_cpus(),
        help="parallel workers (at most the CPUs this process may use; default: all of them)",
    )
    run.add_argument("--id", action="append", help="a generated test by id, e.g. gen/alu/17 (repeatable)")
    run.add_argument(
        "--generated",
        nargs="?",
        type=count_or_all,
        const="all",
        metavar="N",
        help="add the generated corpus (all of it, or an evenly spread sample of N)",
    )
    run.add_argument("--json", help="write every outcome and final state as JSON")
    run.add_argument("--junit", help="write a JUnit XML report")
    show = sub.add_parser("show", help="disassembly, initial state and each engine's final state")
    show.add_argument("test", help="a test file, or a generated test id such as gen/alu/17")
    show.add_argument("--engine", "-e", action="append")
    sub.add_parser("engines", help="list engine configurations and whether they can run here")
    cov = sub.add_parser("coverage", help="opcodes and addressing forms the corpus executes")
    cov.add_argument("paths", nargs="*", help="test files or folders (default: guest_tests)")
    cov.add_argument(
        "--generated",
        nargs="?",
        type=count_or_all,
        const="all",
        metavar="N",
        help="include the generated corpus (all of it, or an evenly spread sample of N)",
    )
    cov.add_argument("-j", "--jobs", type=positive_int, default=available_cpus(), help="parallel workers")
    fuzz_command.add_parser(sub, positive_int, available_cpus())
    boots = sub.add_parser(
        "boots",
        help="boot the pinned guests, keep a history, compare with an earlier record, plot, report",
        description=boots_command.__doc__,
    )
    boots_command.add_arguments(boots)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(highlight=False)
    handler = {
        "run": cmd_run,
        "show": cmd_show,
        "engines": cmd_engines,
        "coverage": cmd_coverage,
        "fuzz": cmd_fuzz,
        "boots": boots_command.main,
    }[args.command]
    try:
        status = handler(args, console)
        sys.stdout.flush()  # here, where a reader that went away is caught, not at exit
        return status
    except KeyboardInterrupt:
        console.print("interrupted")
        return 130
    except BrokenPipeError:  # the reader went away (``conformance run | head``)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
