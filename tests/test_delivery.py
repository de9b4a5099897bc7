"""The oracle's interrupt delivery layer, on a fake CPU and on Unicorn."""

import struct

import pytest

from conformance import layout as L
from conformance.format import parse_text
from conformance.oracles.delivery import Delivery, TripleFault
from conformance.oracles.unicorn import UnicornOracle
from conformance.runtime import build_image, tables
from conformance.state import FinalState


class FakeCpu:
    def __init__(self, **regs):
        self.mem = bytearray(1 << 20)
        self.regs = {"cr0": 1, "cr2": 0, "cr3": 0, "cr4": 0, "eflags": 0x202, **regs}
        self.tables = {}
        self.entered = None

    def get(self, reg):
        return self.regs[reg]

    def table(self, name):
        return self.tables[name]

    def read(self, addr, size):
        return bytes(self.mem[addr : addr + size])

    def write(self, addr, data):
        self.mem[addr : addr + len(data)] = data

    def set_cr2(self, value):
        self.regs["cr2"] = value

    def enter(self, cs, eip, eflags, ss, esp, cpl, null_data=False):
        self.entered = dict(cs=cs, eip=eip, eflags=eflags, ss=ss, esp=esp, cpl=cpl)
        self.nulled = null_data

    def dword(self, addr):
        return struct.unpack("<I", self.read(addr, 4))[0]


def protected_cpu(cpl=3):
    cpu = FakeCpu(cs=0x1B if cpl == 3 else 0x08, ss=0x23 if cpl == 3 else 0x10, esp=0x1FFF0, eip=0x10002)
    gdt = tables.gdt_entries()
    for i, d in gdt.items():
        cpu.write(L.GDT + 8 * i, struct.pack("<Q", d))
    cpu.write(L.IDT, tables.idt_bytes(lambda v: 0x2000 + 16 * v))
    cpu.write(L.TSS, tables.tss_bytes(frozenset()))
    cpu.tables = {
        "gdtr": (L.GDT, 0xFF),
        "idtr": (L.IDT, L.IDT_LIMIT),
        "tr": (L.TSS, L.TSS_LIMIT),
        "ldtr": (0, 0),
    }
    cpu.regs["tr_sel"] = L.SEL_TSS
    cpu.regs["tr_type"] = 0xB  # a busy 32-bit TSS
    return cpu


def test_real_mode_pushes_flags_cs_ip_and_vectors_through_the_ivt():
    cpu = FakeCpu(cr0=0, cs=0x1000, ss=0x2000, esp=0x100, eip=0x34, eflags=0x302)
    cpu.write(4 * 0x21, struct.pack("<HH", 0x5678, 0x0123))
    cpu.tables["idtr"] = (0, 0x3FF)
    Delivery(cpu).deliver(0x21, None, software_length=2)
    assert cpu.read(0x20000 + 0xFA, 6) == struct.pack("<HHH", 0x34, 0x1000, 0x302)
    assert cpu.entered == dict(cs=0x0123, eip=0x5678, eflags=0x002, ss=None, esp=0xFA, cpl=0)


def test_user_interrupt_switches_to_the_tss_stack_with_a_full_frame():
    cpu = protected_cpu(cpl=3)
    Delivery(cpu).deliver(0x80, None, software_length=2)
    esp = L.KERNEL_STACK_TOP - 20
    frame = [cpu.dword(esp + 4 * i) for i in range(5)]
    assert frame == [0x10002, 0x1B, 0x202, 0x1FFF0, 0x23]
    assert cpu.entered == dict(cs=0x08, eip=0x2000 + 16 * 0x80, eflags=0x002, ss=0x10, esp=esp, cpl=0)


def test_a_faults_frame_carries_rf_and_no_other_events_does():
    # SDM vol. 3A 17.3.1.1: RF = 1 in the image pushed for a fault-class exception; an
    # interrupt or trap pushes RF as it is, 0 once an instruction has completed (and
    # Unicorn, which never clears it, may still hold the 1 an earlier IRET loaded)
    cases = ((13, 0, True, 0, 0x202, 0x10202), (0x80, None, False, 2, 0x10202, 0x202))
    for vector, error, fault, length, eflags, pushed in cases:
        cpu = protected_cpu(cpl=3)
        cpu.regs["eflags"] = eflags
        Delivery(cpu).deliver(vector, error, software_length=length, fault=fault)
        esp = L.KERNEL_STACK_TOP - (24 if error is not None else 20)
        assert cpu.dword(esp + (12 if error is not None else 8)) == pushed
        assert not cpu.entered["eflags"] & 0x10000  # the handler runs with RF clear


def test_exception_from_v86_pushes_the_data_segments_and_nulls_them():
    # SDM vol. 2 INT n, INTERRUPT-FROM-VIRTUAL-8086-MODE: GS, FS, DS, ES, SS, ESP, EFLAGS,
    # CS, EIP and the error code on the CPL 0 stack of the TSS, worked by hand
    cpu = protected_cpu(cpl=3)
    cpu.regs.update(cs=0x1000, ss=0x2000, esp=0xFFF0, eip=0x34, eflags=0x23202)
    cpu.regs.update(es=0x1801, ds=0x1802, fs=0x1803, gs=0x1804)
    Delivery(cpu).deliver(13, 0, software_length=0)
    esp = L.KERNEL_STACK_TOP - 40
    frame = [cpu.dword(esp + 4 * i) for i in range(10)]
    assert frame == [0, 0x34, 0x1000, 0x23202, 0xFFF0, 0x2000, 0x1801, 0x1802, 0x1803, 0x1804]
    assert cpu.entered == dict(cs=0x08, eip=0x2000 + 16 * 13, eflags=0x3002, ss=0x10, esp=esp, cpl=0)
    assert cpu.nulled


def test_v86_event_to_a_dpl3_handler_is_gp_with_its_selector():
    cpu = protected_cpu(cpl=3)
    cpu.regs.update(cs=0x1000, ss=0x2000, esp=0xFFF0, eip=0x34, eflags=0x23202)
    cpu.regs.update(es=0, ds=0, fs=0, gs=0)
    gate = struct.unpack("<Q", cpu.read(L.IDT + 8 * 0x80, 8))[0]
    gate = (gate & ~(0xFFFF << 16)) | (0x1B << 16)  # to the DPL 3 code segment
    cpu.write(L.IDT + 8 * 0x80, struct.pack("<Q", gate))
    Delivery(cpu).deliver(0x80, None, software_length=2)
    assert cpu.entered["eip"] == 0x2000 + 16 * 13
    assert cpu.dword(L.KERNEL_STACK_TOP - 40) == 0x18  # the error code: the selector, EXT 0


def test_trap_gate_keeps_if_and_error_code_is_pushed():
    cpu = protected_cpu(cpl=0)
    Delivery(cpu).deliver(0x81, None, software_length=2)
    assert cpu.entered["eflags"] & 0x200
    cpu = protected_cpu(cpl=0)
    Delivery(cpu).deliver(13, 0x1234, software_length=0)
    assert cpu.dword(0x1FFF0 - 16) == 0x1234  # error code below EIP, CS, EFLAGS
    assert cpu.entered["eflags"] & 0x200 == 0


def test_software_interrupt_through_a_dpl0_gate_from_cpl3_is_gp_with_idt_error_code():
    cpu = protected_cpu(cpl=3)
    Delivery(cpu).deliver(0x40, None, software_length=2)
    assert cpu.entered["eip"] == 0x2000 + 16 * 13
    assert cpu.dword(L.KERNEL_STACK_TOP - 24) == 0x40 * 8 + 2
    assert cpu.dword(L.KERNEL_STACK_TOP - 20) == 0x10000  # the fault is at the INT, not after it


def test_not_present_gate_is_np_and_idt_limit_is_gp():
    cpu = protected_cpu(cpl=0)
    gate = cpu.dword(L.IDT + 8 * 0x30 + 4)
    cpu.write(L.IDT + 8 * 0x30 + 4, struct.pack("<I", gate & ~0x8000))
    Delivery(cpu).deliver(0x30, None, software_length=0)
    assert cpu.entered["eip"] == 0x2000 + 16 * 11
    assert cpu.dword(0x1FFF0 - 16) == 0x30 * 8 + 2 + 1  # IDT bit and EXT
    cpu = protected_cpu(cpl=0)
    cpu.tables["idtr"] = (L.IDT, 8 * 0x20 - 1)
    Delivery(cpu).deliver(0x20, None, software_length=2)
    assert cpu.entered["eip"] == 0x2000 + 16 * 13


def test_contributory_fault_during_delivery_escalates_to_double_then_triple_fault():
    cpu = protected_cpu(cpl=0)
    for v in (13, 11, 8):  # #GP's, #NP's and #DF's gates not present
        gate = cpu.dword(L.IDT + 8 * v + 4)
        cpu.write(L.IDT + 8 * v + 4, struct.pack("<I", gate & ~0x8000))
    with pytest.raises(TripleFault):
        Delivery(cpu).deliver(13, 0, software_length=0)


def run_unicorn(text):
    return UnicornOracle().run(build_image(parse_text(text, "t.asm", "t.asm")))


def test_unicorn_user_int80_logs_the_user_frame_and_returns():
    state = run_unicorn("; mode: user32\n; on-exception: resume\n    int 0x80\nafter:\n    mov ebx, 1\n")
    assert state.exit == "end"
    assert [(e.vector, e.error, e.eip, e.cs) for e in state.exceptions] == [(0x80, None, 0x10002, 0x1B)]
    assert state.regs["ebx"] == 1 and state.regs["cs"] == 0x1B


def test_unicorn_error_code_of_an_exception_unicorn_raised_is_the_architectural_one():
    # GDT slot 10 is empty, so not a data segment: MOV DS raises #GP(selector), the
    # selector with its RPL bits dropped (SDM vol. 2 MOV; vol. 3A 6.13 error code format)
    state = run_unicorn("; mode: pm32\n    mov ax, 0x57\n    mov ds, ax\n")
    assert state.exit == "exception"
    assert [(e.vector, e.error) for e in state.exceptions] == [(13, 0x54)]


# The frame of a fault at CPL 0 on the pm32 stack (ESP 0x1FFF0): EFLAGS, CS, EIP, then the
# error code at 0x1FFE0 (SDM vol. 3A figure 6-4, no privilege change).
FRAME = "; mode: pm32\n; compare: 0x1ffe0 16\n; regs: eax=0x57\n    mov ds, ax\n"


def test_unicorn_error_code_is_pushed_on_the_guest_stack_not_a_placeholder():
    state = run_unicorn(FRAME)
    assert state.memory[0x1FFE0][:4] == (0x54).to_bytes(4, "little")
    assert state.unknown_memory == []


def test_unicorn_error_code_it_cannot_read_is_unknown_and_its_stack_slot_not_compared(monkeypatch):
    from conformance.compare import diff_states
    from conformance.oracles import unicorn as U

    monkeypatch.setattr(U, "_error_code_offset", lambda: None)  # as on a Unicorn build it cannot calibrate
    state = run_unicorn(FRAME)
    assert [(e.vector, e.error) for e in state.exceptions] == [(13, "unknown")]
    assert state.memory[0x1FFE0][:4] == L.UNKNOWN_ERROR_CODE.to_bytes(4, "little")
    assert state.unknown_memory == [(0x1FFE0 + i, 1) for i in range(4)]
    frame = state.memory[0x1FFE0]
    vmm = FinalState(engine="vmm", exit=state.exit, regs=state.regs, exceptions=state.exceptions)
    vmm.memory = {0x1FFE0: (0x54).to_bytes(4, "little") + frame[4:]}
    assert diff_states(state, vmm, 0) == []  # the slot the oracle could not know is not compared
    vmm.memory = {0x1FFE0: (0x54).to_bytes(4, "little") + bytes([frame[4] ^ 1]) + frame[5:]}
    assert [d.field for d in diff_states(state, vmm, 0)] == ["mem[0x1ffe4]"]  # the rest is


def test_unicorn_flags_at_a_fault_after_a_flag_setting_instruction_are_the_instructions_own():
    # ADD AL, 0xD1 with AL = 0x40: 0x111, so AL = 0x11 with CF = 1, PF = 1 (two bits set),
    # AF = 0 (0 + 1 in the low nibble), ZF = SF = OF = 0 (SDM vol. 2 ADD). The MOV DS that
    # then faults leaves EFLAGS alone, so the frame holds 0x7 and IRET restores it.
    state = run_unicorn(
        "; mode: pm32\n; on-exception: resume\n; regs: eax=0x40 ebx=0x123b\n"
        "    add al, 0xd1\n    mov ds, bx\n    pushf\n    pop ecx\n"
    )
    assert state.exit == "end" and state.regs["ecx"] == 0x7
    assert [(e.vector, e.error, e.eflags & 0xFFF) for e in state.exceptions] == [(13, 0x1238, 0x7)]


def test_unicorn_invalid_opcode_is_delivered_as_ud():
    state = run_unicorn("; mode: real16\n; on-exception: resume\n    ud2\n    mov bx, 2\n")
    assert [(e.vector, e.eip) for e in state.exceptions] == [(6, 0)]
    assert state.regs["ebx"] == 2 and state.exit == "end"


def test_software_interrupts_are_found_past_what_capstone_cannot_decode():
    from conformance.oracles.unicorn import _software_sites

    # LOCK LEA (#UD on the processor, run by Unicorn) ends the resume table; the SS INT 0x90
    # after it is still a software interrupt of three bytes, the prefix its first
    text = "; mode: user32\n    .byte 0xf0, 0x8d, 0x00, 0x36, 0xcd, 0x90\n    int3\n"
    image = build_image(parse_text(text, "t.asm", "t.asm"))
    origin = image.body_origin
    sites = _software_sites(image)
    assert (origin + 3, origin + 6, 0x90) in sites and (origin + 6, origin + 7, 3) in sites
