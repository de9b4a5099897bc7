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
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import fetch_guests  # noqa: E402

from refvmm.boot.session import Boot  # noqa: E402

ROOT = fetch_guests.default_cache() / "root"
BIOS = ROOT / "usr/share/seabios/bios.bin"


def _boot_sector() -> bytes:
    """A disk whose boot sector prints through INT 10h (as tests/test_boot_seabios.py)."""
    from conformance.assemble import assemble

    code = assemble(
        "    xor ax, ax\n    mov ds, ax\n    mov si, message\nnext:\n    lodsb\n    test al, al\n"
        "    jz idle\n    mov ah, 0x0e\n    mov bx, 7\n    int 0x10\n    jmp next\n"
        "idle:\n    sti\n    hlt\n    jmp idle\nmessage:\n    .byte "
        + ", ".join(str(b) for b in b"Hi from the disk\0")
        + "\n",
        16,
        0x7C00,
    ).code
    disk = bytearray(512 * 64)
    disk[: len(code)] = code
    disk[510:512] = b"\x55\xaa"
    return bytes(disk)


# name -> (keyword arguments of Boot, milestone, budget)
GUESTS = {
    "seabios-boot-sector": (lambda: {"bios": BIOS, "disk": _boot_sector()}, "Hi from the disk", 20_000_000),
    "grub-legacy": (
        lambda: {"bios": BIOS, "disk": fetch_guests.image_path("grub-legacy")},
        "grub>",
        20_000_000,
    ),
    "syslinux-hd": (
        lambda: {"bios": BIOS, "disk": fetch_guests.image_path("syslinux-hd")},
        "boot:",
        40_000_000,
    ),
    "syslinux-floppy": (
        lambda: {"bios": BIOS, "floppy": fetch_guests.image_path("syslinux-floppy")},
        "boot:",
        40_000_000,
    ),
}


def boot(name: str, engine: str) -> tuple[float, int]:
    make, milestone, budget = GUESTS[name]
    kwargs = make()
    with tempfile.TemporaryDirectory() as work:
        for key in ("disk", "floppy"):  # the guest writes its disk: boot a copy
            if isinstance(kwargs.get(key), Path):
                copy = Path(work) / kwargs[key].name
                copy.write_bytes(kwargs[key].read_bytes())
                kwargs[key] = copy
        log = Boot(**kwargs, engine=engine).run(milestone, budget)
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
    problems = fetch_guests.ensure(
        [n for n in args.names or GUESTS if n != "seabios-boot-sector"], ["seabios"]
    )
    if problems:
        raise SystemExit(f"boots.py: {problems[0]}")
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
