"""SeaBIOS from Debian's package boots on the interpreter to its boot-device search.

Needs the guest fetched first (python ci/fetch_guests.py, or tox -e boots); skipped
otherwise, with that reason. Milestone measured under QEMU: about 6.1 M instructions
from reset to the jump to the boot sector."""

import os
import sys
from pathlib import Path

import pytest

from conformance.assemble import assemble
from refvmm.engines.interp import Interpreter
from refvmm.pc import PC

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ci"))
from fetch_guests import default_cache  # noqa: E402

BIOS = default_cache() / "root" / "usr" / "share" / "seabios" / "bios.bin"
MILESTONE = b"Booting from Hard Disk"

pytestmark = [
    pytest.mark.boots,
    pytest.mark.skipif(not BIOS.is_file(), reason=f"{BIOS} missing: run python ci/fetch_guests.py"),
]


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


def boot(max_instructions: int = 12_000_000, milestone: bytes = MILESTONE, disk: bytes | None = None):
    serial = bytearray()
    machine = []

    def watch(data: bytes) -> None:  # COM1 output; stop at the milestone
        serial.extend(data)
        if milestone in serial:
            machine[0].stop_requested = True

    pc = PC(ram_size=16 << 20, serial=watch, disk=disk)
    machine.append(pc.machine)
    pc.machine.map_rom(BIOS.read_bytes())
    pc.machine.cpu.power_on()
    reason = Interpreter().run(pc.machine, max_instructions)
    return reason, pc.machine.retired, bytes(serial)


def test_seabios_reaches_the_boot_device_search_with_the_same_transcript_twice():
    first = boot()
    assert first[0] == "stopped", f"no milestone: {first[2][-200:]!r}"
    assert b"SeaBIOS (version 1.16.2" in first[2] and MILESTONE in first[2]
    assert first[1] < 8_000_000
    if os.environ.get("REFVMM_BOOT_TWICE", "1") == "1":
        assert boot() == first  # virtual time: the same instructions and the same serial text


def test_seabios_boots_a_boot_sector_from_the_ide_disk():
    code = assemble(BOOT_SECTOR, 16, 0x7C00).code
    image = bytearray(512 * 64)
    image[: len(code)] = code
    image[510:512] = b"\x55\xaa"
    reason, retired, serial = boot(20_000_000, b"Hi from the disk", bytes(image))
    assert reason == "stopped", f"no message from the boot sector: {serial[-200:]!r}"
    assert b"Booting from Hard Disk" in serial and retired < 8_000_000
