"""A timer interrupt that arrives while guest user code runs, on the PC's PIT and PIC.

On de+bt the user loop runs directly on the backend, which runs exactly the
instructions left before the next device event: the interrupt must come at the same
instruction, with the same frame, as on the interpreter (virtual time), and the
kernel's handler (on the translator) must see a user-mode frame (SDM vol. 3A 6.12.1:
an interrupt from CPL 3 through a DPL 0 interrupt gate switches to the TSS's ring-0
stack and pushes SS, ESP, EFLAGS, CS and EIP of the interrupted code)."""

import pytest

from conformance.format import parse_text
from conformance.runtime import build_image
from refvmm.engines import make_engine
from refvmm.engines.de import DirectExecution
from refvmm.pc import PC

WHY = DirectExecution.unavailable()

# the kernel (the test's body, at CPL 0 on the runtime's pm32-paged set-up) points
# vector 0x20 at its handler, puts IRQ 0 of the PIC there, starts the PIT at 2 kHz
# (mode 2, count 597), and goes to CPL 3 with IF set. The handler keeps the first
# frame and counts; at the fourth tick it stops the machine (CLI, HLT). CR0.NE is set,
# as a kernel does: with it clear, x87 errors would go to FERR# and IRQ 13, which
# de+bt leaves to the translator.
GUEST = """; mode: pm32-paged
    mov eax, cr0
    or eax, 0x20
    mov cr0, eax
    mov eax, handler
    mov word ptr [0x800 + 0x20 * 8], ax
    mov word ptr [0x800 + 0x20 * 8 + 2], 0x08
    mov word ptr [0x800 + 0x20 * 8 + 4], 0x8e00
    shr eax, 16
    mov word ptr [0x800 + 0x20 * 8 + 6], ax
    mov al, 0x11
    out 0x20, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x01
    out 0x21, al
    mov al, 0xfe
    out 0x21, al
    mov al, 0x34
    out 0x43, al
    mov al, 0x55
    out 0x40, al
    mov al, 0x02
    out 0x40, al
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
user:
    inc dword ptr [0x18000]
    add ecx, 3
    jmp user
handler:
    push eax
    mov eax, [0x18010]
    test eax, eax
    jnz counted
    mov eax, [esp + 4]
    mov [0x18014], eax
    mov eax, [esp + 8]
    mov [0x18018], eax
    mov eax, [esp + 12]
    mov [0x1801c], eax
    mov eax, [esp + 20]
    mov [0x18020], eax
counted:
    inc dword ptr [0x18010]
    mov al, 0x20
    out 0x20, al
    cmp dword ptr [0x18010], 4
    jb back
    cli
    hlt
back:
    pop eax
    iretd
"""


def run(engine_name: str):
    image = build_image(parse_text(GUEST, "timer.asm", "timer.asm"))
    pc = PC(ram_size=image.ram_size)
    pc.machine.load(image.chunks)
    pc.machine.cpu.reset(0, image.entry)
    engine = make_engine(engine_name)
    reason = engine.run(pc.machine, 5_000_000)
    m = pc.machine

    def dword(addr):
        return m.phys_read(addr, 4)

    frame = [dword(0x18014 + 4 * i) for i in range(4)]  # EIP, CS, EFLAGS, SS
    return reason, m, engine, frame, dword(0x18010), dword(0x18000)


def test_the_timer_interrupts_user_code_on_every_engine():
    for name in ("interp", "bt"):
        reason, _m, _engine, (eip, cs, eflags, ss), ticks, loops = run(name)
        assert reason == "halt" and ticks == 4
        assert cs == 0x1B and ss == 0x23  # the frame is the user code's
        assert eflags & 0x200 and eflags >> 12 & 3 == 0  # IF set, IOPL 0, as IRETD gave
        assert loops > 100  # the user loop ran between the ticks
        assert 0x10000 <= eip < 0x11000  # in the test window, at an instruction of the loop


@pytest.mark.skipif(WHY is not None, reason=str(WHY))
def test_de_takes_the_timer_interrupt_at_the_same_instruction_as_the_interpreter():
    interp, de = run("interp"), run("de+bt")
    _reason, m_interp, _, frame_interp, ticks_interp, loops_interp = interp
    reason, m_de, engine, frame_de, ticks_de, loops_de = de
    assert reason == "halt" and ticks_de == ticks_interp == 4
    assert frame_de == frame_interp and loops_de == loops_interp
    assert m_de.retired == m_interp.retired and m_de.cpu.gpr[1] == m_interp.cpu.gpr[1]
    # the loop ran directly, and the handler on the translator
    assert engine.stats["de instructions"] > 1000 and engine.stats["bt instructions"] > 0
