"""GRUB legacy from Debian's package, booted by SeaBIOS from a hard-disk image (stage1 in
the boot sector, stage2 from sector 1; built by ci/fetch_guests.py), reaches its command
line, and the whole boot log comes out the same twice. Measured under QEMU: about 7.2 M
instructions from reset."""

import pytest
from guests import BIOS, ON_EACH_ENGINE, image, need, record

from refvmm.boot.session import Boot

pytestmark = [pytest.mark.boots, pytest.mark.slow]


@ON_EACH_ENGINE
def test_grub_legacy_reaches_its_prompt_with_the_same_transcript_twice(engine):
    need(images=("grub-legacy",), packages=("seabios",))
    first = Boot(bios=BIOS, disk=image("grub-legacy"), engine=engine).run("grub>", 20_000_000)
    record("grub-legacy", first)
    assert first.reason == "milestone", f"{first.summary()}: {first.serial[-300:]!r}"
    assert "SeaBIOS (version 1.16.2" in first.serial and "GNU GRUB  version 0.97" in first.serial
    assert "Booting from Hard Disk" in first.serial
    assert "ata0-0: REFVMM HARDDISK" in first.debug  # SeaBIOS's log on port 0x402
    assert first.instructions < 9_000_000
    second = Boot(bios=BIOS, disk=image("grub-legacy"), engine=engine).run("grub>", 20_000_000)
    assert second.transcript() == first.transcript()  # virtual time: same count, same text
