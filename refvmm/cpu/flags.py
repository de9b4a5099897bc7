"""Arithmetic flags, computed lazily.

An ALU instruction records what it did (``kind``, operands, result, size) instead of
computing six flags it will usually not need; ``compute`` turns a record into
CF PF AF ZF SF OF when something reads EFLAGS or a condition. Each formula follows
the Intel SDM vol. 2 "Flags Affected" of the instructions using that kind; where the
SDM leaves a flag undefined the value here is what the conformance table masks
(conformance/undefined.py), so it is never compared.
"""

from __future__ import annotations

CF, PF, AF, ZF, SF, OF = 1 << 0, 1 << 2, 1 << 4, 1 << 6, 1 << 7, 1 << 11
ARITH = CF | PF | AF | ZF | SF | OF

# Lazy-flag kinds. ``a`` and ``b`` are the operands, ``r`` the masked result.
ADD, ADC, SUB, SBB, LOGIC, INC, DEC, NEG, SHL, SHR, SAR, MUL, SHRD = range(13)

_PARITY = bytes(0 if bin(i).count("1") & 1 else PF for i in range(256))


def compute(kind: int, a: int, b: int, r: int, size: int, carry_in: int = 0) -> int:
    """The six arithmetic flags for one recorded operation of ``size`` bits.

    ``carry_in`` is the CF that INC/DEC preserve, the carry ADC/SBB consumed, or,
    for shifts, the last bit shifted out (computed by the instruction itself)."""
    sign = 1 << (size - 1)
    mask = (sign << 1) - 1
    flags = _PARITY[r & 0xFF] | (ZF if r == 0 else 0) | (SF if r & sign else 0)
    if kind in (ADD, ADC):
        if a + b + (carry_in if kind == ADC else 0) > mask:
            flags |= CF
        if (a ^ r) & (b ^ r) & sign:
            flags |= OF
        flags |= (a ^ b ^ r) & AF
    elif kind in (SUB, SBB):
        if a < b + (carry_in if kind == SBB else 0):
            flags |= CF
        if (a ^ b) & (a ^ r) & sign:
            flags |= OF
        flags |= (a ^ b ^ r) & AF
    elif kind == INC:
        flags |= carry_in & CF
        if r == sign:
            flags |= OF
        flags |= (a ^ 1 ^ r) & AF
    elif kind == DEC:
        flags |= carry_in & CF
        if a == sign:
            flags |= OF
        flags |= (a ^ 1 ^ r) & AF
    elif kind == NEG:
        if a != 0:
            flags |= CF
        if a == sign:
            flags |= OF
        flags |= (a ^ r) & AF
    elif kind == SHL:
        # b = count (1..31 after masking); carry_in = last bit out
        flags |= carry_in & CF
        if b == 1 and bool(r & sign) != bool(carry_in & CF):
            flags |= OF
    elif kind == SHR:
        flags |= carry_in & CF
        if b == 1 and a & sign:
            flags |= OF
    elif kind == SHRD:
        # the bits shifted in come from the source: OF is a change of sign (vol. 2 SHRD)
        flags |= carry_in & CF
        if b == 1 and (a ^ r) & sign:
            flags |= OF
    elif kind == SAR:
        flags |= carry_in & CF  # OF is 0 for a count of 1
    elif kind == MUL:
        # a: nonzero when the upper half is significant (CF = OF = 1); SF ZF AF PF undefined
        flags = (CF | OF) if a else 0
    # LOGIC: CF = OF = 0, AF undefined (left 0)
    del mask
    return flags


def set_zf(cpu, ok: bool) -> None:
    """Set or clear ZF alone (LAR, LSL, VERR, VERW, ARPL, CMPXCHG8B)."""
    cpu.arith = (cpu.arith_flags() & ~ZF) | (ZF if ok else 0)
