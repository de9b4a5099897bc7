"""Segmentation: linear addresses with the SDM's checks, descriptors, segment-register
loads, far jumps, and the descriptor inspections (LAR, LSL, VERR, VERW, ARPL)."""

from __future__ import annotations

from . import flags as F
from .exceptions import CpuFault
from .state import CS, SS, CpuState, Segment


def check_protected(cpu: CpuState) -> None:
    """#UD where the SDM says an instruction "is not recognized in real-address mode"
    (nor in virtual-8086 mode): LAR, LSL, VERR, VERW, ARPL, SLDT, STR, LLDT, LTR."""
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)


def seg_linear(cpu: CpuState, s: int, offset: int, size: int, write: bool) -> int:
    """The linear address of ``size`` bytes at seg:offset, after the SDM's checks
    (vol. 3A 5.3: limit, expand-down; 3.4.5.1: type; a null selector is #GP(0))."""
    seg = cpu.seg[s]
    fault = 12 if s == SS else 13
    last = offset + size - 1
    if cpu.cr[0] & 1 and not cpu.eflags_other & (1 << 17):
        access = seg.access
        if not access & 0x80:  # null or not present: the load would have faulted unless null
            raise CpuFault(fault, 0)
        if access & 0x08:  # code: never writable, readable only with R
            if write or not access & 0x02:
                raise CpuFault(fault, 0)
        elif write and not access & 0x02:
            raise CpuFault(fault, 0)
        if access & 0x0C == 0x04:  # expand-down data
            top = 0xFFFFFFFF if seg.big else 0xFFFF
            if offset <= seg.limit or last > top:
                raise CpuFault(fault, 0)
            return (seg.base + offset) & 0xFFFFFFFF
    if last > seg.limit:
        raise CpuFault(fault, 0)
    return (seg.base + offset) & 0xFFFFFFFF


def v86_segment(selector: int) -> Segment:
    """A segment register loaded in virtual-8086 mode: base selector * 16, a 64 KiB limit,
    and the attributes of a present, accessed, writable data segment of DPL 3 (SDM vol. 3A
    20.1.1; the same attributes VMX requires of virtual-8086 guest state)."""
    selector &= 0xFFFF
    return Segment(selector, selector << 4, 0xFFFF, 0xF3, False)


def read_descriptor(cpu: CpuState, m, selector: int, error: int) -> tuple[int, int]:
    """(descriptor, its linear address); #GP(selector) beyond the table limit."""
    if selector & 4:
        base, limit = cpu.ldtr.base, cpu.ldtr.limit
    else:
        base, limit = cpu.gdtr
    index = selector & 0xFFF8
    if index + 7 > limit:
        raise CpuFault(13, error)
    return m.read_qword(base + index), base + index


def descriptor_segment(selector: int, raw: int) -> Segment:
    base = ((raw >> 16) & 0xFFFFFF) | ((raw >> 56) & 0xFF) << 24
    limit = (raw & 0xFFFF) | ((raw >> 48) & 0xF) << 16
    if (raw >> 55) & 1:
        limit = (limit << 12) | 0xFFF
    return Segment(selector, base, limit, (raw >> 40) & 0xFF, bool((raw >> 54) & 1))


def set_accessed(m, address: int, raw: int) -> None:
    if not (raw >> 40) & 1:
        m.write(address + 5, 1, ((raw >> 40) & 0xFF) | 1)


def load_segment(cpu: CpuState, m, s: int, selector: int) -> None:
    """MOV/POP to a data or stack segment register (SDM vol. 2 MOV, protected-mode checks)."""
    selector &= 0xFFFF
    if not cpu.cr[0] & 1 or cpu.eflags_other & (1 << 17):
        if cpu.eflags_other & (1 << 17):
            cpu.seg[s] = v86_segment(selector)
        else:
            cpu.seg[s] = cpu.seg[s].real_mode_load(selector)
        return
    cpl = cpu.cpl
    if selector & 0xFFFC == 0:
        if s == SS:
            raise CpuFault(13, 0)
        cpu.seg[s] = Segment(selector, 0, 0, 0, False)  # null: any use faults
        return
    raw, address = read_descriptor(cpu, m, selector, selector & 0xFFFC)
    access = (raw >> 40) & 0xFF
    rpl, dpl = selector & 3, (access >> 5) & 3
    err = selector & 0xFFFC
    if s == SS:
        if rpl != cpl or dpl != cpl or access & 0x18 != 0x10 or not access & 0x02:
            raise CpuFault(13, err)
        if not access & 0x80:
            raise CpuFault(12, err)
    else:
        if not access & 0x10 or (access & 0x0A) == 0x08:  # system, or execute-only code
            raise CpuFault(13, err)
        conforming_code = access & 0x0C == 0x0C
        if not conforming_code and (rpl > dpl or cpl > dpl):
            raise CpuFault(13, err)
        if not access & 0x80:
            raise CpuFault(11, err)
    set_accessed(m, address, raw)
    cpu.seg[s] = descriptor_segment(selector, raw | (1 << 40))


def far_jump(cpu: CpuState, m, selector: int, offset: int) -> None:
    """JMP far to a code segment (``transfers.far_transfer`` takes gates and TSSs)."""
    selector &= 0xFFFF
    if cpu.eflags_other & (1 << 17):
        if offset > 0xFFFF:  # "IF tempEIP is beyond code segment limit THEN #GP(0)"
            raise CpuFault(13, 0)
        cpu.seg[CS] = v86_segment(selector)
        cpu.eip = offset
        return
    if not cpu.cr[0] & 1:
        cpu.seg[CS] = cpu.seg[CS].real_mode_load(selector)
        cpu.eip = offset & 0xFFFF if not cpu.seg[CS].big else offset
        return
    target = far_target(cpu, m, selector)
    if offset > target[0].limit:
        raise CpuFault(13, 0)
    load_code(cpu, m, target, offset)


def far_target(cpu: CpuState, m, selector: int) -> tuple[Segment, int, int]:
    """The code segment a far JMP or CALL in protected mode goes to, after the checks of
    its selector and descriptor (SDM vol. 2 JMP, CALL: #GP(selector), #NP(selector)), not
    yet loaded: (segment, descriptor address, descriptor)."""
    if selector & 0xFFFC == 0:
        raise CpuFault(13, 0)
    err = selector & 0xFFFC
    raw, address = read_descriptor(cpu, m, selector, err)
    access = (raw >> 40) & 0xFF
    if access & 0x18 != 0x18:
        raise CpuFault(13, err)  # not code (far_transfer has taken gates and TSSs)
    dpl, rpl, cpl = (access >> 5) & 3, selector & 3, cpu.cpl
    if access & 0x04:
        if dpl > cpl:
            raise CpuFault(13, err)
    elif rpl > cpl or dpl != cpl:
        raise CpuFault(13, err)
    if not access & 0x80:
        raise CpuFault(11, err)
    return descriptor_segment((selector & 0xFFFC) | cpl, raw | (1 << 40)), address, raw


def load_code(cpu: CpuState, m, target: tuple[Segment, int, int], offset: int) -> None:
    """CS:EIP from a checked ``far_target`` (the descriptor marked accessed)."""
    seg, address, raw = target
    set_accessed(m, address, raw)
    cpu.seg[CS] = seg
    cpu.eip = offset


def _visible(cpu: CpuState, m, selector: int) -> int | None:
    if selector & 0xFFFC == 0:
        return None
    base, limit = (cpu.ldtr.base, cpu.ldtr.limit) if selector & 4 else cpu.gdtr
    if (selector & 0xFFF8) + 7 > limit:
        return None
    raw = m.read_qword(base + (selector & 0xFFF8))
    access = (raw >> 40) & 0xFF
    dpl = (access >> 5) & 3
    conforming = access & 0x1C == 0x1C
    if not conforming and (dpl < cpu.cpl or dpl < selector & 3):
        return None
    return raw


def access_rights(cpu: CpuState, m, selector: int, size: int) -> int | None:
    raw = _visible(cpu, m, selector & 0xFFFF)
    ok = raw is not None and ((raw >> 44) & 1 or (raw >> 40) & 0xF in (1, 2, 3, 4, 5, 9, 0xB, 0xC))
    F.set_zf(cpu, bool(ok))
    if not ok:
        return None
    return (raw >> 32) & (0x00FFFF00 if size == 32 else 0xFF00)


def segment_limit(cpu: CpuState, m, selector: int) -> int | None:
    raw = _visible(cpu, m, selector & 0xFFFF)
    ok = raw is not None and ((raw >> 44) & 1 or (raw >> 40) & 0xF in (1, 2, 3, 9, 0xB))
    F.set_zf(cpu, bool(ok))
    return descriptor_segment(0, raw).limit if ok else None


def verify(cpu: CpuState, m, selector: int, write: bool) -> None:
    raw = _visible(cpu, m, selector & 0xFFFF)
    ok = False
    if raw is not None and (raw >> 44) & 1:
        access = (raw >> 40) & 0xFF
        ok = (
            bool(access & 0x02) and not access & 0x08 if write else (not access & 0x08 or bool(access & 0x02))
        )
    F.set_zf(cpu, ok)


def load_far_pointer(cpu: CpuState, m, s: int, linear: int, size: int, u: bool) -> int:
    """LDS/LES/LFS/LGS/LSS: load the segment register; return the offset."""
    offset = m.read(linear, size // 8, u)
    load_segment(cpu, m, s, m.read(linear + size // 8, 2, u))
    return offset


def arpl(cpu: CpuState, dest: int, src: int) -> int:
    if dest & 3 < src & 3:
        F.set_zf(cpu, True)
        return (dest & ~3) | (src & 3)
    F.set_zf(cpu, False)
    return dest
