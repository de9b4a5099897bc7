"""The virtual CPU model: what CPUID reports and which MSRs exist. One fixed model,
documented in the README; nothing here is probed from the host."""

from __future__ import annotations

from .exceptions import CpuFault
from .state import CpuState

CPUID_LEAVES = {
    # (EAX, EBX, ECX, EDX) per leaf. 0: max leaf 1, the vendor "RefVMM_x86  " read as EBX EDX ECX
    0: (1, 0x56666552, 0x20203638, 0x785F4D4D),
    1: (0x00000633, 0, 0, 0x00008931),  # family 6 model 3; EDX: FPU, TSC, MSR, CX8, SEP, CMOV (no FXSR)
}


def cpuid(cpu: CpuState) -> None:
    g = cpu.gpr
    a, b, c, d = CPUID_LEAVES.get(g[0], (0, 0, 0, 0))
    g[0], g[3], g[1], g[2] = a, b, c, d


MSRS = frozenset({0x10, 0x174, 0x175, 0x176})


def rdmsr(cpu: CpuState, m) -> None:
    number = cpu.gpr[1]
    if number not in MSRS:
        raise CpuFault(13, 0)
    value = m.retired if number == 0x10 else m.msrs.get(number, 0)
    cpu.gpr[0], cpu.gpr[2] = value & 0xFFFFFFFF, (value >> 32) & 0xFFFFFFFF


def wrmsr(cpu: CpuState, m) -> None:
    number = cpu.gpr[1]
    if number not in MSRS or number == 0x10:
        raise CpuFault(13, 0)
    m.msrs[number] = cpu.gpr[2] << 32 | cpu.gpr[0]
