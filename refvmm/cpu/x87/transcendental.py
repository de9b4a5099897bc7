"""FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1 (SDM vol. 2, each
instruction's description and table of results).

Each result is the exact value of the function, rounded once by ``round_real`` to 64
bits by the rounding control (precision control does not apply to these instructions:
SDM vol. 1 8.1.5.2). The exact value is known as strict bounds (``exact``), narrowed
until every value between them rounds alike (Ziv's method), so the rounding is correct
and C1 says truly whether the magnitude was rounded up.

The trigonometric instructions reduce their argument, as the processor does, by
multiples of pi/2 taken from its 66-bit internal pi (SDM vol. 1 8.3.8, 0.C90FDAA2
2168C234C * 2**2): FSIN(x) is sin(x - k * p/2) by quadrant, k the nearest integer to
x / (p/2), computed exactly. Against the mathematical sine that reduction costs an
absolute error of about k * 2**-70 (the distance from p to pi), which near a multiple of
pi is many ulps of a small result; it is also what the host processor does, bit for bit
almost everywhere.

Measured on the AMD EPYC these were checked on (random operands by class, a random
rounding control, 200 a class; the exact values from an independent 600-bit evaluation):

- against the exact function of the reduced argument (FSIN, FCOS, FSINCOS, FPTAN) or of
  the operands (the others): correctly rounded in every sample, so at most 1/2 ulp to
  nearest and below 1 ulp in the directed modes (tests/test_x87_transcendental.py holds
  that bound against bounds computed by other formulas);
- against the mathematical sin, cos, tan of the operand: the same for |x| <= pi/4; for
  |x| up to 4, at most 38 (FCOS) and 48 (FPTAN) ulps where the result is small; for |x|
  from 2**8 to 2**63 a median of 6e8 and a maximum of 1.3e18 ulps, and near multiples of
  pi/2 up to 1e19 ulps; the host's errors are the same, sample for sample;
- against the host processor: 97 to 100 results in 100 bit for bit in each class (small,
  up to 2**8, 2**8 to 2**63, near multiples of pi/2, tiny down to the denormals), the
  rest 1 ulp apart, with the same flags where the values agree (the host is not always
  correctly rounded; FPTAN of a tiny argument in a directed mode is its weakest, 60 in
  100). A reduction by the true pi would differ from the host on nearly every argument
  near a multiple of pi/2 and beyond 2**8; the 66-bit one agrees there 197 to 200 in 200.

Where the SDM leaves a result undefined the host processor is followed: F2XM1 of |x| > 1
returns x (with PE), FYL2XP1 of x <= -1 with a finite nonzero ST(1) returns x (with PE)
and beyond its range otherwise computes ST(1) * log2(1 + x); F2XM1, FYL2X and FYL2XP1
raise PE even for an exact nonzero result, and F2XM1 of +1 is rounded as a value just
below 1 (to nearest 1.0 with C1, down or toward zero the largest value below 1).
"""

from __future__ import annotations

from fractions import Fraction

from . import exact
from .encoding import (
    BIAS,
    C1,
    C2,
    IE,
    INDEFINITE,
    INFINITY,
    INT_BIT,
    NEG_INF,
    ONE,
    PE,
    POS_INF,
    SIGN_BIT,
    UE,
    ZE,
    ZERO,
    classify,
    pack,
    unmasked,
    unpack,
)
from .operands import denormal, respond, special
from .rounding import EXTENDED, round_real

Result = tuple[int | None, int]
Pair = tuple[tuple[int, int] | None, int]
_FMT = EXTENDED[64]
_P66 = Fraction(0xC90FDAA22168C234C, 1 << 66)  # the processor's pi
_RANGE = 1 << 63  # FSIN, FCOS, FSINCOS and FPTAN take |x| < 2**63
_PRECISIONS = (96, 192, 384, 768, 1536, 3072)


# -- rounding an exact value given by bounds --------------------------------------------


def _value(x: int) -> Fraction:
    s, m, e = unpack(x)
    v = Fraction(m << e) if e >= 0 else Fraction(m, 1 << -e)
    return -v if s else v


def _nudged(v: Fraction, away: bool) -> tuple[int, int, int]:
    """v moved by an infinitesimal away from zero or toward it, as round_real takes it:
    a significand of about 71 bits whose lowest bit stands for the rest."""
    a = abs(v)
    shift = 70 - (a.numerator.bit_length() - a.denominator.bit_length())
    n, d = (a.numerator << shift, a.denominator) if shift >= 0 else (a.numerator, a.denominator << -shift)
    q, rest = divmod(n, d)
    return int(v < 0), 2 * q - 1 if not (away or rest) else 2 * q + 1, -shift - 1


def _round(bounds, cw: int, inexact: bool = False) -> Result:
    """The value bounds(bits) encloses, rounded: the interval is narrowed until its two
    ends, each moved inward by an infinitesimal, round alike. ``inexact``: PE even for
    an exact result (the host processor does not tell one)."""
    a = None
    for bits in _PRECISIONS:
        lo, hi = bounds(bits)
        if lo == hi:
            if not lo:
                return _FMT.zero(0), 0
            d = lo.denominator
            value, flags = round_real(int(lo < 0), abs(lo.numerator), 1 - d.bit_length(), _FMT, cw)
            if inexact:  # and so tiny (UE) if denormal, as the host has it
                flags |= PE | (UE if value is not None and not value >> 64 & 0x7FFF else 0)
            return value, flags
        if lo < 0 < hi or not lo or not hi:
            continue
        a = round_real(*_nudged(lo, lo > 0), _FMT, cw)
        b = round_real(*_nudged(hi, hi < 0), _FMT, cw)
        if a == b:
            return a
    if a is None:  # not met for 64-bit operands: a result this close to zero
        raise ArithmeticError("the bounds do not exclude zero")
    return a  # the bounds do not part at 3072 bits: not met for 64-bit operands


# -- FSIN, FCOS, FSINCOS, FPTAN ---------------------------------------------------------


def _reduced(x: Fraction) -> tuple[int, Fraction]:
    """x = k * p/2 + r with |r| <= p/4: (k mod 4, r), exactly."""
    k = round(x * 2 / _P66)
    return k & 3, x - k * _P66 / 2


def _sin_cos(x: Fraction, bits: int) -> tuple[exact.Interval, exact.Interval]:
    k, r = _reduced(x)
    s, c = exact.sin(r, bits), exact.cos(r, bits)
    return ((s, c, exact.neg(s), exact.neg(c))[k], (c, exact.neg(s), exact.neg(c), s)[k])


def _trig_screen(a: int, cw: int):
    """The result every trigonometric instruction gives before computing, or None: a NaN
    or invalid operand, an infinity (IE), an argument out of range (C2, nothing written),
    an unmasked DE; else the flags so far."""
    done = special(a)
    if done:
        return respond(*done, cw)
    ca = classify(a)
    if ca == INFINITY:
        return respond(INDEFINITE, IE, cw)
    if ca != ZERO and abs(_value(a)) >= _RANGE:
        return None, C2
    flags = denormal(a)
    if unmasked(flags, cw):
        return None, flags
    return flags


def _sin_or_cos(a: int, cw: int, which: int, of_zero: int) -> Result:
    """FSIN (``which`` 0) or FCOS (1); ``of_zero`` is the exact result of a zero."""
    screened = _trig_screen(a, cw)
    if isinstance(screened, tuple):
        return screened
    if classify(a) == ZERO:
        return of_zero, 0
    x = _value(a)
    value, flags = _round(lambda bits: _sin_cos(x, bits)[which], cw)
    return value, flags | screened


def sin(a: int, cw: int) -> Result:
    """FSIN."""
    return _sin_or_cos(a, cw, 0, a)


def cos(a: int, cw: int) -> Result:
    """FCOS."""
    return _sin_or_cos(a, cw, 1, ONE)


def _pair(screened: Result) -> Pair:
    value, flags = screened
    return (None if value is None else (value, value)), flags


def _trig_pair(a: int, cw: int, compute) -> Pair:
    """FSINCOS and FPTAN: the screened operands and zero (which gives itself and 1.0),
    else ``compute(x, screened flags)`` of the operand's value."""
    screened = _trig_screen(a, cw)
    if isinstance(screened, tuple):
        return _pair(screened)
    if classify(a) == ZERO:
        return (a, ONE), 0
    return compute(_value(a), screened)


def sincos(a: int, cw: int) -> Pair:
    """FSINCOS: (the sine, to replace ST(0); the cosine, to be pushed)."""

    def compute(x: Fraction, screened: int) -> Pair:
        s, fs = _round(lambda bits: _sin_cos(x, bits)[0], cw)
        c, fc = _round(lambda bits: _sin_cos(x, bits)[1], cw)
        return (s, c), fs | fc & ~C1 | screened  # C1 tells of the sine, as on AMD (Intel: the cosine)

    return _trig_pair(a, cw, compute)


def tan(a: int, cw: int) -> Pair:
    """FPTAN: (the tangent, to replace ST(0); 1.0, to be pushed)."""

    def compute(x: Fraction, screened: int) -> Pair:
        k, r = _reduced(x)

        def bounds(bits: int) -> exact.Interval:
            t = exact.tan(r, bits + 4)
            return exact.neg(exact.div(exact.exact(Fraction(1)), t)) if k & 1 else t  # -cot r

        value, flags = _round(bounds, cw)
        return (value, ONE), flags | screened

    return _trig_pair(a, cw, compute)


# -- FPATAN -----------------------------------------------------------------------------


def _pi(bits: int, numerator: int = 1, denominator: int = 1) -> exact.Interval:
    lo, hi = exact.pi(bits)
    return lo * numerator / denominator, hi * numerator / denominator


def _atan(q: Fraction, bits: int) -> exact.Interval:
    """atan q for 0 <= q <= 1: above 1/2, pi/4 + atan((q - 1)/(q + 1))."""
    if q <= Fraction(1, 2):
        return exact.atan(q, bits)
    return exact.add(_pi(bits + 4, 1, 4), exact.atan((q - 1) / (q + 1), bits + 4))


def atan2(y: int, x: int, cw: int) -> Result:
    """FPATAN: the angle of (x, y) = (ST(0), ST(1)), in -pi to +pi, to replace ST(1)."""
    done = special(y, x)
    if done:
        return respond(*done, cw)
    cy, cx = classify(y), classify(x)
    sign = y >> 79 & 1
    flags = denormal(y, x)
    # the signed zeros and infinities (SDM vol. 2 table 3-30): a multiple of pi/4
    if cy in (ZERO, INFINITY) or cx in (ZERO, INFINITY):
        west = bool(x & SIGN_BIT)  # x negative, -0 included
        if cy == ZERO:
            quarters = 4 if west else 0
        elif cy == INFINITY:
            quarters = (3 if west else 1) if cx == INFINITY else 2
        elif cx == ZERO:
            quarters = 2
        else:  # a finite y, an infinite x
            quarters = 4 if west else 0
        if unmasked(flags, cw):
            return None, flags
        if not quarters:
            return sign << 79, flags
        value, more = _round(lambda bits: _signed(_pi(bits, quarters, 4), sign), cw)
        return value, flags | more
    if unmasked(flags, cw):
        return None, flags
    vy, vx = abs(_value(y)), _value(x)
    ax = abs(vx)

    def bounds(bits: int) -> exact.Interval:
        if vy <= ax:
            t = _atan(vy / ax, bits + 4)
        else:
            t = exact.add(_pi(bits + 4, 1, 2), exact.neg(_atan(ax / vy, bits + 4)))
        if vx < 0:
            t = exact.add(_pi(bits + 4), exact.neg(t))
        return _signed(t, sign)

    value, more = _round(bounds, cw)
    return value, flags | more


def _signed(t: exact.Interval, sign: int) -> exact.Interval:
    return exact.neg(t) if sign else t


# -- F2XM1, FYL2X, FYL2XP1 --------------------------------------------------------------


def _exp2m1(x: Fraction, bits: int) -> exact.Interval:
    """2**x - 1 for |x| <= 1: expm1(x ln 2), increasing, from the bounds of x ln 2."""
    lo, hi = exact.ln2(bits + 8)
    if x < 0:
        lo, hi = hi, lo
    return exact.expm1(x * lo, bits + 4)[0], exact.expm1(x * hi, bits + 4)[1]


def exp2m1(a: int, cw: int) -> Result:
    """F2XM1: 2**x - 1 (the SDM defines -1 <= x <= +1; beyond, x itself, as the host
    processor gives it)."""
    done = special(a)
    if done:
        return respond(*done, cw)
    ca = classify(a)
    if ca == ZERO or a == POS_INF:
        return a, 0
    if a == NEG_INF:
        return ONE | SIGN_BIT, 0
    flags = denormal(a)
    if unmasked(flags, cw):
        return None, flags
    x = _value(a)
    if abs(x) > 1:
        return a, PE
    if a == ONE | SIGN_BIT:  # exact: -1/2, with PE as on the host
        return pack(1, BIAS - 1, INT_BIT), flags | PE
    if a == ONE:  # the host's 2**1 - 1 is a value just below 1
        value, more = _round(lambda bits: (1 - Fraction(1, 1 << bits), Fraction(1)), cw)
        return value, flags | more
    value, more = _round(lambda bits: _exp2m1(x, bits), cw, inexact=True)
    return value, flags | more


def _log2(v: Fraction, bits: int) -> exact.Interval:
    """log2 v for v > 0: e + 2 atanh((m - 1)/(m + 1)) / ln 2 with v = m * 2**e, m within
    sqrt(1/2) and sqrt(2); exact for a power of two."""
    e = v.numerator.bit_length() - v.denominator.bit_length()
    m = v / (Fraction(1 << e) if e >= 0 else Fraction(1, 1 << -e))
    while m * m > 2:
        m, e = m / 2, e + 1
    while m * m * 2 < 1:
        m, e = m * 2, e - 1
    if m == 1:
        return exact.exact(Fraction(e))
    z = exact.around((m - 1) / (m + 1), bits + 16)  # atanh increases
    t = exact.atanh(z[0], bits + 8)[0], exact.atanh(z[1], bits + 8)[1]
    ln = exact.div((2 * t[0], 2 * t[1]), exact.ln2(bits + 8))
    return exact.add(exact.exact(Fraction(e)), ln)


def _log_special(y: int, cy: int, log: str) -> Result | None:
    """y * l for a logarithm l known without computing it: "-inf", "+inf", "0" (+0), or
    only its sign, "-" or "+", when y is zero or infinite; else None (SDM vol. 2 tables
    3-50 and 3-53)."""
    ys = y >> 79 & 1
    if log == "-inf":  # of zero
        if cy == ZERO:
            return INDEFINITE, IE
        return POS_INF | (ys ^ 1) << 79, 0 if cy == INFINITY else ZE
    if log == "+inf":
        return (INDEFINITE, IE) if cy == ZERO else (POS_INF | ys << 79, 0)
    if log == "0":  # of one
        return (INDEFINITE, IE) if cy == INFINITY else (ys << 79, 0)
    sign = ys ^ (log == "-")
    if cy == ZERO:
        return sign << 79, 0
    if cy == INFINITY:
        return POS_INF | sign << 79, 0
    return None


def _fixed(fixed: Result, flags: int, cw: int) -> Result:
    """A special case's result: an invalid operation or a divide by zero outranks DE (SDM
    vol. 1 8.7); an unmasked one, or an unmasked DE, writes nothing."""
    value, more = fixed
    return respond(value, more if more & (IE | ZE) else more | flags, cw)


def _product_log(y: int, v: Fraction, flags: int, cw: int) -> Result:
    vy = _value(y)

    def bounds(bits: int) -> exact.Interval:
        return exact.mul(exact.exact(vy), _log2(v, bits + 4))

    value, more = _round(bounds, cw, inexact=True)
    return value, flags | more


def yl2x(x: int, y: int, cw: int) -> Result:
    """FYL2X: y * log2(x) with x = ST(0), y = ST(1), to replace ST(1)."""
    done = special(y, x)
    if done:
        return respond(*done, cw)
    cx, cy = classify(x), classify(y)
    if x & SIGN_BIT and cx != ZERO:  # the logarithm of a negative number
        return respond(INDEFINITE, IE, cw)
    flags = denormal(x, y)
    v = None if cx in (ZERO, INFINITY) else _value(x)
    log = "-inf" if cx == ZERO else "+inf" if cx == INFINITY else "0" if v == 1 else "-" if v < 1 else "+"
    fixed = _log_special(y, cy, log)
    if fixed:
        return _fixed(fixed, flags, cw)
    if unmasked(flags, cw):
        return None, flags
    return _product_log(y, v, flags, cw)


def yl2xp1(x: int, y: int, cw: int) -> Result:
    """FYL2XP1: y * log2(x + 1) with x = ST(0), y = ST(1), to replace ST(1). The SDM
    defines |x| < 1 - sqrt(2)/2; the host processor computes beyond it, but for x <= -1
    gives x itself when y is finite and nonzero."""
    done = special(y, x)
    if done:
        return respond(*done, cw)
    cx, cy = classify(x), classify(y)
    if x == NEG_INF:
        return respond(INDEFINITE, IE, cw)
    flags = denormal(x, y)
    if cx == ZERO:  # log2(1 + -0) = -0: the sign of y's product with a signed zero
        fixed = (INDEFINITE, IE) if cy == INFINITY else ((x ^ y) & SIGN_BIT, 0)
        return _fixed(fixed, flags, cw)
    v = None if cx == INFINITY else _value(x) + 1
    fixed = _log_special(y, cy, "+inf" if v is None else "-" if v < 1 else "+")
    if fixed:
        return _fixed(fixed, flags, cw)
    if unmasked(flags, cw):
        return None, flags
    if v <= 0:
        return x, flags | PE
    return _product_log(y, v, flags, cw)
