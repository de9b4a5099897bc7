"""Control transfers that change CS: interrupt and exception delivery, IRET, far
CALL and RET (Intel SDM vol. 3A chapter 6 and vol. 2 INT n/IRET/CALL/RET), the ways
into and out of virtual-8086 mode (vol. 3A chapter 20): IRET with VM in the popped
EFLAGS at CPL 0, and interrupts and exceptions through a gate to CPL 0; and the
instructions and events that switch tasks (``tasks``): task gates, JMP and CALL to a
TSS, IRET with NT set.
"""

from __future__ import annotations

from . import tasks
from .exceptions import FAULT_CLASS, CpuFault, TripleFault
from .segments import (
    descriptor_segment,
    far_jump,
    far_target,
    load_code,
    load_segment,
    read_descriptor,
    seg_linear,
    set_accessed,
    v86_segment,
)
from .stack import pop, push
from .state import CS, DS, EFLAGS_IOPL, EFLAGS_NT, EFLAGS_RF, EFLAGS_VM, ES, FS, GS, SS, CpuState, Segment
from .system import iopl

CONTRIBUTORY = frozenset({0, 10, 11, 12, 13})


def deliver(
    cpu: CpuState,
    m,
    vector: int,
    error: int | None,
    software: bool,
    return_eip: int,
    instruction_eip: int,
    fault: bool = False,
) -> None:
    """Deliver one event; faults during delivery escalate per SDM vol. 3A table 6-5.
    A fault while delivering a software interrupt is reported at the INT itself. Each
    attempt is atomic: a fault in it leaves the machine as the attempt found it, except
    a fault of the new task after a task switch, which is delivered in that task.
    ``fault``: an exception an instruction raised, rather than an interrupt or a trap."""
    first_vector, first_software = vector, software
    for _ in range(3):
        m.checkpoint()
        try:
            _deliver(cpu, m, vector, error, software, return_eip, fault and vector in FAULT_CLASS)
            return
        except CpuFault as raised:
            if raised.keeps_progress:  # a fault of the new task after a task switch
                return_eip = instruction_eip = cpu.eip
            else:
                m.rollback()
            if vector == 8:
                raise TripleFault() from None
            benign = first_software or first_vector not in CONTRIBUTORY | {14}
            both_contributory = first_vector in CONTRIBUTORY and raised.vector in CONTRIBUTORY
            page_fault_pair = first_vector == 14 and (raised.vector == 14 or raised.vector in CONTRIBUTORY)
            if not benign and (both_contributory or page_fault_pair):
                vector, error = 8, 0
            else:
                vector, error = raised.vector, raised.error
                if vector == 14:
                    cpu.cr[2] = raised.address
            software, fault = False, True
            first_vector, first_software = vector, False
            return_eip = instruction_eip
    raise TripleFault()


def _deliver(
    cpu: CpuState, m, vector: int, error: int | None, software: bool, return_eip: int, rf: bool
) -> None:
    """One attempt at delivery. ``rf``: the event is a fault, whose frame carries RF = 1 so
    that the handler's IRET back to the instruction does not take its instruction
    breakpoint again (SDM vol. 3A 17.3.1.1, Instruction-Breakpoint Exception Condition:
    RF is pushed as 1 for every fault-class exception but an instruction-breakpoint #DB;
    the host CPU, through the native oracle, pushes it so for #UD and #DE)."""
    flags = cpu.eflags
    if not cpu.protected:
        base, limit = cpu.idtr
        if 4 * vector + 3 > limit:
            raise CpuFault(13, None)
        target = m.read(base + 4 * vector, 4)
        push(cpu, m, flags & 0xFFFF, 16, False)
        push(cpu, m, cpu.seg[CS].selector, 16, False)
        push(cpu, m, return_eip & 0xFFFF, 16, False)
        cpu.eflags = flags & ~(1 << 9 | 1 << 8 | 1 << 18)
        cpu.seg[CS] = cpu.seg[CS].real_mode_load(target >> 16)
        cpu.eip = target & 0xFFFF
        return
    v86 = cpu.v86
    ext = 0 if software else 1
    base, limit = cpu.idtr
    if 8 * vector + 7 > limit:
        raise CpuFault(13, 8 * vector + 2 + ext)
    gate = m.read_qword(base + 8 * vector)
    access = (gate >> 40) & 0xFF
    kind = access & 0x1F
    if kind not in (0x05, 0x06, 0x07, 0x0E, 0x0F):
        raise CpuFault(13, 8 * vector + 2 + ext)
    cpl = cpu.cpl
    if software and (access >> 5) & 3 < cpl:
        raise CpuFault(13, 8 * vector + 2)
    if not access & 0x80:
        raise CpuFault(11, 8 * vector + 2 + ext)
    selector = (gate >> 16) & 0xFFFF
    if kind == 0x05:
        _through_task_gate(cpu, m, selector, error, return_eip, ext)
        return
    offset = (gate & 0xFFFF) | ((gate >> 48) << 16)
    if selector & 0xFFFC == 0:
        raise CpuFault(13, ext)
    raw, address = read_descriptor(cpu, m, selector, (selector & 0xFFFC) | ext)
    code = (raw >> 40) & 0xFF
    dpl = (code >> 5) & 3
    if code & 0x18 != 0x18 or dpl > cpl:
        raise CpuFault(13, (selector & 0xFFFC) | ext)
    if not code & 0x80:
        raise CpuFault(11, (selector & 0xFFFC) | ext)
    if v86 and (code & 0x04 or dpl != 0):
        # from virtual-8086 mode only to a non-conforming CPL 0 handler (SDM vol. 2 INT n)
        raise CpuFault(13, (selector & 0xFFFC) | ext)
    new_cpl = cpl if code & 0x04 else dpl
    size = 32 if kind & 0x08 else 16
    if not kind & 0x08:
        offset &= 0xFFFF
    frame = [flags | EFLAGS_RF if rf else flags, cpu.seg[CS].selector, return_eip]
    old_ss, old_esp = cpu.seg[SS].selector, cpu.gpr[4]
    if v86:  # the data segments go on the handler's stack too, first of all
        frame = [*(cpu.seg[s].selector for s in (GS, FS, DS, ES)), old_ss, old_esp, *frame]
    elif new_cpl < cpl:
        frame = [old_ss, old_esp, *frame]
    if new_cpl < cpl:
        ss_selector, esp = _stack_for(cpu, m, new_cpl, ext)
        ss_raw, ss_address = read_descriptor(cpu, m, ss_selector, (ss_selector & 0xFFFC) | ext)
        ss_access = (ss_raw >> 40) & 0xFF
        if (
            ss_selector & 0xFFFC == 0
            or ss_selector & 3 != new_cpl
            or (ss_access >> 5) & 3 != new_cpl
            or ss_access & 0x1A != 0x12
        ):
            raise CpuFault(10, (ss_selector & 0xFFFC) | ext)
        if not ss_access & 0x80:
            raise CpuFault(12, (ss_selector & 0xFFFC) | ext)
        set_accessed(m, ss_address, ss_raw)
        cpu.seg[SS] = descriptor_segment(ss_selector, ss_raw | 1 << 40)
        cpu.gpr[4] = esp
        _check_room(cpu, len(frame) + (error is not None), size, (ss_selector & 0xFFFC) | ext)
    for value in (*frame, *(() if error is None else (error,))):
        push(cpu, m, value & ((1 << size) - 1), size, new_cpl == 3)
    if v86:
        for s in (ES, DS, FS, GS):
            cpu.seg[s] = Segment(0, 0, 0, 0, False)
    set_accessed(m, address, raw)
    cpu.seg[CS] = descriptor_segment((selector & 0xFFFC) | new_cpl, raw | 1 << 40)
    cpu.eip = offset
    cleared = 1 << 8 | 1 << 14 | 1 << 16 | 1 << 17
    if not kind & 1:
        cleared |= 1 << 9
    cpu.eflags = flags & ~cleared


def _through_task_gate(cpu: CpuState, m, tss: int, error: int | None, return_eip: int, ext: int) -> None:
    """SDM vol. 2 INT n, TASK-GATE: switch to the task with nesting, push the error code
    on its stack, and check its EIP; from the switch on, a fault is the new task's."""
    tasks.switch_to(cpu, m, tss, tasks.INT, return_eip, ext)
    if error is not None:
        size = 32 if cpu.tr.access & 0x08 else 16
        try:
            _check_room(cpu, 1, size, ext)
            push(cpu, m, error & ((1 << size) - 1), size, cpu.cpl == 3)
        except CpuFault as fault:
            fault.keeps_progress = True
            raise
    tasks.check_new_eip(cpu, ext)


def _stack_for(cpu: CpuState, m, cpl: int, ext: int) -> tuple[int, int]:
    """(SS, ESP) for privilege level ``cpl`` from the current TSS: SSn:ESPn at 8 + 8n and
    4 + 8n in a 32-bit TSS, SSn:SPn at 4 + 4n and 2 + 4n in a 16-bit one (SDM vol. 3A
    7.2.1, 7.6)."""
    tr = cpu.tr
    big = tr.access & 0x0F in (0x09, 0x0B)
    width = 4 if big else 2
    slot = 2 * width * cpl + width
    if slot + width + 1 > tr.limit:
        raise CpuFault(10, (tr.selector & 0xFFFC) | ext)
    esp = m.read(tr.base + slot, width)
    ss = m.read(tr.base + slot + width, 2)
    return ss, esp


def _check_room(cpu: CpuState, slots: int, size: int, error: int) -> None:
    """The new stack of a privilege change holds the whole frame, or #SS(new SS) before
    anything is pushed (SDM vol. 2 INT n, "new stack does not have room")."""
    mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
    try:
        for slot in range(1, slots + 1):  # each slot on its own: a 16-bit stack wraps
            seg_linear(cpu, SS, (cpu.gpr[4] - slot * size // 8) & mask, size // 8, True)
    except CpuFault:
        raise CpuFault(12, error) from None


def check_int_n(cpu: CpuState) -> None:
    """INT n in virtual-8086 mode with IOPL < 3 is #GP(0), for a monitor to emulate; INT3,
    INTO and INT1 are not IOPL-sensitive (SDM vol. 2 INT n, Operation)."""
    if cpu.v86 and iopl(cpu) < 3:
        raise CpuFault(13, 0)


def _return_to(cpu: CpuState, m, selector: int, offset: int, size: int) -> int:
    """Checks for a return CS (IRET, RETF); returns the new CPL."""
    err = selector & 0xFFFC
    if err == 0:
        raise CpuFault(13, 0)
    raw, address = read_descriptor(cpu, m, selector, err)
    access = (raw >> 40) & 0xFF
    rpl, dpl, cpl = selector & 3, (access >> 5) & 3, cpu.cpl
    if access & 0x18 != 0x18 or rpl < cpl:
        raise CpuFault(13, err)
    if (access & 0x04 and dpl > rpl) or (not access & 0x04 and dpl != rpl):
        raise CpuFault(13, err)
    if not access & 0x80:
        raise CpuFault(11, err)
    set_accessed(m, address, raw)
    cpu.seg[CS] = descriptor_segment(selector, raw | 1 << 40)
    cpu.eip = offset & (0xFFFFFFFF if size == 32 else 0xFFFF)
    return rpl


def _check_return_eip(cpu: CpuState) -> None:
    """RET far and IRET: "IF the return instruction pointer is not within the return code
    segment limit THEN #GP(0)" (SDM vol. 2), once the return CS (and for a return to an
    outer level, SS) has passed its checks."""
    if cpu.eip > cpu.seg[CS].limit:
        raise CpuFault(13, 0)


def _outer_stack(cpu: CpuState, m, size: int, old_cpl: int) -> None:
    # the outer ESP and SS are on the inner stack, read at the inner (supervisor) level
    esp = pop(cpu, m, size, False)
    ss = pop(cpu, m, size, False) & 0xFFFF
    load_segment(cpu, m, SS, ss)
    cpu.gpr[4] = esp if size == 32 else (cpu.gpr[4] & 0xFFFF0000) | esp
    # null selectors, and data segments the new CPL may not use, become 0 (SDM vol. 2 IRET/RET)
    for s in (ES, DS, FS, GS):
        seg = cpu.seg[s]
        data_or_nonconforming = not (seg.access & 0x0C == 0x0C and seg.access & 0x10)
        if data_or_nonconforming and seg.dpl < cpu.cpl:
            cpu.seg[s] = Segment(0, 0, 0, 0, False)


def interrupt_return(cpu: CpuState, m, size: int, next_eip: int) -> None:
    if not cpu.protected:
        eip = pop(cpu, m, size, False)
        cs = pop(cpu, m, size, False)
        flags = pop(cpu, m, size, False)
        cpu.seg[CS] = cpu.seg[CS].real_mode_load(cs)
        cpu.eip = eip & 0xFFFF if size == 16 else eip
        _check_return_eip(cpu)
        mask = 0xFFFF if size == 16 else 0x257FD5
        cpu.eflags = (cpu.eflags & ~mask) | (flags & mask)
        return
    if cpu.v86:
        _return_within_v86(cpu, m, size)
        return
    if cpu.eflags_other & EFLAGS_NT:  # back to the task that called this one
        tasks.switch_to(cpu, m, tasks.back_link(cpu, m), tasks.IRET, next_eip)
        tasks.check_new_eip(cpu)
        return
    old_cpl = cpu.cpl
    eip = pop(cpu, m, size, old_cpl == 3)
    cs = pop(cpu, m, size, old_cpl == 3) & 0xFFFF
    flags = pop(cpu, m, size, old_cpl == 3)
    if size == 32 and flags & EFLAGS_VM and old_cpl == 0:
        _return_to_v86(cpu, m, eip, cs, flags)
        return
    new_cpl = _return_to(cpu, m, cs, eip, size)
    changeable = 0x257FD5 if size == 32 else 0x7FD5
    if old_cpl > 0:
        changeable &= ~(3 << 12)
        if old_cpl > (cpu.eflags_other >> 12) & 3:
            changeable &= ~(1 << 9)
    cpu.eflags = (cpu.eflags & ~changeable) | (flags & changeable)
    if new_cpl > old_cpl:
        _outer_stack(cpu, m, size, old_cpl)
    _check_return_eip(cpu)


def _return_within_v86(cpu: CpuState, m, size: int) -> None:
    """IRET in virtual-8086 mode: at IOPL 3 as in real mode, except that IOPL (and VM)
    keep their values; below IOPL 3 #GP(0), for the monitor (SDM vol. 2 IRET,
    RETURN-FROM-VIRTUAL-8086-MODE)."""
    if iopl(cpu) < 3:
        raise CpuFault(13, 0)
    eip = pop(cpu, m, size, True)
    cs = pop(cpu, m, size, True)
    flags = pop(cpu, m, size, True)
    if eip > 0xFFFF:
        raise CpuFault(13, 0)
    cpu.seg[CS] = v86_segment(cs)
    cpu.eip = eip
    changeable = (0x257FD5 if size == 32 else 0x7FD5) & ~EFLAGS_IOPL
    cpu.eflags = (cpu.eflags & ~changeable) | (flags & changeable)


def _return_to_v86(cpu: CpuState, m, eip: int, cs: int, flags: int) -> None:
    """IRETD at CPL 0 with VM in the popped EFLAGS: ESP, SS, ES, DS, FS and GS follow on
    the stack, each in a dword, and all of EFLAGS is loaded (SDM vol. 2 IRET,
    RETURN-TO-VIRTUAL-8086-MODE)."""
    esp = pop(cpu, m, 32, False)
    selectors = [pop(cpu, m, 32, False) for _ in (SS, ES, DS, FS, GS)]
    if eip > 0xFFFF:  # beyond the 64 KiB limit of the virtual-8086 code segment
        raise CpuFault(13, 0)
    cpu.eflags = flags
    cpu.seg[CS] = v86_segment(cs)
    cpu.eip = eip
    for s, selector in zip((SS, ES, DS, FS, GS), selectors):
        cpu.seg[s] = v86_segment(selector)
    cpu.gpr[4] = esp


def far_call(cpu: CpuState, m, selector: int, offset: int, size: int, return_eip: int) -> None:
    far_transfer(cpu, m, selector, offset, size, True, return_eip)


def far_transfer(
    cpu: CpuState, m, selector: int, offset: int, size: int, call: bool, return_eip: int
) -> None:
    """JMP/CALL far: to a code segment, or through a call gate (SDM vol. 2 CALL, JMP)."""
    selector &= 0xFFFF
    kind = 0
    if cpu.protected and not cpu.v86 and selector & 0xFFFC:
        raw, _address = read_descriptor(cpu, m, selector, selector & 0xFFFC)
        kind = (raw >> 40) & 0x1F
    if kind in (0x04, 0x0C):
        _through_call_gate(cpu, m, selector, raw, call, return_eip, size)
        return
    if kind in (0x01, 0x03, 0x09, 0x0B, 0x05):
        _to_task(cpu, m, selector, raw, call, return_eip)
        return
    if not call:
        far_jump(cpu, m, selector, offset)
        return
    if not cpu.protected or cpu.v86:
        push(cpu, m, cpu.seg[CS].selector, size, False)
        push(cpu, m, return_eip, size, False)
        far_jump(cpu, m, selector, offset)
        return
    # SDM vol. 2 CALL, far call to a code segment: the selector and descriptor, then room
    # for the return address on the stack, then the offset against the new limit, and
    # only then the pushes
    target = far_target(cpu, m, selector)
    ss = cpu.seg[SS]
    mask = 0xFFFFFFFF if ss.big else 0xFFFF
    for slot in (1, 2):  # each slot on its own: a 16-bit stack wraps between them
        seg_linear(cpu, SS, (cpu.gpr[4] - slot * size // 8) & mask, size // 8, True)
    if offset > target[0].limit:
        raise CpuFault(13, 0)
    push(cpu, m, cpu.seg[CS].selector, size, cpu.cpl == 3)
    push(cpu, m, return_eip, size, cpu.cpl == 3)
    load_code(cpu, m, target, offset)


def _to_task(cpu: CpuState, m, selector: int, raw: int, call: bool, return_eip: int) -> None:
    """JMP or CALL to a TSS descriptor or a task gate (SDM vol. 2 JMP, CALL:
    TASK-STATE-SEGMENT, TASK-GATE): the descriptor's DPL against CPL and RPL, then the
    switch, then the new EIP against the new CS limit."""
    access = (raw >> 40) & 0xFF
    if (access >> 5) & 3 < max(cpu.cpl, selector & 3):
        raise CpuFault(13, selector & 0xFFFC)
    if access & 0x1F == 0x05:  # a task gate: the TSS it names
        if not access & 0x80:
            raise CpuFault(11, selector & 0xFFFC)
        selector = (raw >> 16) & 0xFFFF
    tasks.switch_to(cpu, m, selector, tasks.CALL if call else tasks.JMP, return_eip)
    tasks.check_new_eip(cpu)


def _through_call_gate(
    cpu: CpuState, m, gate_selector: int, gate: int, call: bool, return_eip: int, size: int
):
    cpl, rpl = cpu.cpl, gate_selector & 3
    access = (gate >> 40) & 0xFF
    gate_error = gate_selector & 0xFFFC
    if (access >> 5) & 3 < max(cpl, rpl):
        raise CpuFault(13, gate_error)
    if not access & 0x80:
        raise CpuFault(11, gate_error)
    gate32 = bool(access & 0x08)
    target = (gate >> 16) & 0xFFFF
    offset = (gate & 0xFFFF) | ((gate >> 48) << 16 if gate32 else 0)
    params = (gate >> 32) & 0x1F
    if target & 0xFFFC == 0:
        raise CpuFault(13, 0)
    raw, address = read_descriptor(cpu, m, target, target & 0xFFFC)
    code = (raw >> 40) & 0xFF
    dpl = (code >> 5) & 3
    conforming = bool(code & 0x04)
    if code & 0x18 != 0x18 or dpl > cpl or (not call and not conforming and dpl != cpl):
        raise CpuFault(13, target & 0xFFFC)
    if not code & 0x80:
        raise CpuFault(11, target & 0xFFFC)
    width = 32 if gate32 else 16
    new_cpl = cpl if conforming else dpl
    if call and new_cpl < cpl:
        ss_selector, esp = _stack_for(cpu, m, new_cpl, 0)
        ss_raw, ss_address = read_descriptor(cpu, m, ss_selector, ss_selector & 0xFFFC)
        ss_access = (ss_raw >> 40) & 0xFF
        if ss_selector & 3 != new_cpl or (ss_access >> 5) & 3 != new_cpl or ss_access & 0x1A != 0x12:
            raise CpuFault(10, ss_selector & 0xFFFC)
        if not ss_access & 0x80:
            raise CpuFault(12, ss_selector & 0xFFFC)
        old_ss, old_esp = cpu.seg[SS].selector, cpu.gpr[4]
        stack_mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
        copied = [
            m.read(cpu.seg[SS].base + ((old_esp + i * width // 8) & stack_mask), width // 8, cpl == 3)
            for i in range(params)
        ]
        set_accessed(m, ss_address, ss_raw)
        cpu.seg[SS] = descriptor_segment(ss_selector, ss_raw | 1 << 40)
        cpu.gpr[4] = esp
        push(cpu, m, old_ss, width, new_cpl == 3)
        push(cpu, m, old_esp, width, new_cpl == 3)
        for value in reversed(copied):
            push(cpu, m, value, width, new_cpl == 3)
        push(cpu, m, cpu.seg[CS].selector, width, new_cpl == 3)
        push(cpu, m, return_eip, width, new_cpl == 3)
    elif call:
        push(cpu, m, cpu.seg[CS].selector, width, cpl == 3)
        push(cpu, m, return_eip, width, cpl == 3)
    set_accessed(m, address, raw)
    cpu.seg[CS] = descriptor_segment((target & 0xFFFC) | new_cpl, raw | 1 << 40)
    cpu.eip = offset


def sysenter(cpu: CpuState, m) -> None:
    """SDM vol. 2 SYSENTER: flat CPL 0 code and stack from the SYSENTER MSRs."""
    cs = m.msrs.get(0x174, 0) & 0xFFFF
    if not cpu.protected or cs & 0xFFFC == 0:
        raise CpuFault(13, 0)
    cpu.eflags = cpu.eflags & ~(1 << 17 | 1 << 9 | 1 << 16)
    cpu.seg[CS] = Segment(cs & 0xFFFC, 0, 0xFFFFFFFF, 0x9B, True)
    cpu.seg[SS] = Segment((cs & 0xFFFC) + 8, 0, 0xFFFFFFFF, 0x93, True)
    cpu.gpr[4] = m.msrs.get(0x175, 0) & 0xFFFFFFFF
    cpu.eip = m.msrs.get(0x176, 0) & 0xFFFFFFFF


def sysexit(cpu: CpuState, m) -> None:
    """SDM vol. 2 SYSEXIT: back to flat CPL 3 code at EDX with the stack at ECX."""
    cs = m.msrs.get(0x174, 0) & 0xFFFF
    if not cpu.protected or cpu.cpl != 0 or cs & 0xFFFC == 0:
        raise CpuFault(13, 0)
    cpu.seg[CS] = Segment(((cs + 16) & 0xFFFC) | 3, 0, 0xFFFFFFFF, 0xFB, True)
    cpu.seg[SS] = Segment(((cs + 24) & 0xFFFC) | 3, 0, 0xFFFFFFFF, 0xF3, True)
    cpu.gpr[4] = cpu.gpr[1]
    cpu.eip = cpu.gpr[2]


def far_return(cpu: CpuState, m, size: int, release: int) -> None:
    eip = pop(cpu, m, size, cpu.cpl == 3)
    cs = pop(cpu, m, size, cpu.cpl == 3) & 0xFFFF
    if not cpu.protected or cpu.v86:
        cpu.seg[CS] = v86_segment(cs) if cpu.v86 else cpu.seg[CS].real_mode_load(cs)
        cpu.eip = eip & (0xFFFF if size == 16 else 0xFFFFFFFF)
        _check_return_eip(cpu)
        cpu.gpr[4] = (cpu.gpr[4] + release) & (0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF)
        return
    old_cpl = cpu.cpl
    new_cpl = _return_to(cpu, m, cs, eip, size)
    mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((cpu.gpr[4] + release) & mask)
    if new_cpl > old_cpl:
        _outer_stack(cpu, m, size, old_cpl)
        cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((cpu.gpr[4] + release) & mask)
    _check_return_eip(cpu)
