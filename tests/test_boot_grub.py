"""GRUB legacy from Debian's package, booted by SeaBIOS from a hard-disk image, reaches
its command line. ci/fetch_guests.py builds the image (stage1 in the boot sector,
stage2 from sector 1). Needs the guests fetched first."""

import sys
from pathlib import Path

import pytest

from refvmm.engines.interp import Interpreter
from refvmm.pc import PC

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ci"))
from fetch_guests import default_cache  # noqa: E402

ROOT = default_cache() / "root"
BIOS = ROOT / "usr/share/seabios/bios.bin"

pytestmark = [
    pytest.mark.boots,
    pytest.mark.skipif(
        not (BIOS.is_file() and (default_cache() / "grub-legacy.img").is_file()),
        reason="guests missing: run python ci/fetch_guests.py",
    ),
]


def test_grub_legacy_reaches_its_prompt():
    image = (default_cache() / "grub-legacy.img").read_bytes()  # built by ci/fetch_guests.py
    serial, machine = bytearray(), []

    def watch(data: bytes) -> None:
        serial.extend(data)
        if b"grub>" in serial:
            machine[0].stop_requested = True

    pc = PC(ram_size=16 << 20, serial=watch, disk=image)
    machine.append(pc.machine)
    pc.machine.map_rom(BIOS.read_bytes())
    pc.machine.cpu.power_on()
    reason = Interpreter().run(pc.machine, 20_000_000)
    assert reason == "stopped", f"no prompt: {bytes(serial[-300:])!r}"
    assert b"GNU GRUB" in serial and pc.machine.retired < 9_000_000
