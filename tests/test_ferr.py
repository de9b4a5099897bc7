"""FERR# on the PC: an unmasked x87 exception with CR0.NE clear, reported as the AT did
(SDM vol. 1 D.2.1, MS-DOS compatibility). The waiting instruction that finds the
exception pending does not start: FERR# is latched as IRQ 13, whose handler returns to
that instruction; the handler's write to port 0xF0 clears the latch and asserts
IGNNE#, with which waiting instructions go on until the exception is cleared. Every
expectation below is worked out from those rules, on each engine."""

import pytest

from conformance.assemble import assemble
from refvmm.engines import ENGINES
from refvmm.pc import PC

# real mode (CR0.NE is clear after reset); the PICs at 0x08 and 0x70 as a BIOS sets
# them, only IRQ 13 (and the cascade) unmasked. The handler records its return IP and
# the status word at 0x510 and 0x520 (a word per IRQ 13), writes port 0xF0, and clears
# the exception unless SI is 1.
SETUP = """
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7000
    mov word ptr [0x75 * 4], irq13
    mov word ptr [0x75 * 4 + 2], 0
    mov al, 0x11
    out 0x20, al
    out 0xa0, al
    mov al, 0x08
    out 0x21, al
    mov al, 0x70
    out 0xa1, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x02
    out 0xa1, al
    mov al, 0x01
    out 0x21, al
    out 0xa1, al
    mov al, 0xfb
    out 0x21, al
    mov al, 0xdf
    out 0xa1, al
    xor cx, cx
    xor si, si
    fninit
    mov word ptr [0x600], 0x37b
    fldcw word ptr [0x600]
"""
HANDLER = """
irq13:
    push bx
    push di
    mov bx, sp
    mov ax, [bx + 4]
    mov di, cx
    shl di, 1
    mov [di + 0x510], ax
    fnstsw word ptr [di + 0x520]
    inc cx
    out 0xf0, al
    cmp si, 1
    je keep
    fnclex
keep:
    mov al, 0x20
    out 0xa0, al
    out 0x20, al
    pop di
    pop bx
    iret
"""
# 1/0 with ZE unmasked: ES, ZE and B pending, ST(1) unwritten
DIVIDE = """
    fld1
    fldz
    fdiv st(1), st(0)
"""


def run(body: str, engine: str):
    pc = PC()
    program = assemble(SETUP + body + "    cli\n    hlt\n" + HANDLER, 16, 0x7C00)
    pc.machine.load([(0x7C00, program.code)])
    pc.machine.cpu.reset(0, 0x7C00)
    reason = ENGINES[engine]().run(pc.machine, 100_000)
    return reason, pc.machine, program.labels


def words(m, address: int, n: int) -> list[int]:
    return [int.from_bytes(m.ram[address + 2 * i : address + 2 * i + 2], "little") for i in range(n)]


ES_ZE = 0x8084  # B, ES and ZE, TOP 6 (two loads)
TOP6 = 6 << 11


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_irq13_before_the_waiting_instruction_and_again_after_fnclex(engine):
    reason, m, labels = run(
        "    sti\n" + DIVIDE + "first:\n    fwait\n" + DIVIDE + "second:\n    fadd st(0), st(0)\n"
        "    fnstsw ax\n",
        engine,
    )
    assert reason == "halt"
    assert m.cpu.gpr[1] & 0xFFFF == 2  # two IRQ 13s
    # each returns to the waiting instruction that found the exception pending
    assert words(m, 0x510, 2) == [labels["first"], labels["second"]]
    assert words(m, 0x520, 2) == [ES_ZE | TOP6, ES_ZE | 4 << 11]
    # the FADD ran once the handler had cleared the exception: ST(0) = 0 + 0, no flags
    assert m.cpu.gpr[0] & 0xFFFF == 4 << 11


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_ignne_lets_waiting_instructions_go_on_until_the_exception_is_cleared(engine):
    reason, m, labels = run(
        "    mov si, 1\n    sti\n"
        + DIVIDE
        + "first:\n    fwait\n    fld1\n    fnstsw word ptr [0x530]\n    fnclex\n    mov si, 0\n"
        + DIVIDE
        + "second:\n    fwait\n",
        engine,
    )
    assert reason == "halt"
    assert m.cpu.gpr[1] & 0xFFFF == 2
    assert words(m, 0x510, 2) == [labels["first"], labels["second"]]
    # after the first IRQ 13 the exception is still pending, and FLD1 pushed (TOP 5)
    assert words(m, 0x530, 1) == [ES_ZE | 5 << 11]
    # FNCLEX dropped FERR# and IGNNE#: the next exception froze the FWAIT again
    assert words(m, 0x520, 2) == [ES_ZE | TOP6, ES_ZE | 3 << 11]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_with_interrupts_off_the_processor_waits_at_the_instruction(engine):
    reason, m, labels = run(DIVIDE + "first:\n    fwait\n    mov cx, 7\n", engine)
    assert reason == "halt"
    assert m.cpu.eip == labels["first"] and m.cpu.halted
    assert m.cpu.gpr[1] & 0xFFFF == 0  # no IRQ 13 taken, the MOV never ran
    assert m.interrupt_controller.slave.irr & 0x20  # IRQ 13 is raised


def test_a_machine_without_ferr_wiring_goes_on_as_with_ignne():
    """The harness's machines have no chipset: the FWAIT completes, the exception stays
    pending."""
    from refvmm.machine import Machine

    m = Machine(1 << 20)
    program = assemble(
        "fninit\nmov word ptr [0x600], 0x37b\nfldcw word ptr [0x600]\n" + DIVIDE + "fwait\nfnstsw ax\nhlt\n",
        16,
        0x7C00,
    )
    m.load([(0x7C00, program.code)])
    m.cpu.reset(0, 0x7C00)
    assert ENGINES["interp"]().run(m, 1000) == "halt"
    assert m.cpu.gpr[0] & 0xFFFF == ES_ZE | TOP6


@pytest.mark.parametrize("cr0, refused", [(0x11, True), (0x31, False), (0x19, False)])
def test_de_leaves_user_code_with_the_x87_usable_and_ne_clear_to_the_translator(cr0, refused):
    """The backend drives no FERR#: on a PC, user code that could use the x87 with CR0.NE
    clear runs on the translator (with NE, #MF traps to the monitor; with TS, #NM does);
    on a machine without the wiring nothing needs it."""
    from refvmm.cpu.state import CS, EFLAGS_IF, Segment
    from refvmm.engines.de import DirectExecution
    from refvmm.machine import Machine

    def user(m):
        m.cpu.cr[0] = cr0
        m.cpu.seg = [Segment(0x23, 0, 0xFFFFFFFF, 0xF3, True) for _ in range(6)]
        m.cpu.seg[CS] = Segment(0x1B, 0, 0xFFFFFFFF, 0xFB, True)
        m.cpu.eflags = EFLAGS_IF | 2
        return DirectExecution().refusal(m, 3)

    assert user(PC().machine) == ("CR0.NE clear (FERR#)" if refused else None)
    assert user(Machine(1 << 20)) is None
