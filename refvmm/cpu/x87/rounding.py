"""The one rounding rule: an exact value to a format, per the control word.

Every x87 result that can be inexact passes through ``round_real`` (to a floating-point
format) or ``round_integer`` (to an integer: FRNDINT, FIST, FBSTP), which share
``_shift_round``. The rules (SDM vol. 1 4.8.4, 4.9.1.4-4.9.1.6, 8.1.5.2):

- the significand is rounded to the format's precision (for register results the
  precision control: 24, 53 or 64 bits, with the extended exponent range kept);
- overflow is judged after rounding with an unbounded exponent; masked, the result is
  infinity or the largest finite number by the rounding direction, with PE; unmasked, a
  register result has its exponent reduced by 24576 (infinity, with PE and C1, if still
  too large: FSCALE), a memory store is not done and raises OE alone;
- tininess is judged after rounding with an unbounded exponent; masked, the result is
  denormalised (rounded at the fixed position of the smallest exponent) and UE is set
  only if that is inexact; unmasked, a register result has its exponent raised by 24576
  (zero, with PE, if still tiny), a memory store is not done and raises UE alone;
- C1 is set when the magnitude was rounded up.
"""

from __future__ import annotations

from .encoding import BIAS, C1, DOWN, EMAX, EMIN, EXP_MAX, NEAREST, OE, PE, UE, UP, rounding

_ADJUST = 24576  # the exponent-bias adjustment of an unmasked OE/UE on a register result


def _shift_round(sign: int, m: int, shift: int, rc: int) -> tuple[int, bool, bool]:
    """m / 2**shift rounded to an integer by ``rc``: (magnitude, inexact, rounded up)."""
    if shift <= 0:
        return m << -shift, False, False
    n = m >> shift
    rest = m & ((1 << shift) - 1)
    if not rest:
        return n, False, False
    if rc == NEAREST:
        half = 1 << (shift - 1)
        up = rest > half or (rest == half and bool(n & 1))
    elif rc == UP:
        up = not sign
    elif rc == DOWN:
        up = bool(sign)
    else:
        up = False
    return n + up, True, up


class Format:
    """A destination format: precision in bits, normal exponent range, and how a value
    M * 2**q (M below 2**precision) is encoded."""

    __slots__ = ("precision", "emin", "emax", "adjust", "frac_bits", "bias", "width")

    def __init__(self, precision: int, emin: int, emax: int, adjust: int, frac_bits: int, width: int):
        self.precision, self.emin, self.emax, self.adjust = precision, emin, emax, adjust
        self.frac_bits, self.bias, self.width = frac_bits, 1 - emin, width

    def zero(self, sign: int) -> int:
        return sign << (self.width - 1)

    def encode(self, sign: int, m: int, q: int) -> int:
        if not m:
            return self.zero(sign)
        n = m.bit_length()
        top = q + n - 1
        f = self.frac_bits
        if self.width == 80:  # explicit integer bit
            if top >= EMIN:
                return sign << 79 | (top + BIAS) << 64 | m << (64 - n)
            return sign << 79 | m << (q - (EMIN - 63))
        if top >= self.emin:
            return sign << (self.width - 1) | (top + self.bias) << f | (m << (f + 1 - n)) & ((1 << f) - 1)
        return sign << (self.width - 1) | m << (q - (self.emin - f))

    def infinity(self, sign: int) -> int:
        if self.width == 80:
            return sign << 79 | EXP_MAX << 64 | 1 << 63
        return sign << (self.width - 1) | ((1 << (self.width - 1 - self.frac_bits)) - 1) << self.frac_bits

    def largest(self, sign: int) -> int:
        p = self.precision
        return self.encode(sign, (1 << p) - 1, self.emax - p + 1)


EXTENDED = {p: Format(p, EMIN, EMAX, _ADJUST, 63, 80) for p in (24, 53, 64)}
SINGLE = Format(24, -126, 127, 0, 23, 32)
DOUBLE = Format(53, -1022, 1023, 0, 52, 64)


def round_real(sign: int, m: int, e: int, fmt: Format, cw: int) -> tuple[int | None, int]:
    """The value (-1)**sign * m * 2**e rounded to ``fmt`` by the control word's RC and
    masks: (the result, or None for a memory store an unmasked OE/UE stops, and the flags
    PE, OE, UE, C1). m is exact, or has the inexactness jammed into its lowest bit with at
    least two bits below the format's precision."""
    rc = rounding(cw)
    if not m:
        return fmt.zero(sign), 0
    p = fmt.precision
    q = e + m.bit_length() - p
    mag, inexact, up = _shift_round(sign, m, q - e, rc)
    if mag >> p:
        mag >>= 1
        q += 1
    flags = (PE if inexact else 0) | (C1 if up else 0)
    top = q + p - 1
    if top > fmt.emax:
        if not cw & OE:
            if not fmt.adjust:  # a store: nothing written, OE alone
                return None, OE
            if top - fmt.adjust > fmt.emax:  # FSCALE's massive overflow: a signed infinity
                return fmt.infinity(sign), OE | PE | C1
            return fmt.encode(sign, mag, q - fmt.adjust), OE | flags
        if rc == NEAREST or rc == (DOWN if sign else UP):
            return fmt.infinity(sign), OE | PE | C1
        return fmt.largest(sign), OE | PE
    if top < fmt.emin:
        if not cw & UE:
            if not fmt.adjust:  # a store: nothing written, UE alone
                return None, UE
            if top + fmt.adjust < fmt.emin:  # massive underflow: a signed zero
                return fmt.zero(sign), UE | PE
            return fmt.encode(sign, mag, q + fmt.adjust), UE | flags
        q = fmt.emin - p + 1
        mag, inexact, up = _shift_round(sign, m, q - e, rc)
        if not inexact:
            return fmt.encode(sign, mag, q), 0
        return fmt.encode(sign, mag, q), UE | PE | (C1 if up else 0)
    return fmt.encode(sign, mag, q), flags


def round_integer(sign: int, m: int, e: int, rc: int) -> tuple[int, int]:
    """The magnitude of (-1)**sign * m * 2**e rounded to an integer, and PE and C1."""
    mag, inexact, up = _shift_round(sign, m, -e, rc)
    return mag, (PE if inexact else 0) | (C1 if up else 0)
