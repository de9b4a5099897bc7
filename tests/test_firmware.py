"""A BIOS image is mapped at the top of 4 GiB and below 1 MiB; RESET starts at 0xFFFFFFF0."""

import pytest

from conformance.assemble import assemble
from refvmm.devices.base import PortBus
from refvmm.devices.misc import DebugPorts
from refvmm.engines.interp import Interpreter
from refvmm.machine import Machine


def test_reset_vector_runs_the_bios_from_its_alias_below_4gib():
    rom = bytearray(b"\xff" * 0x10000)
    # F000:E05B, the traditional POST entry: write 'P' to the debug port and halt
    post = assemble("mov al, 0x50\nout 0xe9, al\nhlt", 16, 0xE05B).code
    rom[0xE05B : 0xE05B + len(post)] = post
    rom[0xFFF0:0xFFF5] = bytes.fromhex("ea5be000f0")  # jmp far f000:e05b at the reset vector
    output = bytearray()
    bus = PortBus()
    bus.attach(DebugPorts(output.extend))
    m = Machine(1 << 20, bus)
    m.map_rom(bytes(rom))
    m.cpu.power_on()
    assert Interpreter().run(m, 100) == "halt"
    assert output == b"P"
    assert m.cpu.seg[1].base == 0xF0000  # the far jump reloaded CS the real-mode way


def test_bad_bios_sizes_are_refused():
    with pytest.raises(ValueError, match="64, 128, 192 or 256 KiB"):
        Machine(1 << 20).map_rom(b"\x00" * 1000)
