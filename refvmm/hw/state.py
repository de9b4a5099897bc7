"""The virtual CPU's state on a hardware backend, and back.

A backend runs guest code on the machine's own RAM (``Machine.ram_address``) with the
CPU state loaded from ``CpuState``. KVM takes every segment's hidden part (base, limit,
attributes) as it is. Unicorn takes only selectors and loads the hidden part from the
descriptor tables itself, as a segment load would, so a segment whose hidden state is
not what its descriptor now says (the descriptor was changed or the table reloaded
after the load: the paper's non-reversible segments) cannot be loaded there;
``irreversible`` names them, and the monitor runs such code on the translator.
"""

from __future__ import annotations

import unicorn
from unicorn import x86_const as X

from ..cpu.segments import descriptor_segment
from ..cpu.state import SEG_NAMES, CpuState, Segment
from ..cpu.x87.state import X87State
from . import kvm as K

UC_SEGMENTS = (
    X.UC_X86_REG_ES,
    X.UC_X86_REG_CS,
    X.UC_X86_REG_SS,
    X.UC_X86_REG_DS,
    X.UC_X86_REG_FS,
    X.UC_X86_REG_GS,
)
UC_GPRS = (
    X.UC_X86_REG_EAX,
    X.UC_X86_REG_ECX,
    X.UC_X86_REG_EDX,
    X.UC_X86_REG_EBX,
    X.UC_X86_REG_ESP,
    X.UC_X86_REG_EBP,
    X.UC_X86_REG_ESI,
    X.UC_X86_REG_EDI,
)
UC_CRS = {0: X.UC_X86_REG_CR0, 2: X.UC_X86_REG_CR2, 3: X.UC_X86_REG_CR3, 4: X.UC_X86_REG_CR4}


def _same(a: Segment, b: Segment) -> bool:
    """Equal as the CPU uses them: the descriptor's accessed bit aside."""
    return (a.selector, a.base, a.limit, a.access | 1, a.big) == (
        b.selector,
        b.base,
        b.limit,
        b.access | 1,
        b.big,
    )


def rebuilt(cpu: CpuState, m, s: int, selector: int | None = None) -> Segment | None:
    """Segment register ``s`` as loading ``selector`` (its own by default) now would make
    it, or None where a load would fault (beyond the table, a null CS or SS)."""
    if selector is None:
        selector = cpu.seg[s].selector
    if not cpu.protected or cpu.v86:
        old = cpu.seg[s]
        return Segment(selector, selector << 4, old.limit, old.access, old.big)
    if selector & 0xFFFC == 0:
        return None if s in (1, 2) else Segment(selector, 0, 0, 0, False)
    base, limit = (cpu.ldtr.base, cpu.ldtr.limit) if selector & 4 else cpu.gdtr
    if (selector & 0xFFF8) + 7 > limit:
        return None
    return descriptor_segment(selector, m.read_qword(base + (selector & 0xFFF8)))


def irreversible(cpu: CpuState, m) -> list[str]:
    """The segment registers whose hidden state cannot be rebuilt from their selectors: in
    real mode a limit other than 64 KiB or a base other than selector * 16 (unreal mode);
    in protected mode a descriptor that says otherwise now."""
    out = []
    for s, name in enumerate(SEG_NAMES):
        seg = cpu.seg[s]
        again = rebuilt(cpu, m, s)
        if not cpu.protected or cpu.v86:
            if seg.base != seg.selector << 4 or seg.limit != 0xFFFF:
                out.append(name)
        elif seg.selector & 0xFFFC == 0 and s not in (1, 2):
            continue  # a null data selector: unusable either way
        elif again is None or not _same(seg, again):
            out.append(name)
    return out


# -- Unicorn --
def to_unicorn(uc: unicorn.Uc, cpu: CpuState, m) -> None:
    """Load ``cpu`` into Unicorn (in UC_MODE_32), which must map the machine's RAM. Raises
    ValueError naming the segments Unicorn cannot be given (``irreversible``)."""
    bad = irreversible(cpu, m)
    if bad:
        raise ValueError(f"hidden state of {', '.join(bad)} cannot be rebuilt from its descriptor")
    uc.reg_write(X.UC_X86_REG_GDTR, (0, cpu.gdtr[0], cpu.gdtr[1], 0))
    uc.reg_write(X.UC_X86_REG_IDTR, (0, cpu.idtr[0], cpu.idtr[1], 0))
    for number, reg in UC_CRS.items():
        uc.reg_write(reg, cpu.cr[number])
    for reg, value in zip(UC_GPRS, cpu.gpr):
        uc.reg_write(reg, value)
    uc.reg_write(X.UC_X86_REG_EFLAGS, cpu.eflags)
    for reg, seg in zip(UC_SEGMENTS, cpu.seg):
        uc.reg_write(reg, seg.selector)
    uc.reg_write(X.UC_X86_REG_EIP, cpu.eip)


def from_unicorn(uc: unicorn.Uc, cpu: CpuState, m) -> None:
    """The state Unicorn stopped in, into ``cpu``. A segment register the guest loaded there
    gets its hidden state from the tables, as Unicorn loaded it."""
    cpu.gpr[:] = [uc.reg_read(reg) & 0xFFFFFFFF for reg in UC_GPRS]
    cpu.eip = uc.reg_read(X.UC_X86_REG_EIP) & 0xFFFFFFFF
    cpu.eflags = uc.reg_read(X.UC_X86_REG_EFLAGS)
    for number, reg in UC_CRS.items():
        cpu.cr[number] = uc.reg_read(reg) & 0xFFFFFFFF
    for s, reg in enumerate(UC_SEGMENTS):
        selector = uc.reg_read(reg) & 0xFFFF
        if selector != cpu.seg[s].selector:
            cpu.seg[s] = rebuilt(cpu, m, s, selector) or Segment(selector, 0, 0, 0, False)


# -- KVM --
def fpu_context(x: X87State) -> tuple[int, ...]:
    """The x87 as a backend takes it: control word, status word, tag word, R0-R7, and the
    last instruction's pointers FIP, FCS, FDP, FDS."""
    return (x.cw, x.status_word(), x.tag_word(), *x.regs, x.fip, x.fcs, x.fdp, x.fds)


def store_fpu(x: X87State, values: tuple[int, ...]) -> None:
    """The x87 as a backend left it. The opcode stays as it was: Unicorn does not keep it
    (its FNSAVE and FNSTENV store 0)."""
    cw, sw, tw, *regs = values[:11]
    x.fip, x.fcs, x.fdp, x.fds = values[11:]
    x.regs[:] = regs
    x.set_tag_word(tw)
    x.cw = cw & 0x1F7F | 0x40
    x.set_status_word(sw)


def _kvm_segment(seg: Segment) -> K.Segment:
    """KVM's segment: the limit in bytes (G set when it needs pages), the access byte apart."""
    access = seg.access
    return K.Segment(
        selector=seg.selector,
        base=seg.base,
        limit=seg.limit,
        type=access & 0xF,
        present=access >> 7 & 1,
        dpl=access >> 5 & 3,
        db=int(seg.big),
        s=access >> 4 & 1,
        g=int(seg.limit > 0xFFFFF),
        unusable=int(not access & 0x80),
    )


def _segment(k: K.Segment) -> Segment:
    access = (k.present << 7 | k.dpl << 5 | k.s << 4 | k.type) if not k.unusable else 0
    return Segment(k.selector, k.base & 0xFFFFFFFF, k.limit & 0xFFFFFFFF, access, bool(k.db))


KVM_GPRS = ("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi")


def to_kvm(cpu: CpuState) -> tuple[dict[str, int], K.SRegs]:
    """KVM's general and special registers for ``cpu``, hidden segment state included."""
    regs = dict(zip(KVM_GPRS, cpu.gpr))
    regs.update(rip=cpu.eip, rflags=cpu.eflags)
    segments = {name: _kvm_segment(seg) for name, seg in zip(SEG_NAMES, cpu.seg)}
    segments["tr"] = _kvm_segment(cpu.tr)
    segments["ldt"] = _kvm_segment(cpu.ldtr)
    sregs = K.SRegs(
        segments=segments,
        gdt=(cpu.gdtr[0], cpu.gdtr[1]),
        idt=(cpu.idtr[0], cpu.idtr[1]),
        cr0=cpu.cr[0],
        cr2=cpu.cr[2],
        cr3=cpu.cr[3],
        cr4=cpu.cr[4],
    )
    return regs, sregs


def from_kvm(regs: dict[str, int], sregs: K.SRegs, cpu: CpuState) -> None:
    cpu.gpr[:] = [regs[n] & 0xFFFFFFFF for n in KVM_GPRS]
    cpu.eip = regs["rip"] & 0xFFFFFFFF
    cpu.eflags = regs["rflags"]
    cpu.seg[:] = [_segment(sregs.segments[name]) for name in SEG_NAMES]
    cpu.tr, cpu.ldtr = _segment(sregs.segments["tr"]), _segment(sregs.segments["ldt"])
    cpu.gdtr, cpu.idtr = (sregs.gdt[0], sregs.gdt[1]), (sregs.idt[0], sregs.idt[1])
    cpu.cr[0], cpu.cr[2], cpu.cr[3], cpu.cr[4] = sregs.cr0, sregs.cr2, sregs.cr3, sregs.cr4
