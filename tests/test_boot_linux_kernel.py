"""Debian's Linux 6.1 686 kernel: the ELF vmlinux the fetch script extracts from the
packaged bzImage, with the busybox initramfs it builds, started by refvmm's Linux loader
with the reduced command line of conformance/boots/catalogue.py. The milestones are the
issue's, measured under QEMU (the banner; "Freeing unused kernel"; /init's marker; the
line /init prints before it powers off), not this VMM's output.

The kernel cannot get past its FPU check yet: the VMM has no x87, and the kernel, built
without math emulation, gives up ("x86/fpu: Giving up, no FPU found"). Until the CPU
model reports an FPU (CPUID), the first test holds that current state to its reviewed
record (the banner, then the FPU check); once it does, the first is skipped and the second
boots to the power-off, held to its own record (fixtures/boots/linux-6.1.json, written
after review with REFVMM_UPDATE_BOOT_RECORDS=1)."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

from conformance.boots.catalogue import GUESTS, X87

pytestmark = [pytest.mark.boots, pytest.mark.slow]


@pytest.mark.skipif(X87, reason="the CPU has an x87 FPU now")
@ON_EACH_ENGINE
def test_linux_prints_its_banner_and_stops_at_its_fpu_check_until_the_x87_lands(engine):
    log = boot("linux-6.1", engine)
    record("linux-6.1-without-x87", log)
    assert log.reason == "milestone", f"{log.summary()}: {log.serial[-500:]!r}"
    assert list(log.milestones) == ["Linux version 6.1.0-57-686", "x86/fpu: Giving up, no FPU found"]
    assert "random: crng init done" in log.serial  # credited the loader's SETUP_RNG_SEED
    assert "BIOS-e820: [mem 0x0000000000100000-0x0000000003ffffff] usable" in log.serial  # the e820 map
    assert "Kernel command line: earlyprintk=serial" in log.serial


@pytest.mark.skipif(not X87, reason="needs the x87 FPU: the kernel gives up at its FPU check")
@ON_EACH_ENGINE
def test_linux_boots_to_its_initramfs_and_powers_off(engine):
    log = boot("linux-6.1", engine)
    record("linux-6.1", log)
    assert list(log.milestones) == list(GUESTS["linux-6.1"].milestones), (
        f"{log.summary()}: {log.serial[-500:]!r}"
    )
