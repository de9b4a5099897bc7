"""memtest86+ 6.10 (Debian's package, memtest86+ia32.bin: a Linux boot-protocol 2.12 image)
started by refvmm's Linux loader with console=ttyS0,115200 nopause. Its milestones come from
QEMU (NOTES on the guests: the banner "Memtest86+ v6.10" at 67.3 M instructions from its
entry, "Status: Testing" at 67.4 M), not from this VMM.

Its startup code runs WAIT; FNINIT before it prints anything (the first test checks the
image has it there) and its timing code computes with the x87. The boot is held to its
reviewed record, fixtures/boots/memtest86+.json."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

from conformance.boots import catalogue

pytestmark = pytest.mark.boots


def test_the_instruction_memtest_stops_at_is_its_fninit():
    guest = catalogue.GUESTS["memtest86+"]
    try:
        guest.prepare()
    except catalogue.GuestUnavailable as exc:
        pytest.skip(f"guest unavailable: {exc}")
    image = (catalogue.root() / "boot/memtest86+ia32.bin").read_bytes()
    start = (image[0x1F1] + 1) * 512  # the protected-mode part, loaded at 1 MiB
    assert image[start + 0x146 : start + 0x149] == b"\x9b\xdb\xe3"  # WAIT; FNINIT at 0x100146


@pytest.mark.slow
@ON_EACH_ENGINE
def test_memtest_reaches_its_banner_and_starts_testing(engine):
    log = boot("memtest86+", engine)
    record("memtest86+", log)
    assert "Memtest86+ v6.10" in log.milestones and "Status: Testing" in log.milestones, log.summary()
    # No count from QEMU is expected here: some 50 M of QEMU's 67 M are memtest timing the CPU
    # against the PIT, and how long that takes depends on the timer's speed per instruction.
    assert log.milestones["Memtest86+ v6.10"] < log.milestones["Status: Testing"]
