"""CpuState on a hardware backend and back: Unicorn on the machine's own RAM, KVM's
register structures (no /dev/kvm needed), and the segments neither can be given."""

from __future__ import annotations

import unicorn

from refvmm.cpu.segments import descriptor_segment
from refvmm.cpu.state import CS, DS, ES, FS, GS, SS, Segment
from refvmm.hw import kvm as K
from refvmm.hw.state import from_kvm, from_unicorn, irreversible, to_kvm, to_unicorn
from refvmm.machine import Machine

CODE, DATA = 0x00CF9B000000FFFF, 0x00CF93000000FFFF  # flat 4 GiB, 32-bit, accessed


def _flat_machine() -> Machine:
    m = Machine(1 << 20)
    m.phys_write(0x508, 8, CODE)
    m.phys_write(0x510, 8, DATA)
    cpu = m.cpu
    cpu.gdtr = (0x500, 0x17)
    cpu.cr[0] |= 1
    cpu.seg[CS] = descriptor_segment(0x08, CODE)
    for s in (SS, DS, ES, FS, GS):
        cpu.seg[s] = descriptor_segment(0x10, DATA)
    return m


def test_unicorn_runs_on_the_machine_s_own_ram_and_gives_the_state_back():
    m = _flat_machine()
    m.ram[0x1000:0x100C] = bytes.fromhex(
        "a10020000040a304200000f4"
    )  # mov eax,[0x2000]; inc; mov [0x2004],eax
    m.phys_write(0x2000, 4, 41)
    m.cpu.eip, m.cpu.gpr[4] = 0x1000, 0x8000
    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
    uc.mem_map_ptr(0, len(m.ram), unicorn.UC_PROT_ALL, m.ram_address())
    to_unicorn(uc, m.cpu, m)
    uc.emu_start(0x1000, 0x100B)
    from_unicorn(uc, m.cpu, m)
    assert m.phys_read(0x2004, 4) == 42  # Unicorn wrote the machine's memory, not a copy
    assert m.cpu.gpr[0] == 42 and m.cpu.eip == 0x100B and m.cpu.gpr[4] == 0x8000
    assert m.cpu.seg[CS].selector == 0x08 and m.cpu.seg[CS].big


def test_a_segment_whose_descriptor_changed_after_the_load_is_irreversible():
    m = _flat_machine()
    assert irreversible(m.cpu, m) == []
    m.phys_write(0x510, 8, 0x00CF93000000FFFF | 0x12 << 16)  # DS's descriptor now says base 0x12
    assert irreversible(m.cpu, m) == ["es", "ss", "ds", "fs", "gs"]
    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
    try:
        to_unicorn(uc, m.cpu, m)
    except ValueError as exc:
        assert "es, ss, ds, fs, gs" in str(exc)
    else:
        raise AssertionError("loaded an irreversible segment")


def test_real_mode_with_a_4_gib_limit_is_irreversible():
    m = Machine(1 << 20)
    m.cpu.reset(0, 0x7C00)
    assert irreversible(m.cpu, m) == []
    m.cpu.seg[DS] = Segment(0, 0, 0xFFFFFFFF, 0x93, False)  # "unreal mode", left by protected mode
    assert irreversible(m.cpu, m) == ["ds"]


def test_kvm_registers_carry_the_hidden_state_both_ways():
    m = _flat_machine()
    cpu = m.cpu
    cpu.seg[FS] = Segment(0x10, 0x12345000, 0xFFF, 0x93, True)  # hidden state no table says
    cpu.seg[GS] = Segment(0, 0, 0, 0, False)  # null
    cpu.gpr[:] = [1, 2, 3, 4, 5, 6, 7, 8]
    cpu.eip, cpu.cr[3] = 0x1234, 0x5000
    regs, sregs = to_kvm(cpu)
    assert sregs.segments["fs"].base == 0x12345000 and sregs.segments["gs"].unusable == 1
    assert sregs.segments["cs"].g == 1 and sregs.segments["cs"].limit == 0xFFFFFFFF
    back = Machine(1 << 20).cpu
    raw = K.SRegs.unpack(sregs.pack())  # through the kernel's layout
    from_kvm(regs, raw, back)
    assert back.seg == cpu.seg and back.gpr == cpu.gpr and (back.eip, back.cr[3]) == (0x1234, 0x5000)
    assert back.gdtr == cpu.gdtr and back.eflags == cpu.eflags
