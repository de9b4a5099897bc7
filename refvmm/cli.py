"""``refvmm``: run guest code on the VMM's engines."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import capstone

from . import __version__
from .engines import make_engine
from .engines.core import Stop, run_until
from .engines.interp import Interpreter
from .machine import Machine

RAM_SIZE = 4 << 20
REAL_MODE_END = 0x100000  # real mode reaches the first MiB (with CS:IP up to 0xF000:0xFFFF)


class ArgumentParser(argparse.ArgumentParser):
    """Errors in one line (``refvmm run: error: ...``), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _number(text: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _count(text: str) -> int:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _positive(text: str) -> int:
    value = _number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _load_address(text: str) -> int:
    value = _number(text)
    if not 0 <= value < REAL_MODE_END:
        raise argparse.ArgumentTypeError(
            f"{text}: a flat binary starts in real mode, which reaches addresses below {REAL_MODE_END:#x}"
        )
    return value


def real_mode_entry(address: int) -> tuple[int, int]:
    """CS and IP that reach linear ``address`` in real mode: the 64 KiB bank as the
    segment (0000:7C00, 1000:0000, 1234:5678 for 0x12345678 & 0xFFFFF ...)."""
    return (address & 0xF0000) >> 4, address & 0xFFFF


def _load(path: Path, load_at: int):
    """(machine, port bus, (CS, IP), budget) for a guest test program or a flat binary."""
    from conformance.format import TestFormatError, parse_file
    from conformance.ports import PortBus
    from conformance.runner import test_root
    from conformance.runtime import build_image

    if path.suffix == ".asm":
        try:
            image = build_image(parse_file(path, test_root(path)))
        except TestFormatError as exc:
            raise SystemExit(f"refvmm: {exc}") from None
        bus = PortBus(image.port_in)
        machine = Machine(image.ram_size, bus)
        machine.load(image.chunks)
        return machine, bus, (0, image.entry), image.budget
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise SystemExit(f"refvmm: {path}: {exc.strerror}") from None
    if load_at + len(blob) > RAM_SIZE:
        raise SystemExit(f"refvmm: {path}: {len(blob)} bytes do not fit in RAM at {load_at:#x}")
    bus = PortBus()
    machine = Machine(RAM_SIZE, bus)
    machine.load([(load_at, blob)])
    return machine, bus, real_mode_entry(load_at), 1_000_000


def cmd_run(args: argparse.Namespace) -> int:
    machine, bus, (cs, ip), budget = _load(Path(args.file), args.load)
    machine.cpu.reset(cs, ip)
    if args.trace and args.engine != "interp":
        raise SystemExit("refvmm: --trace follows single instructions: use it with --engine interp")
    try:
        engine = Interpreter(trace=args.trace) if args.engine == "interp" else make_engine(args.engine)
    except ValueError as exc:
        raise SystemExit(f"refvmm: {exc}") from None
    try:
        reason, message = run_until(engine, machine, args.max_insns or budget)
        if reason == Stop.BUDGET:
            message = ""
    except KeyboardInterrupt:
        reason, message = "interrupted", "Ctrl-C"
    if reason == Stop.STOPPED:
        reason = bus.exit or "stopped"
    if getattr(engine, "trace", None):
        print(f"last {len(engine.trace)} instructions:")
        for cs, eip, bits, code, regs in engine.trace:
            md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
            first = next(md.disasm(code, eip), None)
            text = f"{first.mnemonic} {first.op_str}" if first else code.hex()
            gprs = " ".join(
                f"{k}={regs[k]:08x}" for k in ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")
            )
            print(f"  {cs:04x}:{eip:08x}  {text:<32} {gprs} efl={regs['eflags']:08x}")
    cpu = machine.cpu
    print(f"exit: {reason}" + (f" ({message})" if message else "") + f" after {machine.retired} instructions")
    snap = cpu.snapshot()
    for row in (
        ("eax", "ecx", "edx", "ebx"),
        ("esp", "ebp", "esi", "edi"),
        ("eip", "eflags", "cr0", "cr2"),
        ("cs", "ss", "ds", "es"),
        ("fs", "gs", "cr3", "cr4"),
    ):
        print("  " + "  ".join(f"{name:>6}={snap[name]:08x}" for name in row))
    if bus.writes:
        print("ports: " + " ".join(f"{p:#x}={v:#x}" for p, _s, v in bus.writes))
    if bus.debug:
        print("debug: " + bus.debug.decode("latin-1"))
    if args.stats:
        _print_stats(engine)
    return 0 if reason in ("end", "halt") else 1


def _print_stats(engine) -> None:
    """What the engine counted (de+bt: instructions in DE and BT, traps by kind, hidden
    page faults, traced writes, switches)."""
    from .engines import statistics

    stats = statistics(engine)
    if not stats:
        print(f"stats: {engine.name} keeps none")
        return
    print("stats:")
    for key in sorted(stats):
        print(f"  {key:<36} {stats[key]:>12,}")


def cmd_boot(args: argparse.Namespace) -> int:
    """Boot a PC guest, stream its serial port, and summarise the boot on stderr."""
    from .boot.session import Boot, BootError

    serial_out = sys.stdout.buffer
    try:
        if args.serial != "stdio":
            serial_out = open(args.serial, "wb")  # noqa: SIM115 (open for the whole boot)
        boot = Boot(
            bios=args.bios,
            kernel=args.kernel,
            disk=args.disk,
            floppy=args.floppy,
            initrd=args.initrd,
            command_line=args.append,
            memory_mib=args.memory,
            engine=args.engine,
            serial=lambda data: (serial_out.write(data), serial_out.flush()),
        )
    except BootError as exc:
        raise SystemExit(f"refvmm: {exc}") from None
    except OSError as exc:
        raise SystemExit(f"refvmm: {args.serial}: {exc.strerror}") from None
    if args.kernel:
        print(f"refvmm: {args.kernel}: {boot.loaded}", file=sys.stderr)
    log = boot.run(args.until, args.max_insns)
    print(f"\nrefvmm: {log.summary()}", file=sys.stderr)
    if log.screen.strip():
        print("VGA text screen:\n" + log.screen.rstrip(), file=sys.stderr)
    for path, write in (
        (args.debug_log, lambda p: Path(p).write_text(log.debug, encoding="latin-1")),
        (args.log, lambda p: Path(p).write_text(log.to_json())),
        (args.screenshot, boot.pc.vga.png),
    ):
        if path:
            try:
                write(path)
            except OSError as exc:
                print(f"refvmm: {path}: {exc.strerror}", file=sys.stderr)
                return 1
    if args.until:
        return 0 if log.reason == "milestone" else 1
    return 1 if log.reason in ("error", "triple-fault") else 0


def main(argv: list[str] | None = None) -> int:
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, where a reader that went away is caught, not at exit
        return status
    except BrokenPipeError:  # the reader went away (``refvmm run ... | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    parser = ArgumentParser(prog="refvmm", description="reference IA-32 virtual machine monitor")
    parser.add_argument("--version", action="version", version=f"refvmm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    run = sub.add_parser("run", help="run a guest test program (.asm) or a flat binary on a VMM engine")
    run.add_argument("file")
    run.add_argument(
        "--trace", type=_count, default=0, metavar="N", help="print the last N instructions executed"
    )
    run.add_argument(
        "--max-insns", type=_count, default=0, help="instruction budget (default: the test's, or 1,000,000)"
    )
    run.add_argument(
        "--engine",
        default="interp",
        help="the VMM engine: interp, bt, bt:OPTIONS (noopt, block=N, hot=N), de+bt or naive-de",
    )
    run.add_argument("--stats", action="store_true", help="print what the engine counted (de+bt: DE and BT)")
    run.add_argument(
        "--load",
        type=_load_address,
        default=0x7C00,
        metavar="ADDR",
        help="load address of a flat binary, below 0x100000; it starts in real mode at CS:IP ="
        " (ADDR & 0xF0000) >> 4 : ADDR & 0xFFFF, so 0x7c00 (the default) is 0000:7C00 and 0x12345"
        " is 1000:2345",
    )
    boot = sub.add_parser("boot", help="boot a PC from a BIOS image, a multiboot kernel or a Linux kernel")
    boot.add_argument("--bios", help="the BIOS image (for example SeaBIOS's bios.bin)")
    boot.add_argument(
        "--kernel",
        help="a multiboot kernel, a Linux bzImage or an ELF vmlinux, started by refvmm's loader (no BIOS)",
    )
    boot.add_argument("--initrd", help="the initrd (initramfs) of a Linux kernel")
    boot.add_argument("--append", help="the kernel command line")
    boot.add_argument("--disk", help="a hard-disk image (the primary IDE master; guest writes land in it)")
    boot.add_argument("--floppy", help="a floppy image (drive A:; guest writes land in it)")
    boot.add_argument("--serial", default="stdio", help="where COM1 output goes: stdio or a file")
    boot.add_argument("--until", help="stop when this text appears on serial or on the VGA text screen")
    boot.add_argument("--max-insns", type=_positive, default=50_000_000, help="instruction budget")
    boot.add_argument("--memory", type=_number, default=16, help="RAM in MiB (2 to 3072)")
    boot.add_argument(
        "--engine",
        default="interp",
        help="the VMM engine to boot on: interp, bt, or bt:OPTIONS (noopt, block=N)",
    )
    boot.add_argument("--log", help="write the boot log (serial, debug ports, screen, counts) as JSON")
    boot.add_argument("--screenshot", help="write the VGA text screen at the end as a PNG")
    boot.add_argument("--debug-log", help="write the debug ports' output (0xE9, 0x402) to this file")
    args = parser.parse_args(argv)
    return cmd_boot(args) if args.command == "boot" else cmd_run(args)


if __name__ == "__main__":
    sys.exit(main())
