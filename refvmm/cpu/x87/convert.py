"""Loads and stores: single, double and extended reals, word, dword and qword integers,
and 18-digit packed BCD (SDM vol. 2 FLD, FST/FSTP, FILD, FIST/FISTP, FISTTP, FBLD,
FBSTP). Memory operands are unsigned integers of their width (a two's-complement
integer, a little-endian BCD as one 80-bit number).

A load into a register is exact. A store rounds by ``rounding.round_real`` (reals) or
``rounding.round_integer`` (integers, BCD); it returns None for the value where an
unmasked exception means memory is not written.
"""

from __future__ import annotations

from .encoding import (
    CHOP,
    DE,
    IE,
    INFINITY,
    NAN,
    QUIET_BIT,
    SNAN,
    UNSUPPORTED,
    ZERO,
    classify,
    pack,
    rounding,
    unpack,
)
from .operands import respond
from .rounding import DOUBLE, EXTENDED, SINGLE, Format, round_integer, round_real

_EXT64 = EXTENDED[64]
REAL_FORMATS = {32: SINGLE, 64: DOUBLE}
BCD_INDEFINITE = 0xFFFF << 64 | 0xC0 << 56


def load_real(bits: int, width: int, cw: int) -> tuple[int | None, int]:
    """FLD m32/m64: the extended value, IE for an SNaN (quietened; nothing is loaded if
    IE is unmasked), DE for a denormal."""
    fmt = REAL_FORMATS[width]
    f = fmt.frac_bits
    sign = bits >> (width - 1) & 1
    exp = bits >> f & ((1 << (width - 1 - f)) - 1)
    frac = bits & ((1 << f) - 1)
    if exp == (1 << (width - 1 - f)) - 1:
        x = pack(sign, 0x7FFF, 1 << 63 | frac << (63 - f))
        if frac and not frac >> (f - 1):
            return respond(x | QUIET_BIT, IE, cw)
        return x, 0
    if not exp:
        if not frac:
            return pack(sign, 0, 0), 0
        # loaded (normalised) even with DE unmasked, as the host processor does
        return _EXT64.encode(sign, frac, fmt.emin - f), DE
    return _EXT64.encode(sign, frac | 1 << f, exp - fmt.bias - f), 0


def _nan_to(x: int, fmt: Format) -> int:
    """A NaN narrowed: sign, the format's NaN exponent, the fraction's top bits."""
    w, f = fmt.width, fmt.frac_bits
    return (x >> 79) << (w - 1) | ((1 << (w - 1 - f)) - 1) << f | (x & ((1 << 63) - 1)) >> (63 - f)


def store_real(x: int, width: int, cw: int) -> tuple[int | None, int]:
    """FST m32/m64."""
    fmt = REAL_FORMATS[width]
    c = classify(x)
    if c in UNSUPPORTED:
        return respond(_nan_to(pack(1, 0x7FFF, 3 << 62), fmt), IE, cw)
    if c in NAN:
        return respond(_nan_to(x | QUIET_BIT, fmt), IE if c == SNAN else 0, cw)
    sign = x >> 79
    if c == INFINITY:
        return fmt.infinity(sign), 0
    s, m, e = unpack(x)  # a denormal source raises no DE
    return round_real(s, m, e, fmt, cw)


def load_integer(n: int, width: int) -> int:
    """FILD: the two's-complement ``n`` of ``width`` bits, exactly."""
    n -= (n >> (width - 1)) << width
    return _EXT64.encode(int(n < 0), abs(n), 0)


def store_integer(x: int, width: int, cw: int, truncate: bool = False) -> tuple[int | None, int]:
    """FIST/FISTP by the rounding control, FISTTP (``truncate``) toward zero; a NaN, an
    infinity or a value out of range is invalid and stores the integer indefinite."""
    indefinite = 1 << (width - 1)
    c = classify(x)
    if c in UNSUPPORTED or c in NAN or c == INFINITY:
        return respond(indefinite, IE, cw)
    if c == ZERO:
        return 0, 0
    s, m, e = unpack(x)
    mag, flags = round_integer(s, m, e, CHOP if truncate else rounding(cw))
    if mag > indefinite - (0 if s else 1):
        return respond(indefinite, IE, cw)
    return (-mag if s else mag) & ((1 << width) - 1), flags


def load_bcd(bits: int) -> int:
    """FBLD: 18 packed decimal digits and a sign bit (bit 79)."""
    n = 0
    for i in range(17, -1, -1):
        n = n * 10 + (bits >> (4 * i) & 0xF)
    return _EXT64.encode(bits >> 79 & 1, n, 0)


def store_bcd(x: int, cw: int) -> tuple[int | None, int]:
    """FBSTP: rounded by the rounding control; out of 18 digits, invalid, and the BCD
    indefinite."""
    c = classify(x)
    if c in UNSUPPORTED or c in NAN or c == INFINITY:
        return respond(BCD_INDEFINITE, IE, cw)
    s, m, e = unpack(x)
    mag, flags = round_integer(s, m, e, rounding(cw)) if m else (0, 0)
    if mag >= 10**18:
        return respond(BCD_INDEFINITE, IE, cw)
    out = 0
    for i, digit in enumerate(reversed(str(mag))):
        out |= int(digit) << (4 * i)
    return s << 79 | out, flags
