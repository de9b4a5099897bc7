"""Comparisons, FXAM and the sign operations (SDM vol. 2 FCOM/FUCOM, FTST, FXAM, FCHS,
FABS). The comparisons return the condition codes C3, C2 and C0 as status bits (C1 is
cleared): greater 000, less 001, equal 100, unordered 111."""

from __future__ import annotations

from .encoding import (
    C0,
    C1,
    C2,
    C3,
    DENORMAL,
    IE,
    INFINITY,
    NAN,
    NORMAL,
    POS_ZERO,
    PSEUDO_DENORMAL,
    QNAN,
    SIGN_BIT,
    SNAN,
    UNSUPPORTED,
    ZERO,
    classify,
    unpack,
)
from .operands import denormal

GREATER, LESS, EQUAL, UNORDERED = 0, C0, C3, C3 | C2 | C0


def _order(x: int, cx: int) -> tuple[int, int, int]:
    """A key ordering ordered values by magnitude: (rank, top exponent, aligned m)."""
    if cx == INFINITY:
        return 2, 0, 0
    if cx == ZERO:
        return 0, 0, 0
    _, m, e = unpack(x)
    n = m.bit_length()
    return 1, e + n, m << (64 - n)


def compare(a: int, b: int, cw: int, quiet: bool = False) -> tuple[int, int]:
    """FCOM (``quiet`` False: any NaN is invalid) or FUCOM (only an SNaN is) of a with
    b: (the condition codes, flags). The codes are set even when IE or DE is unmasked, as
    the host processor does (``cw`` is taken for the uniform signature)."""
    ca, cb = classify(a), classify(b)
    if ca in UNSUPPORTED or cb in UNSUPPORTED or SNAN in (ca, cb):
        flags = IE
    elif QNAN in (ca, cb):
        flags = 0 if quiet else IE
    else:
        flags = denormal(a, b)
        sa, sb = a >> 79, b >> 79
        ka, kb = _order(a, ca), _order(b, cb)
        if ka == kb == (0, 0, 0):
            return EQUAL, flags
        if sa != sb:
            return (LESS if sa else GREATER), flags
        if ka == kb:
            return EQUAL, flags
        return (LESS if (ka < kb) != bool(sa) else GREATER), flags
    return UNORDERED, flags


def eflags_of(cc: int) -> int:
    """FCOMI/FUCOMI: the condition codes as EFLAGS, C3 to ZF, C2 to PF, C0 to CF (OF, SF
    and AF are cleared)."""
    return (0x40 if cc & C3 else 0) | (0x04 if cc & C2 else 0) | (0x01 if cc & C0 else 0)


def test(a: int, cw: int) -> tuple[int, int]:
    """FTST: a compared with +0.0."""
    return compare(a, POS_ZERO, cw)


_XAM = {
    ZERO: C3,
    DENORMAL: C3 | C2,
    PSEUDO_DENORMAL: C3 | C2,
    NORMAL: C2,
    INFINITY: C2 | C0,
}


def examine(a: int, empty: bool = False) -> int:
    """FXAM: C1 the sign, C3 C2 C0 the class (unsupported 000, NaN 001, normal 010,
    infinity 011, zero 100, empty 101, denormal 110)."""
    sign = C1 if a & SIGN_BIT else 0
    if empty:
        return sign | C3 | C0
    c = classify(a)
    return sign | (C0 if c in NAN else _XAM.get(c, 0))


def negate(a: int) -> int:
    """FCHS: no exception, even for a NaN."""
    return a ^ SIGN_BIT


def absolute(a: int) -> int:
    """FABS."""
    return a & ~SIGN_BIT
