"""SeaBIOS from Debian's package boots on the interpreter, finds the IDE disk, and jumps
to its boot sector at 0x7C00; the boot sector prints through INT 10h, which SeaBIOS
mirrors to COM1 (fw_cfg etc/sercon-port). Its own log goes to port 0x402. Measured under
QEMU: about 6.1 M instructions from reset to the jump to the boot sector."""

import pytest
from guests import BIOS, ON_EACH_ENGINE, need, record

from conformance.assemble import assemble
from refvmm.boot.session import Boot

pytestmark = [pytest.mark.boots, pytest.mark.slow]


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


@ON_EACH_ENGINE
def test_seabios_runs_the_boot_sector_of_the_ide_disk(engine):
    need(packages=("seabios",))
    code = assemble(BOOT_SECTOR, 16, 0x7C00).code
    disk = bytearray(512 * 64)
    disk[: len(code)] = code
    disk[510:512] = b"\x55\xaa"
    log = Boot(bios=BIOS, disk=bytes(disk), engine=engine).run("Hi from the disk", 20_000_000)
    record("seabios-boot-sector", log)
    assert log.reason == "milestone", f"{log.summary()}: {log.serial[-300:]!r}"
    assert "SeaBIOS (version 1.16.2" in log.serial and "Booting from Hard Disk" in log.serial
    assert "Searching bootorder" in log.debug and "ata0-0: REFVMM HARDDISK" in log.debug
    assert log.instructions < 8_000_000
