"""Hardware task switching (Intel SDM vol. 3A chapter 7): JMP and CALL to a TSS
descriptor or a task gate, interrupts and exceptions through a task gate, and IRET with
NT set, to 16-bit and 32-bit TSSs.

A switch runs in two halves, as section 7.3 describes. Up to the commit point it
checks the new TSS, saves the old task's state in the old TSS and updates the busy
bits, the back link and TR; a fault there is the old task's, and the core's rollback
leaves the machine as the instruction found it. After the commit point the new task's
state is loaded: CR3, EFLAGS, EIP, the general registers and every segment selector,
then LDTR and the segment descriptors are checked and loaded in the order of the SDM's
table 7-1 (LDTR, SS, CS, then DS, ES, FS, GS), so that a fault of the new task's code
or data segments is delivered on its stack. Such a fault belongs to the new task: it
is raised with ``keeps_progress``, so the switch stands and the fault is delivered at
the new task's EIP (with the selectors it failed on in the segment registers, their
caches unusable). A T bit set in the new TSS raises the debug trap (#DB, DR6.BT) the
same way, before the new task's first instruction.

Where the SDM leaves the result open, the virtual CPU does what QEMU and Bochs do: a
16-bit TSS loads the general registers with their upper halves all ones, and FS and GS
with null selectors (vol. 3A 7.6: "the upper 16 bits of the registers are modified and
not maintained"); tests of 16-bit tasks check the low words only.
"""

from __future__ import annotations

from .exceptions import CpuFault
from .segments import descriptor_segment, read_descriptor, set_accessed, v86_segment
from .state import CS, DS, EFLAGS_NT, EFLAGS_VM, ES, FS, GS, SS, CpuState, Segment

JMP, CALL, IRET, INT = "jmp", "call", "iret", "int"
BUSY = 0x02 << 40  # the busy bit of a TSS descriptor's type
CR0_TS = 1 << 3
DR6_BT = 1 << 15

# field offsets in the 32-bit TSS (figure 7-2) and the 16-bit one (figure 7-10)
_TSS32 = {"eip": 0x20, "eflags": 0x24, "gpr": 0x28, "segs": 0x48, "ldt": 0x60, "cr3": 0x1C}
_TSS16 = {"eip": 0x0E, "eflags": 0x10, "gpr": 0x12, "segs": 0x22, "ldt": 0x2A}
_SEGS32 = (ES, CS, SS, DS, FS, GS)  # the order of the selectors in a TSS
_SEGS16 = (ES, CS, SS, DS)


def tss_descriptor(cpu: CpuState, m, selector: int, error: int, fault: int = 13) -> tuple[int, int]:
    """(descriptor, address) of the TSS ``selector`` names, which must be in the GDT:
    #GP (``fault``, #TS for IRET) with ``error`` otherwise."""
    if selector & 4:
        raise CpuFault(fault, error)
    base, limit = cpu.gdtr
    if (selector & 0xFFF8) + 7 > limit:
        raise CpuFault(fault, error)
    return m.read_qword(base + (selector & 0xFFF8)), base + (selector & 0xFFF8)


def switch_to(cpu: CpuState, m, selector: int, source: str, return_eip: int, ext: int = 0) -> None:
    """Switch to the task of TSS ``selector`` for ``source`` (JMP, CALL, IRET or INT: an
    interrupt or exception through a task gate), saving ``return_eip`` as the old task's
    EIP. The caller has checked the gate or descriptor privilege."""
    error = (selector & 0xFFFC) | ext
    iret = source == IRET
    raw, address = tss_descriptor(cpu, m, selector, error, 10 if iret else 13)
    kind = (raw >> 40) & 0x1F
    if kind not in (0x01, 0x03, 0x09, 0x0B):  # not a TSS
        raise CpuFault(10 if iret else 13, error)
    if bool(kind & 0x02) != iret:  # IRET returns to a busy task; the rest go to an idle one
        raise CpuFault(10 if iret else 13, error)
    if not (raw >> 47) & 1:
        raise CpuFault(11, error)
    new = descriptor_segment(selector, raw | BUSY)
    big = bool(kind & 0x08)
    if new.limit < (0x67 if big else 0x2B):
        raise CpuFault(10, error)
    image = _read_state(m, new.base, big)  # every read before any write (vol. 3A 7.3 step 4)

    old = cpu.tr
    flags = cpu.eflags
    if source in (JMP, IRET):
        _clear_busy(cpu, m, old.selector)
    if iret:
        flags &= ~EFLAGS_NT
    _save_state(cpu, m, old, flags, return_eip)
    if source in (CALL, INT):
        m.write(new.base, 2, old.selector)  # the back link
        image["eflags"] |= EFLAGS_NT
    if not iret:
        m.write(address + 5, 1, ((raw >> 40) & 0xFF) | 0x02)
    cpu.cr[0] |= CR0_TS
    cpu.tr = new
    # the commit point: what follows is the new task's
    try:
        _load_state(cpu, m, image, big)
    except CpuFault as fault:
        fault.keeps_progress = True
        raise
    if big and m.read(new.base + 0x64, 1) & 1:  # the T bit: a debug trap in the new task
        cpu.dr[6] |= DR6_BT
        fault = CpuFault(1)
        fault.keeps_progress = True
        raise fault


def back_link(cpu: CpuState, m) -> int:
    """The previous task's TSS selector, for IRET with NT set."""
    return m.read(cpu.tr.base, 2)


def check_new_eip(cpu: CpuState, ext: int = 0) -> None:
    """After a switch by JMP, CALL or IRET (#GP(0)) or an interrupt (#GP(EXT)): the new
    EIP must lie within the new CS limit; the fault is the new task's."""
    if cpu.eip > cpu.seg[CS].limit:
        fault = CpuFault(13, ext)
        fault.keeps_progress = True
        raise fault


def _clear_busy(cpu: CpuState, m, selector: int) -> None:
    raw, address = tss_descriptor(cpu, m, selector, selector & 0xFFFC)
    m.write(address + 5, 1, (raw >> 40) & 0xFF & ~0x02)


def _read_state(m, base: int, big: bool) -> dict:
    layout, width = (_TSS32, 4) if big else (_TSS16, 2)
    segs = _SEGS32 if big else _SEGS16
    image = {
        "eip": m.read(base + layout["eip"], width),
        "eflags": m.read(base + layout["eflags"], width),
        "gpr": [m.read(base + layout["gpr"] + width * i, width) for i in range(8)],
        "segs": {s: m.read(base + layout["segs"] + width * i, 2) for i, s in enumerate(segs)},
        "ldt": m.read(base + layout["ldt"], 2),
        "cr3": m.read(base + _TSS32["cr3"], 4) if big else None,
    }
    if not big:  # a 16-bit task's registers keep nothing of their upper halves (7.6)
        image["gpr"] = [0xFFFF0000 | value for value in image["gpr"]]
        image["segs"].update({FS: 0, GS: 0})
    return image


def _save_state(cpu: CpuState, m, tss: Segment, flags: int, eip: int) -> None:
    big = tss.access & 0x08
    layout, width = (_TSS32, 4) if big else (_TSS16, 2)
    mask = (1 << 8 * width) - 1
    base = tss.base
    m.write(base + layout["eip"], width, eip & mask)
    m.write(base + layout["eflags"], width, flags & mask)
    for i, value in enumerate(cpu.gpr):
        m.write(base + layout["gpr"] + width * i, width, value & mask)
    for i, s in enumerate(_SEGS32 if big else _SEGS16):
        m.write(base + layout["segs"] + width * i, width, cpu.seg[s].selector)


def _load_state(cpu: CpuState, m, image: dict, big: bool) -> None:
    if big and cpu.cr[0] & 0x80000000:
        cpu.cr[3] = image["cr3"]
        m.flush_tlb()
    cpu.eflags = image["eflags"]
    cpu.eip = image["eip"]
    cpu.gpr[:] = image["gpr"]
    segs = image["segs"]
    for s, selector in segs.items():
        cpu.seg[s] = Segment(selector, 0, 0, 0, False)  # selectors first, then descriptors
    _load_ldt(cpu, m, image["ldt"])
    if cpu.eflags_other & EFLAGS_VM:  # a virtual-8086 task: no descriptors to check
        for s, selector in segs.items():
            cpu.seg[s] = v86_segment(selector)
        return
    cpl = segs[CS] & 3  # the new CPL, which SS is checked against before CS is loaded
    cpu.seg[SS] = _checked(cpu, m, segs[SS], lambda a, sel: _stack_ok(a, sel, cpl), 12)
    cpu.seg[CS] = _checked(cpu, m, segs[CS], _code_ok, 11)
    for s in (DS, ES, FS, GS):
        if segs[s] & 0xFFFC:
            cpu.seg[s] = _checked(cpu, m, segs[s], lambda a, sel: _data_ok(a, sel, cpl), 11)


def _load_ldt(cpu: CpuState, m, selector: int) -> None:
    error = selector & 0xFFFC
    if not error:
        cpu.ldtr = Segment(selector, 0, 0, 0x02, False)
        return
    raw, _address = tss_descriptor(cpu, m, selector, error, 10)
    if (raw >> 40) & 0x1F != 0x02 or not (raw >> 47) & 1:
        raise CpuFault(10, error)
    cpu.ldtr = descriptor_segment(selector, raw)


def _checked(cpu: CpuState, m, selector: int, ok, not_present: int) -> Segment:
    """The segment ``selector`` names after ``ok(access, selector)``: #TS(selector) for a
    null selector, one past its table or one that fails, then ``not_present``(selector)."""
    error = selector & 0xFFFC
    if not error:
        raise CpuFault(10, 0)
    raw, address = read_descriptor(cpu, m, selector, error)
    access = (raw >> 40) & 0xFF
    if not access & 0x10 or not ok(access, selector):
        raise CpuFault(10, error)
    if not access & 0x80:
        raise CpuFault(not_present, error)
    set_accessed(m, address, raw)
    return descriptor_segment(selector, raw | 1 << 40)


def _code_ok(access: int, selector: int) -> bool:
    dpl = (access >> 5) & 3
    if not access & 0x08:
        return False
    return dpl <= selector & 3 if access & 0x04 else dpl == selector & 3


def _stack_ok(access: int, selector: int, cpl: int) -> bool:
    return access & 0x0A == 0x02 and selector & 3 == cpl and (access >> 5) & 3 == cpl


def _data_ok(access: int, selector: int, cpl: int) -> bool:
    if access & 0x0A == 0x08:  # execute-only code
        return False
    if access & 0x0C == 0x0C:  # conforming code: any privilege
        return True
    return (access >> 5) & 3 >= max(cpl, selector & 3)
