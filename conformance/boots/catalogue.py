"""The pinned guests the boot tests and ``conformance boots`` boot, each with its milestones.

A milestone is text the guest prints on serial or draws on the VGA text screen; the last
one ends the boot. Where each comes from is said per guest: the guest's own known output
(its banner, its prompt), as measured under QEMU (see the design card's device section),
never what an engine under test happened to print. The guests are fetched and pinned by
ci/fetch_guests.py; this module finds that script in the checkout it belongs to.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from refvmm.boot.session import SCREEN_CHECK_INTERVAL, Boot, BootLog

from .record import CHECKOUT

FETCH_SCRIPT = CHECKOUT / "ci" / "fetch_guests.py"


class GuestUnavailable(RuntimeError):
    """A guest cannot be fetched or built here (the message is one line)."""


@cache
def fetch_guests():
    """ci/fetch_guests.py as a module: it lives in ci/ (what CI runs), not in a package."""
    if not FETCH_SCRIPT.is_file():
        raise GuestUnavailable(f"{FETCH_SCRIPT} not found: the boots run from a checkout of the project")
    spec = importlib.util.spec_from_file_location("fetch_guests", FETCH_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fetch_guests", module)
    spec.loader.exec_module(module)
    return sys.modules["fetch_guests"]


def root() -> Path:
    """Where the fetched packages are extracted."""
    return fetch_guests().default_cache() / "root"


def bios() -> Path:
    return root() / "usr/share/seabios/bios.bin"


def image_bytes(name: str) -> bytes:
    """A built disk image, as bytes: the guest boots a private copy and writes no file."""
    return fetch_guests().image_path(name).read_bytes()


BOOT_SECTOR = """
    xor ax, ax
    mov ds, ax
    mov si, message
next:
    lodsb
    test al, al
    jz idle
    mov ah, 0x0e
    mov bx, 7
    int 0x10
    jmp next
idle:
    sti
    hlt
    jmp idle
message:
    .byte 0x48, 0x69, 0x20, 0x66, 0x72, 0x6f, 0x6d, 0x20, 0x74, 0x68, 0x65, 0x20, 0x64, 0x69, 0x73, 0x6b, 0
"""


def boot_sector_disk() -> bytes:
    """A 32 KiB disk whose boot sector prints "Hi from the disk" through INT 10h."""
    from ..assemble import assemble

    code = assemble(BOOT_SECTOR, 16, 0x7C00).code
    disk = bytearray(512 * 64)
    disk[: len(code)] = code
    disk[510:512] = b"\x55\xaa"
    return bytes(disk)


@dataclasses.dataclass(frozen=True)
class Guest:
    name: str
    about: str  # what boots, and where its milestones come from
    milestones: tuple[str, ...]  # in the order the guest reaches them; the last ends the boot
    budget: int  # instructions
    media: Callable[[], dict]  # Boot's keyword arguments: the images (read when the guest boots)
    packages: tuple[str, ...] = ()  # what ci/fetch_guests.py must fetch ...
    images: tuple[str, ...] = ()  # ... and build
    screen_every: int = SCREEN_CHECK_INTERVAL
    memory_mib: int = 16
    slow: bool = True  # more than a few seconds
    # what the guest cannot reach yet, and why; and the text it prints where it stops now,
    # which then ends the boot (noted as a milestone of its current state)
    blocked: str = ""
    blocked_at: str = ""

    @property
    def final(self) -> str:
        return self.milestones[-1]

    def prepare(self) -> None:
        """Fetch and build what the guest needs, or raise GuestUnavailable with the reason."""
        try:
            problems = fetch_guests().ensure(list(self.images), list(self.packages))
        except OSError as exc:
            problems = [f"cannot run {exc.filename or 'apt-get'}: {exc.strerror}"]
        if problems:
            raise GuestUnavailable(problems[0])

    def boot(self, engine: str, serial=None) -> tuple[BootLog, Boot]:
        """Boot it on ``engine`` to its last milestone (or the budget); the Boot is returned too,
        for what a log does not keep (the screen as a picture)."""
        session = Boot(**self.media(), memory_mib=self.memory_mib, engine=engine, serial=serial)
        until = self.blocked_at or self.final
        milestones = (*self.milestones, *([self.blocked_at] if self.blocked_at else []))
        log = session.run(until, self.budget, self.screen_every, milestones=milestones)
        return log, session


SEABIOS = "SeaBIOS (version 1.16.2"
# The reduced command line of the guest notes (what the kernel may skip: self-tests, probes of
# hardware this PC has not), with the early console, so what comes before the serial console
# (the banner, the FPU check) shows, and without "quiet", so the banner is printed.
LINUX_LINE = (
    "earlyprintk=serial,ttyS0,115200 console=ttyS0 nokaslr panic=-1 cryptomgr.notests noisapnp"
    " nolapic acpi=off nohpet lsm=capability mitigations=off pci=off tsc=reliable nosmp"
    " initcall_blacklist=ftrace_check_for_weak_functions,trace_eval_init,load_system_certificate_list,"
    "blake2s_mod_init,slab_sysfs_init,inet6_init"
)
MEMTEST_LINE = "console=ttyS0,115200 nopause"

GUESTS = {
    guest.name: guest
    for guest in (
        Guest(
            "grub-invaders",
            "grub-invaders 1.0.0 (multiboot), started by refvmm's loader: its invaders (five rows"
            " of -*-), then the ship (/ \\) on VGA text, as the game draws its first screen",
            ("-*-", "/ \\"),
            4_000_000,
            lambda: {"kernel": root() / "boot/invaders.exec"},
            packages=("grub-invaders",),
            screen_every=10_000,
            slow=False,
        ),
        Guest(
            "seabios-boot-sector",
            "SeaBIOS 1.16.2 boots an IDE disk whose boot sector prints through INT 10h (mirrored to"
            " COM1): SeaBIOS's banner, its 'Booting from Hard Disk', then the boot sector's text",
            (SEABIOS, "Booting from Hard Disk", "Hi from the disk"),
            20_000_000,
            lambda: {"bios": bios(), "disk": boot_sector_disk()},
            packages=("seabios",),
        ),
        Guest(
            "grub-legacy",
            "SeaBIOS boots GRUB legacy 0.97 from an IDE disk: SeaBIOS's banner and boot message,"
            " GRUB's banner, its command-line prompt",
            (SEABIOS, "Booting from Hard Disk", "GNU GRUB  version 0.97", "grub>"),
            20_000_000,
            lambda: {"bios": bios(), "disk": image_bytes("grub-legacy")},
            packages=("seabios",),
            images=("grub-legacy",),
        ),
        Guest(
            "syslinux-hd",
            "SeaBIOS boots SYSLINUX 6.04 from a partitioned IDE disk: SeaBIOS's banner and boot"
            " message, SYSLINUX's banner, the SAY line of its configuration, its boot: prompt",
            (SEABIOS, "Booting from Hard Disk", "SYSLINUX 6.04", "refvmm: SYSLINUX read", "boot:"),
            40_000_000,
            lambda: {"bios": bios(), "disk": image_bytes("syslinux-hd")},
            packages=("seabios",),
            images=("syslinux-hd",),
        ),
        Guest(
            "syslinux-floppy",
            "SeaBIOS boots SYSLINUX 6.04 from a 1.44 MB floppy: as syslinux-hd, from the floppy",
            (SEABIOS, "Booting from Floppy", "SYSLINUX 6.04", "refvmm: SYSLINUX read", "boot:"),
            40_000_000,
            lambda: {"bios": bios(), "floppy": image_bytes("syslinux-floppy")},
            packages=("seabios",),
            images=("syslinux-floppy",),
        ),
        Guest(
            "memtest86+",
            "memtest86+ 6.10 (memtest86+ia32.bin, boot protocol 2.12) started by refvmm's Linux"
            f" loader with {MEMTEST_LINE!r}: its banner, then its status line once the first test"
            " starts (under QEMU: 67.3 M and 67.4 M instructions from its entry)",
            ("Memtest86+ v6.10", "Status: Testing"),
            100_000_000,
            lambda: {"kernel": root() / "boot/memtest86+ia32.bin", "command_line": MEMTEST_LINE},
            packages=("memtest86+",),
        ),
        Guest(
            "linux-6.1",
            "Debian's Linux 6.1 686 kernel (the ELF vmlinux extracted from its bzImage by the fetch"
            " script) with a busybox initramfs, started by refvmm's Linux loader in 64 MiB: the"
            " kernel's banner, the end of its initialisation, /init's marker, and /init's last"
            " line before it powers off (the issue's milestones; under QEMU 140 M instructions"
            " from the entry to the marker; with acpi=off this PC has no power-off device, so"
            " the kernel then halts)",
            (
                "Linux version 6.1.0-57-686",
                "Freeing unused kernel",
                "refvmm: /init is running",
                "refvmm: /init powers off",
            ),
            400_000_000,
            lambda: {
                "kernel": fetch_guests().image_path("linux-6.1-vmlinux"),
                "initrd": fetch_guests().image_path("linux-initramfs"),
                "command_line": LINUX_LINE,
            },
            images=("linux-6.1-vmlinux", "linux-initramfs"),
            memory_mib=64,
        ),
    )
}


def select(names: list[str]) -> list[Guest]:
    """The guests named (all of them if none), or ValueError naming the unknown one."""
    for name in names:
        if name not in GUESTS:
            raise ValueError(f"unknown guest {name!r}: the pinned guests are {', '.join(GUESTS)}")
    return [GUESTS[name] for name in names] if names else list(GUESTS.values())
