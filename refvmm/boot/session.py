"""One boot of a PC guest: the machine built from its images, run on an engine until a
milestone, and the boot log kept afterwards (what a person reads and a regression test
compares: serial text, debug-port text, the VGA text screen, instructions retired)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..engines import make_engine, statistics
from ..engines.core import Stop, run_until
from ..pc import PC
from . import elf, linux, multiboot

# How often (in instructions) the VGA text screen is searched for the milestone; serial
# output is searched as it arrives.
SCREEN_CHECK_INTERVAL = 250_000


class BootError(ValueError):
    """A boot cannot start: a missing or unusable image or option (the message is one line)."""


@dataclasses.dataclass
class BootLog:
    """What one boot did. ``reason`` is why it stopped: "milestone", "budget", "halt" (halted with
    nothing left to wake it), "reset", "interrupted" (Ctrl-C), or the engine's "triple-fault"/"error"."""

    reason: str
    message: str
    milestone: str | None
    instructions: int  # retired
    idle: int  # virtual time spent halted, in instruction units
    wall_seconds: float
    serial: str
    debug: str
    screen: str
    engine: str
    images: dict[str, str]  # role ("bios", "disk", ...) -> sha256 of the image as booted
    version: str = __version__
    # each milestone text reached -> the instructions retired when it was first seen (on serial:
    # at the write that completed it; on screen: at the look that found it)
    milestones: dict[str, int] = dataclasses.field(default_factory=dict)
    stats: dict[str, int] = dataclasses.field(default_factory=dict)  # what the engine counted

    @property
    def mips(self) -> float:
        return self.instructions / max(self.wall_seconds, 1e-9) / 1e6

    def transcript(self) -> tuple:
        """What must come out the same on every run and every engine (not the wall time)."""
        return (self.reason, self.instructions, self.idle, self.serial, self.debug, self.screen)

    def summary(self) -> str:
        why = f"reached {self.milestone!r}" if self.reason == "milestone" else self.reason
        return (
            why
            + (f" ({self.message})" if self.message else "")
            + f" after {self.instructions:,} instructions in {self.wall_seconds:.1f} s"
            + f" ({self.mips:.2f} MIPS, {self.engine})"
        )

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["mips"] = round(self.mips, 3)
        return json.dumps(data, indent=2) + "\n"


def _read(role: str, path: str | os.PathLike) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BootError(f"{path}: cannot read the {role} image: {exc.strerror}") from None
    if not data:
        raise BootError(f"{path}: the {role} image is empty")
    return data


class Boot:
    """A PC with its firmware or kernel loaded, ready to run. Disk and floppy images given as
    paths are used in place (guest writes land in the file); bytes give the guest a private copy.
    ``serial`` receives COM1 output as it is written."""

    def __init__(
        self,
        *,
        bios: str | os.PathLike | None = None,
        kernel: str | os.PathLike | None = None,
        disk: str | os.PathLike | bytes | None = None,
        floppy: str | os.PathLike | bytes | None = None,
        initrd: str | os.PathLike | None = None,
        command_line: str | None = None,
        memory_mib: int = 16,
        engine: str = "interp",
        serial: Callable[[bytes], None] | None = None,
    ):
        if (bios is None) == (kernel is None):
            raise BootError("a boot needs a BIOS image or a kernel (multiboot or Linux; one of them)")
        if kernel is None and (initrd is not None or command_line is not None):
            raise BootError("an initrd or a command line goes with a kernel, not a BIOS")
        try:
            self.engine = make_engine(engine)
        except ValueError as exc:
            raise BootError(str(exc)) from None
        if not 2 <= memory_mib <= 3072:
            raise BootError(f"memory of {memory_mib} MiB: give 2 to 3072 MiB")
        self.engine_name = engine
        self.images: dict[str, str] = {}
        self._serial_sink = serial
        self.serial, self.debug = bytearray(), bytearray()
        self.until: bytes | None = None
        self.pending: list[bytes] = []  # milestones not seen yet
        self.reached: dict[str, int] = {}
        media = {}
        for role, image in (("disk", disk), ("floppy", floppy)):
            if image is None:
                continue
            data = bytes(image) if isinstance(image, (bytes, bytearray)) else _read(role, image)
            self.images[role] = hashlib.sha256(data).hexdigest()
            media[role] = image if isinstance(image, (bytes, bytearray)) else os.fspath(image)
        try:
            self.pc = PC(ram_size=memory_mib << 20, serial=self._on_serial, debug=self.debug.extend, **media)
        except ValueError as exc:
            raise BootError(str(exc)) from None
        machine = self.pc.machine
        if bios is not None:
            rom = _read("BIOS", bios)
            self.images["bios"] = hashlib.sha256(rom).hexdigest()
            try:
                machine.map_rom(rom)
            except ValueError as exc:
                raise BootError(f"{bios}: {exc}") from None
            machine.cpu.power_on()
        else:
            image = _read("kernel", kernel)
            self.images["kernel"] = hashlib.sha256(image).hexdigest()
            ramdisk = b""
            if initrd is not None:
                ramdisk = _read("initrd", initrd)
                self.images["initrd"] = hashlib.sha256(ramdisk).hexdigest()
            self.loaded = self._load_kernel(machine, kernel, image, ramdisk, command_line or "")

    @staticmethod
    def _load_kernel(machine, path, image: bytes, initrd: bytes, command_line: str) -> str:
        """A Linux bzImage (its HdrS header), else a multiboot kernel, else an ELF vmlinux."""
        try:
            if linux.is_bzimage(image) or (elf.is_elf32(image) and not multiboot.has_header(image)):
                return linux.load(machine, image, initrd, command_line)
            if multiboot.has_header(image) and initrd:
                raise linux.LinuxBootError("a multiboot kernel: an initrd is for a Linux kernel")
            multiboot.load(machine, image, command_line)
            return "multiboot kernel"
        except multiboot.MultibootError as exc:
            reason = f"{exc}, and no Linux boot-protocol header (HdrS at 0x202)"
            if image[0x1FE:0x200] == b"\x55\xaa":  # a boot sector: say why it is no Linux kernel
                try:
                    linux.parse_header(image)
                except linux.LinuxBootError as why:
                    reason = str(why)
            raise BootError(f"{path}: {reason}") from None
        except ValueError as exc:
            raise BootError(f"{path}: {exc}") from None

    def _on_serial(self, data: bytes) -> None:
        self.serial.extend(data)
        if self._serial_sink:
            self._serial_sink(data)
        for text in self.pending:
            if text in self.serial[-(len(text) + len(data)) :]:
                self._note(text)
        if self.until and self.until in self.serial[-(len(self.until) + len(data)) :]:
            self.pc.machine.request_stop()

    def _note(self, text: bytes) -> None:
        self.pending.remove(text)
        self.reached[text.decode("latin-1")] = self.pc.machine.retired

    def _reached(self) -> bool:
        screen = self.pc.vga.text() if self.pending or self.until else ""
        for text in list(self.pending):
            if text.decode("latin-1") in screen:
                self._note(text)
        return bool(self.until) and (self.until in self.serial or self.until.decode() in screen)

    def run(
        self,
        until: str | None = None,
        max_instructions: int = 50_000_000,
        screen_every: int = SCREEN_CHECK_INTERVAL,
        milestones: tuple[str, ...] = (),
    ) -> BootLog:
        """Run until ``until`` appears on serial or (looked for every ``screen_every``
        instructions) on the VGA text screen, the budget is spent, or the guest stops; Ctrl-C
        stops it too. Each of ``milestones`` (and ``until``) is noted with the instruction
        count at which it was first seen, on serial or on screen. Returns the boot log."""
        machine = self.pc.machine
        self.until = until.encode() if until else None
        wanted = [*milestones, *([until] if until and until not in milestones else [])]
        self.pending = [text.encode("latin-1") for text in wanted if text not in self.reached]
        started = time.monotonic()
        message = ""
        try:
            outcome, message = run_until(self.engine, machine, max_instructions, self._reached, screen_every)
            if outcome == Stop.UNTIL:
                reason = "milestone"
            elif outcome == Stop.BUDGET:
                reason, message = "budget", ""
            elif outcome in (Stop.HALT, Stop.TRIPLE_FAULT, Stop.ERROR):
                reason = str(outcome)
            else:  # a device asked to stop: the milestone on serial, or a reset
                reason = "reset" if self.pc.resets else str(outcome)
        except KeyboardInterrupt:
            reason, message = "interrupted", "Ctrl-C"
        machine.stop_requested = False
        if self._reached():
            reason = "milestone"
        return BootLog(
            reason=reason,
            message=message,
            milestone=until,
            instructions=machine.retired,
            idle=machine.idle,
            wall_seconds=round(time.monotonic() - started, 3),
            serial=self.serial.decode("latin-1"),
            debug=self.debug.decode("latin-1"),
            screen=self.pc.vga.text(),
            engine=self.engine_name,
            images=dict(self.images),
            milestones=dict(self.reached),
            stats=statistics(self.engine),
        )
