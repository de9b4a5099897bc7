"""The execution core: checkpoints and rollback, replay after a fault, exact counts on
every engine configuration."""

from __future__ import annotations

import pytest

from conformance.format import parse_text
from conformance.ports import PortBus
from conformance.runtime import build_image
from refvmm.cpu.state import CR0_PG
from refvmm.engines import make_engine
from refvmm.engines.core import EngineStop, Stop
from refvmm.machine import Machine

CONFIGS = ("interp", "bt", "bt:noopt", "bt:block=1", "bt:block=3")


def _run(text: str, config: str) -> tuple[Machine, str]:
    image = build_image(parse_text(text, "t.asm", "t.asm"))
    m = Machine(image.ram_size, PortBus(image.port_in))
    m.load(image.chunks)
    m.cpu.reset(0, image.entry)
    try:
        reason = make_engine(config).run(m, image.budget)
    except EngineStop as stop:
        reason = stop.reason
    return m, reason


def test_rollback_restores_registers_flags_segments_and_memory():
    m = Machine(1 << 16)
    m.ram[0x100:0x104] = b"\x01\x02\x03\x04"
    m.cpu.gpr[0] = 7
    m.checkpoint()
    m.cpu.gpr[0] = 9
    m.cpu.eflags = 0x8D7
    m.cpu.seg[3] = m.cpu.seg[3].real_mode_load(0x1234)
    m.write(0x102, 4, 0xAABBCCDD)
    m.write(0x100, 1, 0xEE)
    m.rollback()
    assert m.cpu.gpr[0] == 7 and m.cpu.eflags == 0x2 and m.cpu.seg[3].selector == 0
    assert bytes(m.ram[0x100:0x108]) == b"\x01\x02\x03\x04\x00\x00\x00\x00"


def test_rollback_keeps_accessed_and_dirty_bits_of_the_page_walk():
    # SDM vol. 3A 4.8: the walk sets A (and D for a write) whatever happens to the access
    m = Machine(1 << 20)
    m.phys_write(0x1000, 4, 0x2003)  # PDE 0 -> table at 0x2000, present, writable
    m.phys_write(0x2000 + 4 * 5, 4, 0x5003)  # page 5 -> frame 5
    m.cpu.cr[3], m.cpu.cr[0] = 0x1000, m.cpu.cr[0] | CR0_PG | 1
    m.checkpoint()
    m.write(0x5010, 4, 0x1234)
    m.rollback()
    assert m.phys_read(0x5010, 4) == 0
    assert m.phys_read(0x2014, 4) & 0x60 == 0x60 and m.phys_read(0x1000, 4) & 0x20


def test_restored_code_is_translated_again():
    # a rolled-back write into cached code drops the translation made from the new bytes
    m = Machine(1 << 16)
    seen = []
    m.checkpoint()
    m.watch_code_page(0, seen.append)
    m.write(0x10, 1, 0x90)
    m.watch_code_page(0, seen.append)
    m.rollback()
    assert seen == [0, 0]


TRIPLE = "; mode: pm32-paged\n    nop\n    nop\n    nop\n    mov esp, 0x800000\n    ud2\n"


def test_every_configuration_retires_the_same_instructions_before_a_triple_fault():
    # ud2 faults, its #UD frame cannot be pushed (#PF), nor the #DF frame: shutdown
    counts = {}
    for config in CONFIGS:
        m, reason = _run(TRIPLE, config)
        assert reason == Stop.TRIPLE_FAULT, config
        counts[config] = m.retired
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("config", CONFIGS)
def test_a_fault_in_a_block_leaves_the_earlier_instructions_done_and_its_own_undone(config):
    # the stores before the faulting POPAD stand; POPAD loads nothing (#SS at the limit)
    text = (
        "; mode: pm32\n; on-exception: resume\n; gdt: 10=0x0041930000008010\n"
        "    mov dword ptr [0x18100], 5\n    add dword ptr [0x18100], 2\n    mov edi, 7\n"
        "    mov ax, 0x50\n    mov ss, ax\n    mov esp, 0x18000\n    popad\n"
    )
    m, reason = _run(text, config)
    assert reason == Stop.STOPPED
    assert m.phys_read(0x18100, 4) == 7 and m.cpu.gpr[7] == 7


def test_run_until_stops_at_the_budget_the_condition_or_a_stop_request():
    from refvmm.engines.core import run_until
    from refvmm.engines.interp import Interpreter

    def spinning() -> Machine:
        m = Machine(1 << 16)
        m.ram[0x100:0x102] = b"\xeb\xfe"  # jmp $
        m.cpu.reset(0, 0x100)
        return m

    m = spinning()
    assert run_until(Interpreter(), m, 50_000, every=7_000) == (
        Stop.BUDGET,
        "no exit after 50,000 instructions",
    )
    assert m.retired == 50_000
    m = spinning()
    assert run_until(Interpreter(), m, 10**9, until=lambda: m.retired >= 3000, every=1000)[0] == Stop.UNTIL
    assert m.retired == 3000
    m = spinning()
    m.request_stop()  # what a deadline or a device does from outside
    assert run_until(Interpreter(), m, 10**9, every=1000) == (Stop.STOPPED, "")


def test_a_write_beside_watched_code_leaves_it_watched():
    # the watch covers the bytes code was made from: data on the same page can be written
    m = Machine(1 << 16)
    seen = []
    m.watch_code_page(1, seen.append, 0x100, 8)
    m.write(0x10FF, 1, 0x90)
    m.write(0x1108, 4, 0x90)
    m.bus_master_write(0x1000, 0x100)
    assert seen == [] and m.code_writes == 0
    m.write(0x10FF, 2, 0x9090)  # its second byte is the code's first
    assert seen == [1] and m.code_writes == 1
    m.watch_code_page(1, seen.append, 0x100, 8)
    m.bus_master_write(0x0F00, 0x1000)  # a transfer across pages 0 and 1 reaches it too
    assert seen == [1, 1]
