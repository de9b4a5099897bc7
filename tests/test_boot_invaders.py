"""grub-invaders (a multiboot kernel from Debian's package) started by refvmm's own
multiboot loader draws its first screen on VGA text: the invaders and the ship.
Needs the guests fetched (python ci/fetch_guests.py)."""

import sys
from pathlib import Path

import pytest

from refvmm.boot import multiboot
from refvmm.engines.interp import Interpreter
from refvmm.pc import PC

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ci"))
from fetch_guests import default_cache  # noqa: E402

KERNEL = default_cache() / "root" / "boot" / "invaders.exec"

pytestmark = [
    pytest.mark.boots,
    pytest.mark.skipif(not KERNEL.is_file(), reason=f"{KERNEL} missing: run python ci/fetch_guests.py"),
]


def test_grub_invaders_draws_its_first_screen():
    pc = PC(ram_size=16 << 20)
    multiboot.load(pc.machine, KERNEL.read_bytes())
    engine = Interpreter()
    for _ in range(40):  # look at the screen every 100,000 instructions
        engine.run(pc.machine, 100_000)
        screen = pc.vga.text()
        if screen.count("-*-") == 40 and "/ \\" in screen:
            break
    assert screen.count("-*-") == 40, screen  # five rows of eight invaders
    assert "/ \\" in screen  # the ship
    assert pc.machine.retired <= 4_000_000


def test_a_file_without_a_multiboot_header_is_refused():
    with pytest.raises(multiboot.MultibootError, match="no multiboot header"):
        multiboot.load(PC(ram_size=4 << 20).machine, b"\\x7fELF" + bytes(9000))
