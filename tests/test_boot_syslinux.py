"""SYSLINUX 6.04 from Debian's packages, installed by ci/fetch_guests.py with the fetched
mtools, booted by SeaBIOS: from a partitioned hard disk (SYSLINUX's MBR, a FAT16
partition) and from a 1.44 MB floppy. Its configuration says SERIAL 0 115200, so the
banner and the boot: prompt come out on COM1. Measured under QEMU: about 21 M instructions
from reset to the banner."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

pytestmark = [pytest.mark.boots, pytest.mark.slow]

BANNER = "SYSLINUX 6.04 20210613 Copyright (C) 1994-2015 H. Peter Anvin et al"


@pytest.mark.parametrize("name, device", [("syslinux-hd", "Hard Disk"), ("syslinux-floppy", "Floppy")])
@ON_EACH_ENGINE
def test_syslinux_reaches_its_prompt(name, device, engine):
    log = boot(name, engine)
    record(name, log)
    assert log.reason == "milestone", f"{log.summary()}: {log.serial[-300:]!r}"
    assert f"Booting from {device}" in log.serial and BANNER in log.serial
    assert "refvmm: SYSLINUX read its configuration" in log.serial  # its SAY line
    assert log.instructions < 30_000_000
