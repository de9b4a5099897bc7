"""Debian's Linux 6.1 686 kernel: the ELF vmlinux the fetch script extracts from the
packaged bzImage, with the busybox initramfs it builds, started by refvmm's Linux loader
with the reduced command line of conformance/boots/catalogue.py. The milestones are the
issue's, measured under QEMU (the banner; "Freeing unused kernel"; /init's marker; the
line /init prints before it powers off), not this VMM's output.

It boots to its initramfs, runs /init and halts (with acpi=off this PC has no power-off
device), held to its reviewed record, fixtures/boots/linux-6.1.json (written after review
with REFVMM_UPDATE_BOOT_RECORDS=1). Slow: about 235 M instructions."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

from conformance.boots.catalogue import GUESTS

pytestmark = [pytest.mark.boots, pytest.mark.slow]


@ON_EACH_ENGINE
def test_linux_boots_to_its_initramfs_and_powers_off(engine):
    log = boot("linux-6.1", engine)
    record("linux-6.1", log)
    assert list(log.milestones) == list(GUESTS["linux-6.1"].milestones), (
        f"{log.summary()}: {log.serial[-500:]!r}"
    )
