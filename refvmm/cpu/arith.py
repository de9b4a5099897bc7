"""Arithmetic beyond one template line: multiply and divide, bit strings,
CMPXCHG8B, BOUND and BCD (SDM vol. 2, each instruction's Operation section)."""

from __future__ import annotations

from . import flags as F
from .exceptions import CpuFault
from .segments import seg_linear
from .state import CpuState


def set_cf_of(cpu: CpuState, cf: int, of: int) -> None:
    cpu.arith = (cpu.arith_flags() & ~(F.CF | F.OF)) | (F.CF if cf else 0) | (F.OF if of else 0)


def _signed(value: int, bits: int) -> int:
    return value - ((value >> (bits - 1) & 1) << bits)


def _pair(cpu: CpuState, bits: int) -> int:
    if bits == 8:
        return cpu.gpr[0] & 0xFFFF
    if bits == 16:
        return (cpu.gpr[2] & 0xFFFF) << 16 | cpu.gpr[0] & 0xFFFF
    return cpu.gpr[2] << 32 | cpu.gpr[0]


def _set_pair(cpu: CpuState, bits: int, low: int, high: int) -> None:
    mask = (1 << bits) - 1
    if bits == 8:
        cpu.gpr[0] = cpu.gpr[0] & 0xFFFF0000 | (high & 0xFF) << 8 | low & 0xFF
    elif bits == 16:
        cpu.gpr[0] = cpu.gpr[0] & 0xFFFF0000 | low & mask
        cpu.gpr[2] = cpu.gpr[2] & 0xFFFF0000 | high & mask
    else:
        cpu.gpr[0], cpu.gpr[2] = low & mask, high & mask


def multiply(cpu: CpuState, src: int, bits: int, signed: bool) -> None:
    a = cpu.gpr[0] & ((1 << bits) - 1)
    if signed:
        product = _signed(a, bits) * _signed(src, bits)
        overflow = product != _signed(product & ((1 << bits) - 1), bits)
    else:
        product = a * src
        overflow = product >> bits != 0
    product &= (1 << (2 * bits)) - 1
    _set_pair(cpu, bits, product, product >> bits)
    low = product & ((1 << bits) - 1)
    cpu.record(F.MUL, int(overflow), 0, low, bits)


def imul2(cpu: CpuState, a: int, b: int, bits: int) -> int:
    product = _signed(a, bits) * _signed(b, bits)
    low = product & ((1 << bits) - 1)
    cpu.record(F.MUL, int(product != _signed(low, bits)), 0, low, bits)
    return low


def divide(cpu: CpuState, src: int, bits: int, signed: bool) -> None:
    if src == 0:
        raise CpuFault(0)
    dividend = _pair(cpu, bits)
    if signed:
        n, d = _signed(dividend, 2 * bits), _signed(src, bits)
        q = abs(n) // abs(d) * (1 if (n < 0) == (d < 0) else -1)  # truncates toward zero
        r = n - q * d
        if not -(1 << (bits - 1)) <= q < (1 << (bits - 1)):
            raise CpuFault(0)
    else:
        q, r = divmod(dividend, src)
        if q >> bits:
            raise CpuFault(0)
    _set_pair(cpu, bits, q, r)


def bit_memory(
    cpu: CpuState, m, s: int, ea: int, offset: int, bits: int, amask: int, u: bool, op: str
) -> None:
    signed = offset - ((offset >> 31 & 1) << 32) if bits == 32 else offset - ((offset >> 15 & 1) << 16)
    ea = (ea + (signed >> (5 if bits == 32 else 4)) * (bits // 8)) & amask
    linear = seg_linear(cpu, s, ea, bits // 8, op != "bt")
    value = m.read(linear, bits // 8, u, op != "bt")
    n = signed & (bits - 1)
    bit = value >> n & 1
    cpu.arith = cpu.arith_flags() & ~F.CF | bit
    if op == "bts":
        m.write(linear, bits // 8, value | 1 << n, u)
    elif op == "btr":
        m.write(linear, bits // 8, value & ~(1 << n), u)
    elif op == "btc":
        m.write(linear, bits // 8, value ^ 1 << n, u)


def cmpxchg8b(cpu: CpuState, m, linear: int, u: bool) -> None:
    value = m.read(linear, 4, u, True) | m.read(linear + 4, 4, u, True) << 32  # a locked read-modify-write
    g = cpu.gpr
    if value == (g[2] << 32 | g[0]):
        m.write(linear, 4, g[3], u)
        m.write(linear + 4, 4, g[1], u)
        cpu.arith = cpu.arith_flags() | F.ZF
    else:
        m.write(linear, 4, value & 0xFFFFFFFF, u)  # the locked cycle writes back
        m.write(linear + 4, 4, value >> 32, u)
        g[0], g[2] = value & 0xFFFFFFFF, value >> 32
        cpu.arith = cpu.arith_flags() & ~F.ZF


def decimal_adjust(cpu: CpuState, subtract: bool) -> None:
    g = cpu.gpr
    al, flags = g[0] & 0xFF, cpu.arith_flags()
    cf, af = flags & F.CF, flags & F.AF
    new_cf, new_af = 0, 0
    result = al
    if (al & 0xF) > 9 or af:
        result = (result - 6 if subtract else result + 6) & 0xFF
        new_cf = cf or (al < 6 if subtract else al > 0xF9)
        new_af = F.AF
    if al > 0x99 or cf:
        result = (result - 0x60 if subtract else result + 0x60) & 0xFF
        new_cf = 1
    g[0] = (g[0] & ~0xFF) | result
    cpu.arith = (
        (F.CF if new_cf else 0)
        | new_af
        | (F.PF if F.PARITY[result] else 0)
        | (F.ZF if result == 0 else 0)
        | (F.SF if result & 0x80 else 0)
    )


def ascii_adjust(cpu: CpuState, subtract: bool) -> None:
    g = cpu.gpr
    ax, flags = g[0] & 0xFFFF, cpu.arith_flags()
    if (ax & 0xF) > 9 or flags & F.AF:
        ax = (ax - 6) & 0xFFFF if subtract else (ax + 0x106) & 0xFFFF
        if subtract:
            ax = (ax - 0x100) & 0xFFFF
        adjusted = F.AF | F.CF
    else:
        adjusted = 0
    g[0] = (g[0] & 0xFFFF0000) | (ax & 0xFF0F)
    cpu.arith = (flags & ~(F.AF | F.CF)) | adjusted


def ascii_multiply(cpu: CpuState, base: int) -> None:
    if base == 0:
        raise CpuFault(0)
    g = cpu.gpr
    al = g[0] & 0xFF
    result = al % base
    g[0] = (g[0] & 0xFFFF0000) | (al // base) << 8 | result
    _logic_flags(cpu, result)


def ascii_divide(cpu: CpuState, base: int) -> None:
    g = cpu.gpr
    result = ((g[0] & 0xFF) + ((g[0] >> 8) & 0xFF) * base) & 0xFF
    g[0] = (g[0] & 0xFFFF0000) | result
    _logic_flags(cpu, result)


def _logic_flags(cpu: CpuState, result: int) -> None:
    cpu.lazy = None
    cpu.arith = (
        (F.PF if F.PARITY[result] else 0) | (F.ZF if result == 0 else 0) | (F.SF if result & 0x80 else 0)
    )


def bound(cpu: CpuState, m, index: int, linear: int, size: int, u: bool) -> None:
    lower = m.read(linear, size // 8, u)
    upper = m.read(linear + size // 8, size // 8, u)
    sign = 1 << (size - 1)
    i, lo, hi = ((v ^ sign) - sign for v in (index, lower, upper))
    if i < lo or i > hi:
        raise CpuFault(5)
