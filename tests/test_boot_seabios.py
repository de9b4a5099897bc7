"""SeaBIOS from Debian's package boots on the interpreter, finds the IDE disk, and jumps
to its boot sector at 0x7C00; the boot sector (conformance/boots/catalogue.py) prints
through INT 10h, which SeaBIOS mirrors to COM1 (fw_cfg etc/sercon-port). Its own log goes
to port 0x402. Measured under QEMU: about 6.1 M instructions from reset to the jump to the
boot sector."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

pytestmark = [pytest.mark.boots, pytest.mark.slow]


@ON_EACH_ENGINE
def test_seabios_runs_the_boot_sector_of_the_ide_disk(engine):
    log = boot("seabios-boot-sector", engine)
    record("seabios-boot-sector", log)
    assert log.reason == "milestone", f"{log.summary()}: {log.serial[-300:]!r}"
    assert "SeaBIOS (version 1.16.2" in log.serial and "Booting from Hard Disk" in log.serial
    assert "Searching bootorder" in log.debug and "ata0-0: REFVMM HARDDISK" in log.debug
    assert log.instructions < 8_000_000
