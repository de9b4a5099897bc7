"""The PC platform end to end on each engine: a real-mode guest programs the PIC and
the PIT, halts with interrupts on, and counts timer interrupts; virtual time makes the
result identical on every run."""

import pytest

from conformance.assemble import assemble
from refvmm.engines import ENGINES
from refvmm.pc import PC

GUEST = """
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7000
    mov word ptr [0x20], irq0
    mov word ptr [0x22], 0
    mov al, 0x11
    out 0x20, al
    mov al, 0x08
    out 0x21, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x01
    out 0x21, al
    mov al, 0xfe
    out 0x21, al
    mov al, 0x34
    out 0x43, al
    mov al, 0x9c
    out 0x40, al
    mov al, 0x2e
    out 0x40, al
    xor cx, cx
    sti
wait:
    hlt
    cmp cx, 5
    jb wait
    cli
    mov al, 0x44
    out 0xe9, al
    mov dx, 0x3f8
    mov al, 0x4f
    out dx, al
    mov al, 0x4b
    out dx, al
    hlt
irq0:
    inc cx
    mov al, 0x20
    out 0x20, al
    iret
"""


def run_guest(engine="interp"):
    serial, debug = bytearray(), bytearray()
    pc = PC(serial=serial.extend, debug=debug.extend)
    code = assemble(GUEST, 16, 0x7C00).code
    pc.machine.load([(0x7C00, code)])
    pc.machine.cpu.reset(0, 0x7C00)
    reason = ENGINES[engine]().run(pc.machine, 100_000)
    return reason, pc, bytes(serial), bytes(debug)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_timer_interrupts_wake_hlt_through_the_pic(engine):
    reason, pc, serial, debug = run_guest(engine)
    assert reason == "halt"
    assert pc.machine.cpu.gpr[1] & 0xFFFF == 5  # five IRQ 0s handled
    assert debug == b"D" and serial == b"OK"
    # The mode 2 control word raises OUT0 (a first IRQ 0 at once, the counter having been
    # idle with OUT low), then one every 0x2E9C = 11932 ticks of 1.193182 MHz = 10 ms:
    # the fifth comes at 40 ms of virtual time.
    assert 4 * 10_000_000 <= pc.machine.now_instructions() * 10 < 5 * 10_000_000


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_virtual_time_makes_the_run_repeatable(engine):
    first, second = run_guest(engine), run_guest(engine)
    assert first[1].machine.retired == second[1].machine.retired
    assert first[1].machine.now_instructions() == second[1].machine.now_instructions()


def test_a_device_write_to_memory_drops_cached_code_there():
    pc = PC(ram_size=1 << 20)
    dropped = []
    pc.machine.watch_code_page(0x7, dropped.append)
    pc.machine.watch_code_page(0x9, dropped.append)
    pc.machine.bus_master_write(0x7FF0, 0x20)  # spans pages 7 and 8
    assert dropped == [0x7]
