"""The extended-real format and the x87's status and control bits.

An extended real is an 80-bit integer: sign (bit 79), biased exponent (bits 64-78) and a
64-bit significand whose bit 63 is the explicit integer bit (SDM vol. 1 4.2.2, table 4-3,
and 8.2.2 for the encodings the P6 family no longer supports).
"""

from __future__ import annotations

BIAS = 16383
EXP_MAX = 0x7FFF
INT_BIT = 1 << 63
QUIET_BIT = 1 << 62
SIG_MASK = (1 << 64) - 1
SIGN_BIT = 1 << 79
EMIN = 1 - BIAS  # the exponent of the smallest normal, 2**-16382
EMAX = EXP_MAX - 1 - BIAS

POS_ZERO = 0
NEG_ZERO = SIGN_BIT
POS_INF = EXP_MAX << 64 | INT_BIT
NEG_INF = SIGN_BIT | POS_INF
INDEFINITE = SIGN_BIT | EXP_MAX << 64 | INT_BIT | QUIET_BIT  # the real indefinite, a QNaN
ONE = BIAS << 64 | INT_BIT

# classes (classify)
ZERO, DENORMAL, PSEUDO_DENORMAL, NORMAL, INFINITY, QNAN, SNAN = range(7)
UNNORMAL, PSEUDO_INFINITY, PSEUDO_NAN = range(7, 10)  # unsupported: invalid as operands
UNSUPPORTED = frozenset({UNNORMAL, PSEUDO_INFINITY, PSEUDO_NAN})
NAN = frozenset({QNAN, SNAN})

# status word (SDM vol. 1 8.1.3): exception flags, stack fault, summary, condition codes
IE, DE, ZE, OE, UE, PE, SF, ES = (1 << n for n in range(8))
C0, C1, C2, C3 = 0x100, 0x200, 0x400, 0x4000
B = 0x8000
TOP_SHIFT = 11
TOP_MASK = 7 << TOP_SHIFT
EXCEPTIONS = IE | DE | ZE | OE | UE | PE
CONDITION = C0 | C1 | C2 | C3

# control word (SDM vol. 1 8.1.5): the same six masks, precision and rounding control
PC_SHIFT, RC_SHIFT = 8, 10
NEAREST, DOWN, UP, CHOP = range(4)
PRECISION = {0: 24, 1: 64, 2: 53, 3: 64}  # PC 01 is reserved; it is taken as 64 bits
CW_INIT = 0x037F  # FNINIT: everything masked, 64-bit precision, round to nearest
CW_RESET = 0x0040  # after RESET (SDM vol. 3A table 9-1)


def rounding(cw: int) -> int:
    return cw >> RC_SHIFT & 3


def precision(cw: int) -> int:
    return PRECISION[cw >> PC_SHIFT & 3]


def unmasked(flags: int, cw: int) -> int:
    """The exceptions among ``flags`` that the control word does not mask."""
    return flags & ~cw & EXCEPTIONS


def pack(sign: int, exponent: int, significand: int) -> int:
    return sign << 79 | exponent << 64 | significand


def fields(x: int) -> tuple[int, int, int]:
    """Sign, biased exponent and significand (with its integer bit)."""
    return x >> 79 & 1, x >> 64 & EXP_MAX, x & SIG_MASK


def classify(x: int) -> int:
    _, e, m = fields(x)
    integer = m & INT_BIT
    if e == 0:
        if not m:
            return ZERO
        return PSEUDO_DENORMAL if integer else DENORMAL
    if e == EXP_MAX:
        if not integer:
            return PSEUDO_INFINITY if not m & ~INT_BIT & SIG_MASK else PSEUDO_NAN
        if not m & ~INT_BIT:
            return INFINITY
        return QNAN if m & QUIET_BIT else SNAN
    return NORMAL if integer else UNNORMAL


def unpack(x: int) -> tuple[int, int, int]:
    """A finite operand (zero, denormal, pseudo-denormal, normal) as sign, integer
    significand m and exponent e of its value m * 2**e."""
    s, e, m = fields(x)
    return s, m, max(e, 1) - BIAS - 63


def quiet(x: int) -> int:
    return x | QUIET_BIT
