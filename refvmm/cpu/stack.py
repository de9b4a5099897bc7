"""The stack: PUSH/POP and the instructions built on them (PUSHA, PUSHF, ENTER, LEAVE)."""

from __future__ import annotations

from .exceptions import CpuFault
from .segments import seg_linear
from .state import SS, CpuState
from .system import iopl


def push(cpu: CpuState, m, value: int, size: int, u: bool) -> None:
    ss = cpu.seg[SS]
    mask = 0xFFFFFFFF if ss.big else 0xFFFF
    sp = (cpu.gpr[4] - size // 8) & mask
    m.write(seg_linear(cpu, SS, sp, size // 8, True), size // 8, value, u)
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | sp


def pop(cpu: CpuState, m, size: int, u: bool) -> int:
    ss = cpu.seg[SS]
    mask = 0xFFFFFFFF if ss.big else 0xFFFF
    sp = cpu.gpr[4] & mask
    value = m.read(seg_linear(cpu, SS, sp, size // 8, False), size // 8, u)
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((sp + size // 8) & mask)
    return value


def push_selector(cpu: CpuState, m, selector: int, size: int, u: bool) -> None:
    push(cpu, m, selector & 0xFFFF, size, u)  # a 32-bit push writes the selector zero-extended


def push_all(cpu: CpuState, m, size: int, u: bool) -> None:
    sp = cpu.gpr[4]
    mask = (1 << size) - 1
    for i in range(8):
        push(cpu, m, (sp if i == 4 else cpu.gpr[i]) & mask, size, u)


def pop_all(cpu: CpuState, m, size: int, u: bool) -> None:
    mask = (1 << size) - 1
    for i in reversed(range(8)):
        value = pop(cpu, m, size, u)
        if i != 4:
            cpu.gpr[i] = (cpu.gpr[i] & ~mask) | value


def push_flags(cpu: CpuState, m, size: int, u: bool) -> None:
    if cpu.v86 and iopl(cpu) < 3:
        raise CpuFault(13, 0)
    value = cpu.eflags & ~(1 << 16 | 1 << 17)  # RF and VM read as 0 in the image
    push(cpu, m, value & ((1 << size) - 1), size, u)


def pop_flags(cpu: CpuState, m, size: int, u: bool) -> None:
    """POPF: which bits change depends on CPL and IOPL (SDM vol. 2 POPF)."""
    if cpu.v86 and iopl(cpu) < 3:
        raise CpuFault(13, 0)
    value = pop(cpu, m, size, u)
    old = cpu.eflags
    changeable = 0x3F7FD5 & ~(1 << 16 | 1 << 17)  # never RF/VM through POPF
    if cpu.protected and cpu.cpl > 0:
        changeable &= ~(3 << 12)  # IOPL
        if cpu.cpl > iopl(cpu):
            changeable &= ~(1 << 9)  # IF
    if size == 16:
        changeable &= 0xFFFF
    cpu.eflags = (old & ~changeable) | (value & changeable)


def leave(cpu: CpuState, m, size: int, u: bool) -> None:
    mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | (cpu.gpr[5] & mask)
    value = pop(cpu, m, size, u)
    cpu.gpr[5] = value if size == 32 else (cpu.gpr[5] & 0xFFFF0000) | value


def release_stack(cpu: CpuState, count: int) -> None:
    mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((cpu.gpr[4] + count) & mask)


def enter(cpu: CpuState, m, size: int, alloc: int, level: int, u: bool) -> None:
    level &= 31
    big = cpu.seg[SS].big
    mask = 0xFFFFFFFF if big else 0xFFFF
    push(cpu, m, cpu.gpr[5] & ((1 << size) - 1), size, u)
    # FrameTemp is ESP for a 32-bit operand size, SP for a 16-bit one, whatever the stack's
    # size (SDM vol. 2 ENTER; the host CPU agrees on a 16-bit stack)
    frame = cpu.gpr[4] if size == 32 else cpu.gpr[4] & 0xFFFF
    bp = cpu.gpr[5]
    for _ in range(1, level):
        bp = (bp & ~mask) | ((bp - size // 8) & mask)
        push(cpu, m, m.read(seg_linear(cpu, SS, bp & mask, size // 8, False), size // 8, u), size, u)
    if level:
        push(cpu, m, frame, size, u)
    new_esp = (cpu.gpr[4] - alloc) & mask
    seg_linear(cpu, SS, new_esp, 1, True)  # #SS(0) "if the new value of ESP is outside the limit"
    cpu.gpr[5] = frame if size == 32 else (cpu.gpr[5] & 0xFFFF0000) | (frame & 0xFFFF)
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | new_esp
