"""SYSLINUX 6.04 from Debian's packages, installed by ci/fetch_guests.py with the fetched
mtools, booted by SeaBIOS: from a partitioned hard disk (SYSLINUX's MBR, a FAT16
partition) and from a 1.44 MB floppy. Its configuration says SERIAL 0 115200, so the
banner and the boot: prompt come out on COM1. Measured under QEMU: about 21 M instructions
from reset to the banner."""

import pytest
from guests import BIOS, image, need, record

from refvmm.boot.session import Boot

pytestmark = [pytest.mark.boots, pytest.mark.slow]

BANNER = "SYSLINUX 6.04 20210613 Copyright (C) 1994-2015 H. Peter Anvin et al"


def check(log):
    assert log.reason == "milestone", f"{log.summary()}: {log.serial[-300:]!r}"
    assert BANNER in log.serial
    assert "refvmm: SYSLINUX read its configuration" in log.serial  # its SAY line
    assert log.instructions < 30_000_000


def test_syslinux_from_a_hard_disk_reaches_its_prompt():
    need(images=("syslinux-hd",), packages=("seabios",))
    log = Boot(bios=BIOS, disk=image("syslinux-hd")).run("boot:", 40_000_000)
    record("syslinux-hd", log)
    check(log)
    assert "Booting from Hard Disk" in log.serial


def test_syslinux_from_a_floppy_reaches_its_prompt():
    need(images=("syslinux-floppy",), packages=("seabios",))
    log = Boot(bios=BIOS, floppy=image("syslinux-floppy")).run("boot:", 40_000_000)
    record("syslinux-floppy", log)
    check(log)
    assert "Booting from Floppy" in log.serial
