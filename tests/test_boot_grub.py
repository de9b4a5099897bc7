"""GRUB legacy from Debian's package, booted by SeaBIOS from a hard-disk image (stage1 in
the boot sector, stage2 from sector 1; built by ci/fetch_guests.py), reaches its command
line, and the whole boot log comes out the same twice. Measured under QEMU: about 7.2 M
instructions from reset. The milestones (conformance/boots/catalogue.py) are SeaBIOS's and
GRUB's own banners and prompt."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

from conformance.boots.catalogue import GUESTS

pytestmark = [pytest.mark.boots, pytest.mark.slow]


@ON_EACH_ENGINE
def test_grub_legacy_reaches_its_prompt_with_the_same_transcript_twice(engine):
    first = boot("grub-legacy", engine)
    record("grub-legacy", first)
    assert first.reason == "milestone", f"{first.summary()}: {first.serial[-300:]!r}"
    assert "SeaBIOS (version 1.16.2" in first.serial and "GNU GRUB  version 0.97" in first.serial
    assert "Booting from Hard Disk" in first.serial
    assert "ata0-0: REFVMM HARDDISK" in first.debug  # SeaBIOS's log on port 0x402
    assert list(first.milestones) == list(GUESTS["grub-legacy"].milestones)  # all, in order
    assert first.instructions < 9_000_000
    second = boot("grub-legacy", engine)
    assert second.transcript() == first.transcript()  # virtual time: same count, same text
    assert second.milestones == first.milestones
