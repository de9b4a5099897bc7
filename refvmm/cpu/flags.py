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


def carry(kind: int, a: int, b: int, r: int, size: int, carry_in: int = 0) -> int:
    """CF (0 or 1) of one recorded operation: ``compute`` uses it, and so do the readers of
    CF alone (INC, DEC, ADC, SBB, RCL, RCR, JB and the like), which need no other flag."""
    if kind in (ADD, ADC):
        return 1 if a + b + (carry_in if kind == ADC else 0) >= 1 << size else 0
    if kind in (SUB, SBB):
        return 1 if a < b + (carry_in if kind == SBB else 0) else 0
    if kind in (INC, DEC, SHL, SHR, SHRD, SAR):
        return carry_in & CF
    if kind in (NEG, MUL):
        return 1 if a != 0 else 0
    return 0  # LOGIC


def compute(kind: int, a: int, b: int, r: int, size: int, carry_in: int = 0) -> int:
    """The six arithmetic flags for one recorded operation of ``size`` bits.

    ``carry_in`` is the CF that INC/DEC preserve, the carry ADC/SBB consumed, or,
    for shifts, the last bit shifted out (computed by the instruction itself)."""
    if kind == MUL:
        # a: nonzero when the upper half is significant (CF = OF = 1); SF ZF AF PF undefined
        return (CF | OF) if a else 0
    sign = 1 << (size - 1)
    flags = _PARITY[r & 0xFF] | (ZF if r == 0 else 0) | (SF if r & sign else 0)
    flags |= carry(kind, a, b, r, size, carry_in)
    if kind in (ADD, ADC):
        if (a ^ r) & (b ^ r) & sign:
            flags |= OF
        flags |= (a ^ b ^ r) & AF
    elif kind in (SUB, SBB):
        if (a ^ b) & (a ^ r) & sign:
            flags |= OF
        flags |= (a ^ b ^ r) & AF
    elif kind == INC:
        if r == sign:
            flags |= OF
        flags |= (a ^ 1 ^ r) & AF
    elif kind == DEC:
        if a == sign:
            flags |= OF
        flags |= (a ^ 1 ^ r) & AF
    elif kind == NEG:
        if a == sign:
            flags |= OF
        flags |= (a ^ r) & AF
    elif kind == SHL:
        # b = count (1..31 after masking); carry_in = last bit out
        if b == 1 and bool(r & sign) != bool(carry_in & CF):
            flags |= OF
    elif kind == SHR:
        if b == 1 and a & sign:
            flags |= OF
    elif kind == SHRD and b == 1 and (a ^ r) & sign:
        # the bits shifted in come from the source: OF is a change of sign (vol. 2 SHRD)
        flags |= OF
    # SAR: OF is 0 for a count of 1; LOGIC: CF = OF = 0, AF undefined (left 0)
    return flags


def set_zf(cpu, ok: bool) -> None:
    """Set or clear ZF alone (LAR, LSL, VERR, VERW, ARPL, CMPXCHG8B)."""
    cpu.arith = (cpu.arith_flags() & ~ZF) | (ZF if ok else 0)
