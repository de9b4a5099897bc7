"""The CPU model's identification, as a guest reads it."""

import struct

from refvmm.cpu.model import cpuid
from refvmm.cpu.state import CpuState


def _cpuid(leaf: int) -> tuple[int, int, int, int]:
    cpu = CpuState()
    cpu.gpr[0] = leaf
    cpuid(cpu)
    g = cpu.gpr
    return g[0], g[3], g[1], g[2]  # EAX, EBX, ECX, EDX


def test_the_vendor_string_reads_in_ebx_edx_ecx_order():
    _eax, ebx, ecx, edx = _cpuid(0)
    assert struct.pack("<III", ebx, edx, ecx) == b"RefVMM_x86  "


def test_leaf_1_reports_the_features_of_the_readme():
    eax, _ebx, _ecx, edx = _cpuid(1)
    assert (eax >> 8 & 0xF, eax >> 4 & 0xF) == (6, 3)  # family 6 model 3
    bits = {"FPU": 0, "TSC": 4, "MSR": 5, "CX8": 8, "SEP": 11, "CMOV": 15}
    assert {name for name, bit in bits.items() if edx >> bit & 1} == set(bits)
    assert not edx >> 24 & 1  # no FXSR
