"""grub-invaders (a multiboot kernel from Debian's package) started by refvmm's own
multiboot loader draws its first screen on VGA text: the invaders and the ship. The
quickest real boot, so the default test run includes it (fetching one small package)."""

import pytest
from guests import ON_EACH_ENGINE, boot, record

from refvmm.boot import multiboot
from refvmm.pc import PC

pytestmark = pytest.mark.boots


@ON_EACH_ENGINE
def test_grub_invaders_draws_its_first_screen(engine):
    log = boot("grub-invaders", engine)
    record("grub-invaders", log)
    assert log.reason == "milestone", log.summary()
    assert log.screen.count("-*-") == 40, log.screen  # five rows of eight invaders
    assert "/ \\" in log.screen  # the ship
    assert list(log.milestones) == ["-*-", "/ \\"]
    assert log.instructions <= 4_000_000


def test_a_file_without_a_multiboot_header_is_refused():
    with pytest.raises(multiboot.MultibootError, match="no multiboot header"):
        multiboot.load(PC(ram_size=4 << 20).machine, b"\\x7fELF" + bytes(9000))
